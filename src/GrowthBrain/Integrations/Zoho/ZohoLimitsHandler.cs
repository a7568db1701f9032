namespace GrowthBrain.Integrations.Zoho;

/// <summary>
/// Sits inside the retry pipeline, so every attempt (a retry too) takes a concurrency slot and pays its credits,
/// as Zoho counts them. The body is read before the slot is freed: Zoho counts a call in flight until it is answered.
/// </summary>
public sealed class ZohoLimitsHandler(ZohoLimits limits) : DelegatingHandler
{
    public static readonly HttpRequestOptionsKey<int> Credits = new("GrowthBrain.Zoho.Credits");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var credits = request.Options.TryGetValue(Credits, out var c) ? c : 1;
        using var slot = await limits.EnterAsync(credits, ct);
        var response = await base.SendAsync(request, ct);
        await response.Content.LoadIntoBufferAsync(ct);
        return response;
    }
}
