namespace GrowthBrain.Integrations;

/// <summary>
/// At most <see cref="Limit"/> requests in any window, for a CRM's published rate limits (HubSpot's burst and search
/// limits, Pipedrive's burst limit). A request holds its slot from the moment it is sent until its answer came back,
/// and then for one more window: the CRM counts a request when it arrives, somewhere between those two instants, so
/// counting from the answer means the CRM can never see more than the limit in one window, however the network
/// delays requests. The price is a window longer than the CRM's by one request's duration.
/// </summary>
internal sealed class RequestWindow(int limit, TimeSpan window, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private readonly Queue<DateTimeOffset> _finished = new();
    private int _limit = limit;
    private int _inFlight;
    private DateTimeOffset _pausedUntil;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Limit
    {
        get { lock (_gate) return _limit; }
    }

    /// <summary>The CRM says the limit is lower than configured (its plan): keep to the CRM's.</summary>
    public void LowerTo(int serverLimit)
    {
        lock (_gate) if (serverLimit < _limit) _limit = serverLimit;
    }

    /// <summary>The CRM says the window is used up (by this process or another client of the same account): wait it out.</summary>
    public void PauseFor(TimeSpan wait)
    {
        lock (_gate)
        {
            var until = clock.GetUtcNow() + wait;
            if (until > _pausedUntil) _pausedUntil = until;
        }
    }

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
                if (now >= _pausedUntil && _inFlight + _finished.Count < _limit)
                {
                    _inFlight++;
                    return new Slot(this);
                }
                wait = now < _pausedUntil ? _pausedUntil - now
                    : _finished.Count > 0 ? _finished.Peek() + window - now : Timeout.InfiniteTimeSpan;
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

    private sealed class Slot(RequestWindow owner) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) owner.Release();
        }
    }
}
