using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Polly.Timeout;

namespace GrowthBrain.Integrations.Zoho;

/// <summary>
/// The CRM API (/crm/v8) of one data centre. Retries, per-attempt timeouts and the limits live in this client's
/// handler pipeline (ZohoServices); here: the access token, one refresh-and-repeat when Zoho says the token
/// is no longer valid, and turning what Zoho answered into words.
/// </summary>
public sealed class ZohoApiClient(HttpClient http, ZohoAccountsClient accounts, ZohoTokenCache tokens)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Gets a token now (refreshing it when none is cached), for the connection test.</summary>
    public Task<ZohoAccessToken> TokenAsync(ZohoOptions credentials, CancellationToken ct) => tokens.GetAsync(accounts, credentials, null, ct);

    /// <summary>
    /// Calls the API and returns its answer, whatever the status; transport failures and timeouts (after the
    /// retries) become a <see cref="CrmException"/>. Use <see cref="Refused"/> for an answer that is not a success.
    /// </summary>
    /// <param name="what">The call in words, for messages ("GET /crm/v8/Leads").</param>
    /// <param name="records">How many records the call writes, for its credits.</param>
    public async Task<ZohoAnswer> SendAsync(ZohoOptions credentials, HttpMethod method, string pathAndQuery, object? body, int records,
        CancellationToken ct, IReadOnlyDictionary<string, string>? headers = null)
    {
        var what = $"{method} {pathAndQuery.Split('?')[0]}";
        var token = await tokens.GetAsync(accounts, credentials, null, ct);
        var answer = await SendOnceAsync(credentials, token, method, pathAndQuery, body, records, what, headers, ct);
        if (answer.Status == 401 && answer.Code is "INVALID_TOKEN" or "AUTHENTICATION_FAILURE")
        {
            // The token expired early or was revoked: one new token, one more try; a second refusal is real.
            token = await tokens.GetAsync(accounts, credentials, token.Value, ct);
            answer = await SendOnceAsync(credentials, token, method, pathAndQuery, body, records, what, headers, ct);
        }
        return answer;
    }

    private async Task<ZohoAnswer> SendOnceAsync(ZohoOptions o, ZohoAccessToken token, HttpMethod method, string pathAndQuery, object? body,
        int records, string what, IReadOnlyDictionary<string, string>? headers, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, $"{o.ApiBaseUrl!.TrimEnd('/')}{pathAndQuery}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Zoho-oauthtoken", token.Value);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>()) request.Headers.TryAddWithoutValidation(name, value);
        if (body is not null) request.Content = new StringContent(JsonSerializer.Serialize(body, Json), Encoding.UTF8, "application/json");
        request.Options.Set(ZohoLimitsHandler.Credits, ZohoLimits.CreditsFor(method, pathAndQuery, records));
        try
        {
            using var response = await http.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            return new ZohoAnswer((int)response.StatusCode, Parse(text), text, what);
        }
        catch (HttpRequestException e)
        {
            throw new CrmException($"Could not reach Zoho CRM at {o.ApiBaseUrl} for {what} ({e.Message}): check Crm:Zoho:ApiBaseUrl " +
                                   "(e.g. https://www.zohoapis.com, .eu, .in, .com.au) and this server's network.", retryable: true, inner: e);
        }
        catch (Exception e) when (e is TimeoutRejectedException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            throw new CrmException($"Zoho CRM did not answer {what} in time, even after retries (Crm:Zoho:AttemptTimeout, Crm:Zoho:TotalTimeout). " +
                                   "Try again later.", retryable: true, inner: e);
        }
    }

    private static JsonElement? Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        try
        {
            return JsonSerializer.Deserialize<JsonElement>(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// What Zoho's refusal means and what to do about it.
    /// </summary>
    /// <param name="scope">The OAuth scope the call needs, named when Zoho says the token lacks it.</param>
    public static CrmException Refused(ZohoAnswer a, string scope)
    {
        var said = a.Code is null ? ZohoAnswer.Describe(a.Text) : $"{a.Code}: {a.Message}";
        var details = a.Body is { ValueKind: JsonValueKind.Object } b && b.TryGetProperty("details", out var d) && d.ValueKind == JsonValueKind.Object
                      && d.EnumerateObject().Any() ? $" ({d})" : "";
        return (a.Status, a.Code) switch
        {
            (401, "OAUTH_SCOPE_MISMATCH") => new CrmException(
                $"Zoho refused {a.What} (401 OAUTH_SCOPE_MISMATCH): the refresh token lacks the scope {scope}. Generate a new refresh token with the scopes " +
                $"{ZohoAccountsClient.Scopes} and set it in Crm:Zoho:RefreshToken or on the Integrations page.", status: 401),
            (401, _) => new CrmException(
                $"Zoho refused the access token for {a.What} even after a refresh (401 {said}): generate a new refresh token with the scopes " +
                $"{ZohoAccountsClient.Scopes} and check Crm:Zoho:ApiBaseUrl is the account's data centre.", status: 401),
            (403, _) => new CrmException(
                $"Zoho refused {a.What} (403 {said}{details}): the Zoho user who made the refresh token lacks this permission; use an administrator's token.", status: 403),
            (429, _) => new CrmException(
                $"Zoho limited {a.What} (429 {said}) even after waiting and retrying: the org's API credits for 24 hours are used up or too many calls run " +
                "at once. Wait and sync again; lower Crm:Zoho:MaxConcurrentCalls or Crm:Zoho:CreditsPerDay if other apps share the org.", retryable: true, status: 429),
            (>= 500, _) => new CrmException($"Zoho failed {a.What} ({a.Status} {said}) even after retries; try again later.", retryable: true, status: a.Status),
            (404, _) => new CrmException(
                $"Zoho answered 404 for {a.What} ({said}): check Crm:Zoho:ApiBaseUrl is Zoho's API address (e.g. https://www.zohoapis.com).", status: 404),
            _ when a.IsSuccess => a.Malformed($"an answer {a.Status} GrowthBrain cannot use ({ZohoAnswer.Describe(a.Text)})"),
            _ => new CrmException($"Zoho refused {a.What} ({a.Status} {said}{details}).", status: a.Status),
        };
    }

    /// <summary>The 200 (or 304/204 for an empty list) a call must have, or the refusal in words.</summary>
    public static ZohoAnswer Ok(ZohoAnswer a, string scope) => a.IsSuccess ? a : throw Refused(a, scope);
}
