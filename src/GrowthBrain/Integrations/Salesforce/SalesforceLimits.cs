using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace GrowthBrain.Integrations.Salesforce;

/// <summary>
/// Salesforce's two published limits as this process keeps them. Calls in flight: a semaphore (the org allows 25
/// long-running requests; several GrowthBrain instances each keep their own count, so give each its share). The
/// org's API requests per rolling 24 hours: read from the limits resource, then kept current from the
/// Sforce-Limit-Info header of every answer, which is the org's own count: other instances and integrations
/// show in it too, so the reserve protects the whole org, not just this process's share.
/// </summary>
public sealed class SalesforceLimits : IDisposable
{
    private readonly SemaphoreSlim? _slots;
    private readonly SalesforceOptions _options;
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<string, Budget> _budgets = new(StringComparer.OrdinalIgnoreCase);
    private int _inFlight;
    private int _maxInFlight;

    public SalesforceLimits(IOptions<SalesforceOptions> options, TimeProvider clock)
    {
        _options = options.Value;
        _slots = _options.MaxConcurrentCalls > 0 ? new SemaphoreSlim(_options.MaxConcurrentCalls, _options.MaxConcurrentCalls) : null;
        _clock = clock;
    }

    /// <summary>The most calls this process has had in flight at once.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <param name="Max">The org's daily API requests.</param>
    /// <param name="Remaining">What is left of them in the rolling 24 hours.</param>
    public sealed record Budget(int Max, int Remaining, DateTimeOffset ReadAt);

    /// <summary>The last reading for the org at <paramref name="instanceUrl"/>, or null.</summary>
    public Budget? BudgetOf(string instanceUrl) => _budgets.GetValueOrDefault(Key(instanceUrl));

    /// <summary>Whether the limits resource should be read before the next call (never read, or read too long ago).</summary>
    public bool NeedsReading(string instanceUrl) =>
        BudgetOf(instanceUrl) is not { } b || _clock.GetUtcNow() - b.ReadAt >= _options.LimitsRefreshInterval;

    public void Record(string instanceUrl, int max, int remaining) =>
        _budgets[Key(instanceUrl)] = new Budget(max, Math.Max(0, remaining), _clock.GetUtcNow());

    /// <summary>Sforce-Limit-Info: api-usage=used/max, the org's count after this call.</summary>
    public void RecordHeader(Uri requestUri, string? header)
    {
        if (header is null) return;
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!part.StartsWith("api-usage=", StringComparison.OrdinalIgnoreCase)) continue;
            var numbers = part["api-usage=".Length..].Split('/');
            if (numbers.Length == 2 && int.TryParse(numbers[0], CultureInfo.InvariantCulture, out var used)
                && int.TryParse(numbers[1], CultureInfo.InvariantCulture, out var max) && max > 0)
                Record(requestUri.GetLeftPart(UriPartial.Authority), max, max - used);
        }
    }

    /// <summary>
    /// Refuses a call that would eat into the reserve left to the org's other integrations (and to people working in
    /// Salesforce, whose own API use counts against the same limit), and counts the call against the reading.
    /// </summary>
    public void Spend(string instanceUrl, string what)
    {
        var key = Key(instanceUrl);
        if (!_budgets.TryGetValue(key, out var b)) return;
        var reserve = Math.Max(_options.MinRemainingDailyRequests, (int)Math.Ceiling(b.Max * _options.DailyApiReservePercent / 100));
        if (b.Remaining <= reserve)
            throw new CrmException(
                $"Salesforce's org has {b.Remaining:N0} of its {b.Max:N0} daily API requests left, and GrowthBrain leaves {reserve:N0} to the org's other " +
                $"integrations and users (Crm:Salesforce:DailyApiReservePercent={_options.DailyApiReservePercent.ToString(CultureInfo.InvariantCulture)}, " +
                $"Crm:Salesforce:MinRemainingDailyRequests={_options.MinRemainingDailyRequests}), so it did not call {what}. Salesforce counts requests over " +
                "a rolling 24 hours: sync again in a few hours (the next sync continues where this one stopped), or lower the reserve.", retryable: true);
        _budgets.TryUpdate(key, b with { Remaining = b.Remaining - 1 }, b);
    }

    /// <summary>Waits for a slot for one attempt.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken ct)
    {
        if (_slots is not null) await _slots.WaitAsync(ct);
        var now = Interlocked.Increment(ref _inFlight);
        int seen;
        while (now > (seen = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen) { }
        return new Slot(this);
    }

    private void Leave()
    {
        Interlocked.Decrement(ref _inFlight);
        _slots?.Release();
    }

    private static string Key(string url) => Uri.TryCreate(url, UriKind.Absolute, out var u) ? u.GetLeftPart(UriPartial.Authority) : url;

    public void Dispose() => _slots?.Dispose();

    private sealed class Slot(SalesforceLimits limits) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) limits.Leave();
        }
    }
}

/// <summary>
/// Inside the retries, so every attempt takes a slot and every answer's Sforce-Limit-Info updates the org's count.
/// The body is read before the slot is freed: Salesforce counts a request in flight until it is answered.
/// </summary>
public sealed class SalesforceLimitsHandler(SalesforceLimits limits) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        using var slot = await limits.EnterAsync(ct);
        var response = await base.SendAsync(request, ct);
        await response.Content.LoadIntoBufferAsync(ct);
        if (request.RequestUri is { } uri && response.Headers.TryGetValues("Sforce-Limit-Info", out var values))
            limits.RecordHeader(uri, values.FirstOrDefault());
        return response;
    }
}
