using System.Text.Json;
using Polly.Timeout;

namespace GrowthBrain.Integrations.Zoho;

/// <param name="ApiDomain">Where Zoho says this account's API lives (https://www.zohoapis.eu ...); null when it did not say.</param>
public sealed record ZohoAccessToken(string Value, DateTimeOffset ExpiresAt, string? ApiDomain, string? Scope);

/// <summary>
/// The accounts server of the account's data centre: trades the refresh token for an access token. Zoho answers
/// its errors as 200 with {"error": "..."}, so the status alone says nothing.
/// </summary>
public sealed class ZohoAccountsClient(HttpClient http, TimeProvider clock)
{
    public const string Scopes = "ZohoCRM.modules.ALL,ZohoCRM.settings.fields.ALL,ZohoCRM.org.READ,ZohoCRM.notifications.ALL";

    public async Task<ZohoAccessToken> RefreshAsync(ZohoOptions o, CancellationToken ct)
    {
        var url = $"{o.AccountsUrl!.TrimEnd('/')}/oauth/v2/token?grant_type=refresh_token&client_id={Uri.EscapeDataString(o.ClientId!)}" +
                  $"&client_secret={Uri.EscapeDataString(o.ClientSecret!)}&refresh_token={Uri.EscapeDataString(o.RefreshToken!)}";
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsync(url, content: null, ct);
        }
        catch (HttpRequestException e)
        {
            throw new CrmException($"Could not reach Zoho's accounts server at {o.AccountsUrl} ({e.Message}): check Crm:Zoho:AccountsUrl " +
                                   "(e.g. https://accounts.zoho.com or .eu, .in, .com.au) and this server's network.", retryable: true, inner: e);
        }
        catch (Exception e) when (e is TimeoutRejectedException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            throw new CrmException($"Zoho's accounts server at {o.AccountsUrl} did not answer in time, even after retries; try again later.", retryable: true, inner: e);
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            JsonElement body;
            try
            {
                body = JsonSerializer.Deserialize<JsonElement>(text);
            }
            catch (JsonException e)
            {
                throw new CrmException($"Zoho's accounts server at {o.AccountsUrl} answered {(int)response.StatusCode} with something that is not JSON: " +
                                       $"check that Crm:Zoho:AccountsUrl is Zoho's accounts address (e.g. https://accounts.zoho.com).",
                    retryable: (int)response.StatusCode >= 500, status: (int)response.StatusCode, inner: e);
            }
            if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("error", out var error))
                throw Refused(o, error.ValueKind == JsonValueKind.String ? error.GetString() ?? "" : error.ToString(),
                    body.TryGetProperty("error_description", out var d) ? d.ToString() : null, (int)response.StatusCode);
            if (!response.IsSuccessStatusCode)
                throw new CrmException($"Zoho's accounts server at {o.AccountsUrl} answered {(int)response.StatusCode}: {Shorten(text)}",
                    retryable: (int)response.StatusCode >= 500 || (int)response.StatusCode == 429, status: (int)response.StatusCode);
            if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("access_token", out var token) || token.ValueKind != JsonValueKind.String
                || string.IsNullOrEmpty(token.GetString()))
                throw new CrmException($"Zoho's accounts server at {o.AccountsUrl} answered without an access_token: {Shorten(text)}");
            var seconds = body.TryGetProperty("expires_in", out var e2) && e2.TryGetInt32(out var s) ? s : 3600;
            return new ZohoAccessToken(token.GetString()!, clock.GetUtcNow().AddSeconds(seconds),
                body.TryGetProperty("api_domain", out var domain) && domain.ValueKind == JsonValueKind.String ? domain.GetString() : null,
                body.TryGetProperty("scope", out var scope) && scope.ValueKind == JsonValueKind.String ? scope.GetString() : null);
        }
    }

    private static CrmException Refused(ZohoOptions o, string error, string? description, int status)
    {
        var said = description is null ? error : $"{error}: {description}";
        var message = error switch
        {
            "invalid_client" =>
                $"Zoho's accounts server at {o.AccountsUrl} does not know client id {o.ClientId} (invalid_client). Check Crm:Zoho:ClientId, " +
                "and check Crm:Zoho:AccountsUrl matches the data centre where the account lives (accounts.zoho.com, .eu, .in, .com.au, .jp, .ca, .sa): " +
                "a client registered in one data centre is unknown in the others.",
            "invalid_client_secret" =>
                $"Zoho refused the client secret for client id {o.ClientId} (invalid_client_secret): copy it again from the API console into Crm:Zoho:ClientSecret.",
            "invalid_code" =>
                "Zoho refused the refresh token (invalid_code): it is wrong, revoked, or from another client or data centre. Generate a new one in " +
                $"Zoho's API console (self client) with the scopes {Scopes} and set it in Crm:Zoho:RefreshToken or on the Integrations page.",
            "access_denied" =>
                $"Zoho's accounts server refused to issue a token ({said}); it limits how many access tokens a refresh token gets in ten minutes. Try again in a few minutes.",
            _ => $"Zoho's accounts server at {o.AccountsUrl} refused the refresh token ({said}). Check Crm:Zoho:ClientId, ClientSecret, RefreshToken and AccountsUrl.",
        };
        return new CrmException(message, retryable: error == "access_denied", status: status);
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "...";
}
