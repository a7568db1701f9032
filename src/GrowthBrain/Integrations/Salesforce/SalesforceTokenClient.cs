using System.Text.Json;
using Polly.Timeout;

namespace GrowthBrain.Integrations.Salesforce;

/// <param name="InstanceUrl">Where Salesforce says this org's API lives (https://acme.my.salesforce.com): every API call goes there.</param>
/// <param name="OrganizationId">The org's id (00D...), from the identity URL in the answer; null when it did not say.</param>
public sealed record SalesforceSession(string AccessToken, string InstanceUrl, string? OrganizationId);

/// <summary>
/// The OAuth token endpoint of the login address (login.salesforce.com, test.salesforce.com for a sandbox, or a My
/// Domain): trades the refresh token for a session. Salesforce says nothing of how long a session lives (the org's
/// session timeout decides), so a session is used until the API answers INVALID_SESSION_ID.
/// </summary>
public sealed class SalesforceTokenClient(HttpClient http)
{
    public async Task<SalesforceSession> RefreshAsync(SalesforceOptions o, CancellationToken ct)
    {
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["client_id"] = o.ClientId!, ["client_secret"] = o.ClientSecret!, ["refresh_token"] = o.RefreshToken!,
        });
        var url = $"{o.LoginUrl.TrimEnd('/')}/services/oauth2/token";
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsync(url, form, ct);
        }
        catch (HttpRequestException e)
        {
            throw new CrmException($"Could not reach Salesforce's login server at {o.LoginUrl} ({e.Message}): check Crm:Salesforce:LoginUrl " +
                                   "(https://login.salesforce.com, https://test.salesforce.com for a sandbox, or your My Domain address) and this server's network.",
                retryable: true, inner: e);
        }
        catch (Exception e) when (e is TimeoutRejectedException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            throw new CrmException($"Salesforce's login server at {o.LoginUrl} did not answer in time, even after retries; try again later.", retryable: true, inner: e);
        }
        using (response)
        {
            var status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync(ct);
            JsonElement body;
            try
            {
                body = JsonSerializer.Deserialize<JsonElement>(text);
            }
            catch (JsonException e)
            {
                throw new CrmException($"Salesforce's login server at {o.LoginUrl} answered {status} with something that is not JSON " +
                                       $"({SalesforceAnswer.Describe(text)}): check that Crm:Salesforce:LoginUrl is a Salesforce login address.",
                    retryable: status >= 500, status: status, inner: e);
            }
            if (body.ValueKind == JsonValueKind.Object && Text(body, "error") is { } error)
                throw Refused(o, error, Text(body, "error_description"), status);
            if (status is < 200 or >= 300)
                throw new CrmException($"Salesforce's login server at {o.LoginUrl} answered {status}: {SalesforceAnswer.Describe(text)}",
                    retryable: status >= 500 || status == 429, status: status);
            var token = body.ValueKind == JsonValueKind.Object ? Text(body, "access_token") : null;
            var instance = body.ValueKind == JsonValueKind.Object ? Text(body, "instance_url") : null;
            if (token is null || instance is null || CrmAddress.Check("instance_url", instance, "https://acme.my.salesforce.com", required: true) is not null)
                throw new CrmException($"Salesforce's login server at {o.LoginUrl} answered without a usable access_token and instance_url " +
                                       $"({SalesforceAnswer.Describe(text)}); nothing was used. Try again; if it persists, check Crm:Salesforce:LoginUrl.",
                    retryable: true, status: status);
            return new SalesforceSession(token, instance.TrimEnd('/'), OrgOf(Text(body, "id")));
        }
    }

    /// <summary>The identity URL is https://login.salesforce.com/id/{orgId}/{userId}.</summary>
    private static string? OrgOf(string? identity)
    {
        if (identity is null) return null;
        var parts = identity.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var i = Array.IndexOf(parts, "id");
        return i >= 0 && i + 1 < parts.Length ? parts[i + 1] : null;
    }

    private static CrmException Refused(SalesforceOptions o, string error, string? description, int status)
    {
        var said = description is null ? error : $"{error}: {description}";
        var message = error switch
        {
            "invalid_grant" =>
                $"Salesforce refused the refresh token ({said}): it was revoked or has expired (the connected app's refresh token policy, a password " +
                "reset, or an admin revoking the app's access). Reconnect: authorize the connected app again and set the new refresh token in " +
                "Crm:Salesforce:RefreshToken or on the Integrations page. If it is new, check Crm:Salesforce:LoginUrl (test.salesforce.com for a sandbox) " +
                "and the connected app's IP relaxation.",
            "invalid_client_id" =>
                $"Salesforce does not know the client id {o.ClientId} ({said}): copy the connected app's consumer key into Crm:Salesforce:ClientId, and check " +
                "Crm:Salesforce:LoginUrl points at the org the app lives in (a sandbox app is unknown at login.salesforce.com). A new app takes a few minutes to be known.",
            "invalid_client" =>
                $"Salesforce refused the client secret for client id {o.ClientId} ({said}): copy the connected app's consumer secret into Crm:Salesforce:ClientSecret.",
            "inactive_user" or "inactive_org" =>
                $"Salesforce refused the connection ({said}): the user who authorized GrowthBrain, or the org, is no longer active. Reconnect as an active user.",
            _ => $"Salesforce's login server at {o.LoginUrl} refused the refresh token ({said}). Check Crm:Salesforce:ClientId, ClientSecret, RefreshToken and LoginUrl.",
        };
        return new CrmException(message, retryable: status >= 500, status: status);
    }

    private static string? Text(JsonElement body, string name) =>
        body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : null;
}
