using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Polly.Timeout;

namespace GrowthBrain.Integrations.Salesforce;

/// <summary>
/// The REST API of the org's instance. Retries, per-attempt timeouts and the concurrency limit live in this client's
/// handler pipeline (SalesforceServices); here: the session, one refresh-and-repeat when Salesforce says the session
/// expired, the daily API budget checked before each call, and turning what Salesforce answered into words.
/// </summary>
public sealed class SalesforceApiClient(HttpClient http, SalesforceTokenClient login, SalesforceTokenCache tokens, SalesforceLimits limits)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    /// <summary>A session now (refreshing it when none is cached), for the connection test.</summary>
    public Task<SalesforceSession> SessionAsync(SalesforceOptions o, CancellationToken ct) => tokens.GetAsync(login, o, null, ct);

    public static string Data(SalesforceOptions o) => $"/services/data/{o.ApiVersion}";

    /// <summary>
    /// Calls the API and returns its answer, whatever the status; transport failures and timeouts (after the retries)
    /// and a spent daily budget become a <see cref="CrmException"/>. Use <see cref="Refused"/> for an answer that is not a success.
    /// </summary>
    /// <param name="path">From the instance's root: /services/data/v60.0/... (a nextRecordsUrl as Salesforce gave it).</param>
    /// <param name="creates">The call creates records: not repeated after a timeout or 5xx, which may have created them.</param>
    public async Task<SalesforceAnswer> SendAsync(SalesforceOptions o, HttpMethod method, string path, object? body, CancellationToken ct,
        bool creates = false, IReadOnlyDictionary<string, string>? headers = null)
    {
        var what = $"{method} {path.Split('?')[0]}";
        var session = await tokens.GetAsync(login, o, null, ct);
        if (limits.NeedsReading(session.InstanceUrl)) session = await ReadLimitsAsync(o, session, ct);
        limits.Spend(session.InstanceUrl, what);
        var answer = await SendOnceAsync(session, method, path, body, creates, headers, what, ct);
        if (IsExpiredSession(answer))
        {
            // The session timed out or was revoked: one new session, one more try; a second refusal is real.
            session = await tokens.GetAsync(login, o, session.AccessToken, ct);
            limits.Spend(session.InstanceUrl, what);
            answer = await SendOnceAsync(session, method, path, body, creates, headers, what, ct);
        }
        return answer;
    }

    /// <summary>The org's daily API requests (DailyApiRequests of the limits resource), recorded for the budget; returns the session used.</summary>
    public async Task<SalesforceSession> ReadLimitsAsync(SalesforceOptions o, SalesforceSession session, CancellationToken ct)
    {
        var path = $"{Data(o)}/limits";
        var what = $"GET {path}";
        var answer = await SendOnceAsync(session, HttpMethod.Get, path, null, false, null, what, ct);
        if (IsExpiredSession(answer))
        {
            session = await tokens.GetAsync(login, o, session.AccessToken, ct);
            answer = await SendOnceAsync(session, HttpMethod.Get, path, null, false, null, what, ct);
        }
        var body = Ok(answer).Require(JsonValueKind.Object);
        if (!body.TryGetProperty("DailyApiRequests", out var daily) || daily.ValueKind != JsonValueKind.Object
            || !daily.TryGetProperty("Max", out var max) || !max.TryGetInt32(out var m)
            || !daily.TryGetProperty("Remaining", out var remaining) || !remaining.TryGetInt32(out var r))
            throw answer.Malformed("no DailyApiRequests {Max, Remaining}");
        limits.Record(session.InstanceUrl, m, r);
        return session;
    }

    private static bool IsExpiredSession(SalesforceAnswer a) => a.Status == 401 && a.Code is "INVALID_SESSION_ID" or null;

    private async Task<SalesforceAnswer> SendOnceAsync(SalesforceSession session, HttpMethod method, string path, object? body, bool creates,
        IReadOnlyDictionary<string, string>? headers, string what, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, session.InstanceUrl + path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", session.AccessToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        foreach (var (name, value) in headers ?? new Dictionary<string, string>()) request.Headers.TryAddWithoutValidation(name, value);
        if (body is not null) request.Content = new StringContent(JsonSerializer.Serialize(body, Json), Encoding.UTF8, "application/json");
        CrmRetry.MarkCreates(request, creates);
        try
        {
            using var response = await http.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            return new SalesforceAnswer((int)response.StatusCode, Parse(text), text, what);
        }
        catch (HttpRequestException e)
        {
            throw new CrmException($"Could not reach Salesforce at {session.InstanceUrl} for {what} ({e.Message}); check this server's network and try again.",
                retryable: true, inner: e);
        }
        catch (Exception e) when (e is TimeoutRejectedException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            throw new CrmException($"Salesforce did not answer {what} in time, even after retries (Crm:Salesforce:AttemptTimeout, Crm:Salesforce:TotalTimeout)" +
                                   (creates ? "; records it was creating may or may not exist (creates are not repeated, to avoid doubles)" : "") +
                                   ". Try again later.", retryable: true, inner: e);
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

    /// <summary>The success a call must have, or the refusal in words.</summary>
    public static SalesforceAnswer Ok(SalesforceAnswer a) => a.IsSuccess ? a : throw Refused(a);

    /// <summary>What Salesforce's refusal means and what to do about it.</summary>
    public static CrmException Refused(SalesforceAnswer a)
    {
        var said = a.Code is null ? SalesforceAnswer.Describe(a.Text) : $"{a.Code}: {a.Message}";
        return (a.Status, a.Code) switch
        {
            (_, "REQUEST_LIMIT_EXCEEDED") => new CrmException(
                $"Salesforce refused {a.What} ({a.Status} {said}): the org's daily API request limit is used up, by GrowthBrain and the org's other " +
                "integrations together. Salesforce counts requests over a rolling 24 hours: sync again in a few hours (the next sync continues where this " +
                "one stopped), or ask Salesforce for a higher limit.", retryable: true, status: a.Status),
            (401, _) => new CrmException(
                $"Salesforce refused the session for {a.What} even after a fresh one ({a.Status} {said}): reconnect (authorize the connected app again and " +
                "set the new Crm:Salesforce:RefreshToken), and check the connected app's policies allow the refresh token.", status: 401),
            (403, "API_DISABLED_FOR_ORG") => new CrmException(
                $"Salesforce refused {a.What} (403 {said}): this org's edition has no API access (Enterprise, Unlimited, Developer and Performance " +
                "editions have it; Professional needs the API add-on).", status: 403),
            (403, _) => new CrmException(
                $"Salesforce refused {a.What} (403 {said}): the user who authorized GrowthBrain lacks this permission (API Enabled, and read/edit on " +
                "Leads, Contacts and Tasks). Reconnect as a user who has them.", status: 403),
            (429, _) => new CrmException($"Salesforce limited {a.What} (429 {said}) even after waiting and retrying; try again later.", retryable: true, status: 429),
            (>= 500, _) => new CrmException($"Salesforce failed {a.What} ({a.Status} {said}) even after retries; try again later.", retryable: true, status: a.Status),
            (404, _) => new CrmException(
                $"Salesforce answered 404 for {a.What} ({said}): check Crm:Salesforce:ApiVersion ({a.What.Split('/').ElementAtOrDefault(3)}) is one this org serves.", status: 404),
            _ when a.IsSuccess => a.Malformed($"an answer GrowthBrain cannot use ({SalesforceAnswer.Describe(a.Text)})"),
            _ => new CrmException($"Salesforce refused {a.What} ({a.Status} {said}).", status: a.Status),
        };
    }
}
