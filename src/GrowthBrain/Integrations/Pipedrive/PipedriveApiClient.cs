using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Polly.Timeout;

namespace GrowthBrain.Integrations.Pipedrive;

/// <summary>
/// The typed HttpClient for Pipedrive's API (v1 and v2 on the same host): the token in the x-api-token header, JSON in
/// and out. Retries (429 with Retry-After, 5xx, 408, timeouts), the burst window and the daily budget live in its
/// handler pipeline (PipedriveServices); this class turns what is left, an answer or a failure to get one, into a
/// <see cref="PipedriveAnswer"/> or a <see cref="CrmException"/>.
/// </summary>
public sealed class PipedriveApiClient(HttpClient http)
{
    /// <summary>Sends one call. Only failures to get any answer throw; every HTTP answer is returned to read.</summary>
    /// <param name="creates">The call creates something, so it is not repeated after a timeout or 5xx (it may have run).</param>
    public async Task<PipedriveAnswer> SendAsync(PipedriveOptions o, HttpMethod method, string pathAndQuery, object? body, CancellationToken ct,
        bool creates = false)
    {
        var what = $"{method} {pathAndQuery.Split('?')[0]}";
        using var request = new HttpRequestMessage(method, new Uri(o.BaseUrl.TrimEnd('/') + pathAndQuery, UriKind.Absolute));
        request.Headers.TryAddWithoutValidation("x-api-token", o.ApiToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
            request.Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        CrmRetry.MarkCreates(request, creates);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
            var raw = await response.Content.ReadAsStringAsync(ct);
            return new PipedriveAnswer((int)response.StatusCode, Parse(raw), raw, what);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && e is TimeoutRejectedException or TaskCanceledException)
        {
            throw new CrmException($"Pipedrive did not answer {what} in time at {o.BaseUrl}, even after retries: it is slow or overloaded; " +
                "sync again later, or raise Crm:Pipedrive:AttemptTimeout.", retryable: true, inner: e);
        }
        catch (HttpRequestException e) when (!ct.IsCancellationRequested)
        {
            var unreachable = e.InnerException is SocketException || e.HttpRequestError is HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError;
            throw new CrmException(unreachable
                ? $"Pipedrive cannot be reached at {o.BaseUrl} ({e.Message}) for {what}: check Crm:Pipedrive:BaseUrl (https://api.pipedrive.com) and this server's network and proxy."
                : $"The connection to Pipedrive at {o.BaseUrl} failed for {what} ({e.Message}), even after retries: sync again later.", retryable: true, inner: e);
        }
    }

    /// <summary>Sends one call and returns its answer when it succeeded; any other answer becomes the mapped error.</summary>
    public async Task<PipedriveAnswer> SendOkAsync(PipedriveOptions o, HttpMethod method, string pathAndQuery, object? body, CancellationToken ct,
        bool creates = false)
    {
        var answer = await SendAsync(o, method, pathAndQuery, body, ct, creates);
        if (!answer.IsSuccess) throw PipedriveErrors.Exception(answer);
        if (answer.RequireObject()["success"] is JsonValue s && s.TryGetValue<bool>(out var ok) && !ok)
            throw PipedriveErrors.Exception(answer);
        return answer;
    }

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
