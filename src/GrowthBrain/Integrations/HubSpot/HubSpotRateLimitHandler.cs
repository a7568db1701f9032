namespace GrowthBrain.Integrations.HubSpot;

/// <summary>
/// Sits between the retries and the attempt timeout (see HubSpotServices), so every attempt waits for its slot in the windows.
/// </summary>
public sealed class HubSpotRateLimitHandler(HubSpotRateLimiter limiter) : DelegatingHandler
{
    /// <summary>Marks a call HubSpot counts against its search limit.</summary>
    public static readonly HttpRequestOptionsKey<bool> Search = new("HubSpot.Search");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var search = request.Options.TryGetValue(Search, out var s) && s;
        using var lease = await limiter.AcquireAsync(search, cancellationToken);
        return await base.SendAsync(request, cancellationToken);
    }
}
