using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Polly.Timeout;

namespace GrowthBrain.Integrations.HubSpot;

/// <param name="Body">The answer parsed as JSON; null when it was empty or not JSON (see <paramref name="Raw"/>).</param>
public sealed record HubSpotResponse(int Status, JsonNode? Body, string Raw)
{
    public bool Success => Status is >= 200 and < 300;

    /// <summary>The body as a JSON object, or a clear error when HubSpot answered something else.</summary>
    public JsonObject Object(string what) => Body as JsonObject
        ?? throw new CrmException($"HubSpot answered {what} with {Status} and a body that is not the documented JSON object: '{HubSpotErrors.Snippet(Raw)}'. " +
            "Check that Crm:HubSpot:BaseUrl is the HubSpot API (https://api.hubapi.com); if it is, sync again later.", retryable: true, status: Status);
}

/// <summary>
/// The typed HttpClient for HubSpot's API: bearer token, JSON in and out. Retries (429 with Retry-After, 5xx, 408,
/// timeouts) and the rate limiter live in its handler pipeline (<see cref="HubSpotServices"/>); this class turns what
/// is left, an answer or a failure to get one, into a <see cref="HubSpotResponse"/> or a <see cref="CrmException"/>.
/// </summary>
public sealed class HubSpotApiClient(HttpClient http)
{
    /// <summary>Sends one call. Only failures to get any answer throw; every HTTP answer is returned to the caller to read.</summary>
    /// <param name="creates">The call creates records, so it is not repeated after a timeout or 5xx (HubSpot may have run it).</param>
    public async Task<HubSpotResponse> SendAsync(HubSpotOptions credentials, HttpMethod method, string path, object? body, string what,
        CancellationToken ct, bool search = false, bool creates = false)
    {
        using var request = new HttpRequestMessage(method, Address(credentials, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credentials.AccessToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
            request.Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        request.Options.Set(HubSpotRateLimitHandler.Search, search);
        CrmRetry.MarkCreates(request, creates);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
            var raw = await response.Content.ReadAsStringAsync(ct);
            return new HubSpotResponse((int)response.StatusCode, Parse(raw), raw);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && e is TimeoutRejectedException or TaskCanceledException)
        {
            throw new CrmException($"HubSpot did not answer in time when {what} ({credentials.BaseUrl}), after retries: it is slow or overloaded; " +
                "sync again later, or raise Crm:HubSpot:AttemptTimeoutSeconds.", retryable: true, inner: e);
        }
        catch (HttpRequestException e) when (!ct.IsCancellationRequested)
        {
            var unreachable = e.InnerException is SocketException || e.HttpRequestError is HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError;
            throw new CrmException(unreachable
                ? $"HubSpot cannot be reached at {credentials.BaseUrl} ({e.Message}) when {what}: check Crm:HubSpot:BaseUrl (https://api.hubapi.com) and this server's network and proxy."
                : $"The connection to HubSpot at {credentials.BaseUrl} failed when {what} ({e.Message}), after retries: sync again later.", retryable: true, inner: e);
        }
    }

    /// <summary>Sends one call and returns its JSON object, throwing the mapped error for any answer but 2xx.</summary>
    public async Task<JsonObject> SendForObjectAsync(HubSpotOptions credentials, HttpMethod method, string path, object? body, string what,
        CancellationToken ct, bool search = false)
    {
        var response = await SendAsync(credentials, method, path, body, what, ct, search);
        if (!response.Success) throw HubSpotErrors.Exception(response, what);
        return response.Object(what);
    }

    private static Uri Address(HubSpotOptions credentials, string path) => new(credentials.BaseUrl.TrimEnd('/') + path, UriKind.Absolute);

    private static JsonNode? Parse(string raw)
    {
        if (string.IsNullOrWhiteSpace(raw)) return null;
        try
        {
            return JsonNode.Parse(raw);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
