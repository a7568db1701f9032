using Microsoft.Extensions.Options;

namespace GrowthBrain.Integrations.Zoho;

/// <summary>
/// Zoho's two published limits, kept in this process: calls in flight at once (per org and app) and API credits
/// spent in a rolling 24-hour window. Several GrowthBrain instances sharing one Zoho org each keep their own
/// count, so the org can still be overrun by their sum: give each instance its share in the options.
/// </summary>
public sealed class ZohoLimits : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(24);

    private readonly SemaphoreSlim? _slots;
    private readonly int _creditsPerDay;
    private readonly TimeProvider _clock;
    private readonly Queue<(DateTimeOffset At, int Credits)> _spent = new();
    private readonly Lock _gate = new();
    private int _spentInWindow;
    private int _inFlight;
    private int _maxInFlight;

    public ZohoLimits(IOptions<ZohoOptions> options, TimeProvider clock)
    {
        var o = options.Value;
        _slots = o.MaxConcurrentCalls > 0 ? new SemaphoreSlim(o.MaxConcurrentCalls, o.MaxConcurrentCalls) : null;
        _creditsPerDay = o.CreditsPerDay;
        _clock = clock;
    }

    /// <summary>The most calls this process has had in flight at once.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>Credits spent in the last 24 hours.</summary>
    public int CreditsSpent
    {
        get { lock (_gate) { Expire(_clock.GetUtcNow()); return _spentInWindow; } }
    }

    /// <summary>Charges the call's credits (refusing before the day's allowance would be exceeded) and waits for a slot.</summary>
    public async Task<IDisposable> EnterAsync(int credits, CancellationToken ct)
    {
        Charge(credits);
        if (_slots is not null) await _slots.WaitAsync(ct);
        var now = Interlocked.Increment(ref _inFlight);
        int seen;
        while (now > (seen = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen) { }
        return new Slot(this);
    }

    private void Charge(int credits)
    {
        if (_creditsPerDay <= 0 || credits <= 0) return;
        var now = _clock.GetUtcNow();
        lock (_gate)
        {
            Expire(now);
            if (_spentInWindow + credits > _creditsPerDay)
            {
                var freeAt = _spent.Count > 0 ? _spent.Peek().At + Window : now;
                throw new CrmException(
                    $"GrowthBrain has spent {_spentInWindow:N0} of the {_creditsPerDay:N0} Zoho API credits it allows itself per 24 hours " +
                    $"(Crm:Zoho:CreditsPerDay) and this call needs {credits}; the oldest credits free up at {freeAt:yyyy-MM-dd HH:mm} UTC. " +
                    "Wait, or raise Crm:Zoho:CreditsPerDay if your Zoho edition and licenses allow more.", retryable: true);
            }
            _spent.Enqueue((now, credits));
            _spentInWindow += credits;
        }
    }

    private void Expire(DateTimeOffset now)
    {
        while (_spent.Count > 0 && _spent.Peek().At + Window <= now) _spentInWindow -= _spent.Dequeue().Credits;
    }

    private void Leave()
    {
        Interlocked.Decrement(ref _inFlight);
        _slots?.Release();
    }

    public void Dispose() => _slots?.Dispose();

    private sealed class Slot(ZohoLimits limits) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) limits.Leave();
        }
    }

    /// <summary>
    /// What a call costs, per the API limits page: 1 credit per call, except inserts, updates and upserts, which cost
    /// 1 credit per 10 records (a full batch of 100: 10 credits).
    /// </summary>
    public static int CreditsFor(HttpMethod method, string path, int records)
    {
        var isRecordWrite = (method == HttpMethod.Post || method == HttpMethod.Put || method == HttpMethod.Patch) && !path.Contains("/settings/", StringComparison.Ordinal);
        return isRecordWrite ? Math.Max(1, (records + 9) / 10) : 1;
    }
}
