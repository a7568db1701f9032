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
    private readonly SlidingWindow? _burst;
    private readonly SlidingWindow? _search;
    private readonly int _dailyLimit;
    private readonly TimeProvider _clock;
    private readonly Lock _dayGate = new();
    private DateOnly _day;
    private int _dayCount;

    public HubSpotRateLimiter(IOptions<HubSpotOptions> options, TimeProvider clock)
    {
        var o = options.Value;
        _clock = clock;
        _burst = o.BurstPer10Seconds > 0 ? new SlidingWindow(o.BurstPer10Seconds, TimeSpan.FromSeconds(10), clock) : null;
        _search = o.SearchPerSecond > 0 ? new SlidingWindow(o.SearchPerSecond, TimeSpan.FromSeconds(1), clock) : null;
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

/// <summary>
/// At most <c>limit</c> calls in any window. A call holds its slot from the moment it is sent until its answer came
/// back, and then for one more window: HubSpot counts a call when it arrives, which is somewhere between those two
/// instants, so counting from the answer means HubSpot can never see more than <c>limit</c> calls in one window,
/// however the network delays them. The price is a window a little longer than HubSpot's, by one call's duration.
/// </summary>
internal sealed class SlidingWindow(int limit, TimeSpan window, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private readonly Queue<DateTimeOffset> _finished = new();
    private int _inFlight;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<IDisposable> AcquireAsync(CancellationToken ct)
    {
        while (true)
        {
            TimeSpan wait;
            Task changed;
            lock (_gate)
            {
                var now = clock.GetUtcNow();
                while (_finished.Count > 0 && _finished.Peek() + window <= now) _finished.Dequeue();
                if (_inFlight + _finished.Count < limit)
                {
                    _inFlight++;
                    return new Slot(this);
                }
                wait = _finished.Count > 0 ? _finished.Peek() + window - now : Timeout.InfiniteTimeSpan;
                changed = _changed.Task;
            }
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var delay = wait == Timeout.InfiniteTimeSpan ? Task.Delay(Timeout.Infinite, stop.Token) : Task.Delay(wait, clock, stop.Token);
            await Task.WhenAny(changed, delay);
            await stop.CancelAsync();
            ct.ThrowIfCancellationRequested();
        }
    }

    private void Release()
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _inFlight--;
            _finished.Enqueue(clock.GetUtcNow());
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }

    private sealed class Slot(SlidingWindow owner) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) owner.Release();
        }
    }
}
