namespace GrowthBrain.Integrations.Pipedrive;

/// <summary>
/// Sits inside the retries (see PipedriveServices), so every attempt, a retry too, pays its tokens and waits for its
/// slot in the burst window, as Pipedrive counts them. The body is read before the slot is freed: the slot's window
/// starts when the answer is complete.
/// </summary>
public sealed class PipedriveRateLimitHandler(PipedriveRateLimiter limiter) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var path = request.RequestUri?.AbsolutePath ?? "/";
        var what = $"{request.Method} {path}";
        using var slot = await limiter.AcquireAsync(PipedriveRateLimiter.CostOf(request.Method, path), what, ct);
        var response = await base.SendAsync(request, ct);
        await response.Content.LoadIntoBufferAsync(ct);
        limiter.Observe(response);
        return response;
    }
}
