using Microsoft.Extensions.Options;

namespace GrowthBrain.Integrations.HubSpot;

/// <summary>
/// Keeps this process within HubSpot's published limits: every call counts against the burst window
/// (<see cref="HubSpotOptions.BurstPer10Seconds"/> per rolling 10 s), search calls also against
/// <see cref="HubSpotOptions.SearchPerSecond"/>, and all of them against the daily count. The limits are per
/// HubSpot account, but this limiter is per process: several GrowthBrain instances (or other apps) sharing one
/// account share its limits, so each should be given its part of them; the 429 retries cover the overlap.
/// </summary>
public sealed class HubSpotRateLimiter
{
    private readonly RequestWindow? _burst;
    private readonly RequestWindow? _search;
    private readonly int _dailyLimit;
    private readonly TimeProvider _clock;
    private readonly Lock _dayGate = new();
    private DateOnly _day;
    private int _dayCount;

    public HubSpotRateLimiter(IOptions<HubSpotOptions> options, TimeProvider clock)
    {
        var o = options.Value;
        _clock = clock;
        _burst = o.BurstPer10Seconds > 0 ? new RequestWindow(o.BurstPer10Seconds, TimeSpan.FromSeconds(10), clock) : null;
        _search = o.SearchPerSecond > 0 ? new RequestWindow(o.SearchPerSecond, TimeSpan.FromSeconds(1), clock) : null;
        _dailyLimit = o.DailyLimit;
    }

    /// <summary>Calls counted today (UTC) by this process.</summary>
    public int CallsToday
    {
        get
        {
            lock (_dayGate) return _day == Today() ? _dayCount : 0;
        }
    }

    /// <summary>Waits for a free slot in every window the call counts against; dispose the lease when the answer came.</summary>
    /// <exception cref="CrmException">The daily limit is used up.</exception>
    public async Task<IDisposable> AcquireAsync(bool search, CancellationToken ct)
    {
        CountToday();
        var searchSlot = search && _search is not null ? await _search.AcquireAsync(ct) : null;
        try
        {
            var burstSlot = _burst is not null ? await _burst.AcquireAsync(ct) : null;
            return new Lease(searchSlot, burstSlot);
        }
        catch
        {
            searchSlot?.Dispose();
            throw;
        }
    }

    private void CountToday()
    {
        if (_dailyLimit <= 0) return;
        lock (_dayGate)
        {
            // HubSpot resets the daily count at midnight in the account's time zone; UTC midnight is the closest this
            // process can know without asking, and HubSpot's own 429 (policy DAILY) still stops a call past the real limit.
            var today = Today();
            if (today != _day) (_day, _dayCount) = (today, 0);
            if (_dayCount >= _dailyLimit)
                throw new CrmException($"HubSpot's daily limit of {_dailyLimit} API calls (Crm:HubSpot:DailyLimit) is used up in this process: " +
                    "the sync stops here and continues tomorrow. Raise Crm:HubSpot:DailyLimit if your HubSpot plan allows more calls.", retryable: true, status: 429);
            _dayCount++;
        }
    }

    private DateOnly Today() => DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime);

    private sealed class Lease(IDisposable? search, IDisposable? burst) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
            burst?.Dispose();
            search?.Dispose();
        }
    }
}
