using GrowthBrain.Data;
using GrowthBrain.Live;
using Microsoft.EntityFrameworkCore;

namespace GrowthBrain.Web.Live;

public sealed class LiveOptions
{
    public const string Section = "Live";

    /// <summary>How often the one poller reads every team's change marker (Live:PollMilliseconds).</summary>
    public int PollMilliseconds { get; set; } = 500;
}

/// <summary>
/// Tells open pages in this instance that their team's data changed, wherever the change was made (this
/// instance, another one, the CLI): one background loop reads the team_changes markers for all teams and
/// raises an in-process event; pages subscribe. One query per interval whatever the number of open pages.
/// See docs/adr/0006-live-updates-by-polling-a-change-marker.md.
/// </summary>
public sealed class ChangeFeed(GrowthBrainDbFactory dbs, Microsoft.Extensions.Options.IOptions<LiveOptions> options, ILogger<ChangeFeed> log)
    : BackgroundService
{
    private readonly Dictionary<long, long> _versions = [];
    private readonly List<LiveSubscription> _subscribers = [];
    private readonly Lock _gate = new();
    private bool _baseline;
    private string? _lastError;

    /// <summary>
    /// Calls <paramref name="refresh"/> after every change to <paramref name="teamId"/>'s data (any team when null).
    /// Refreshes never overlap: changes during one make exactly one more. Dispose with the page.
    /// </summary>
    public LiveSubscription Subscribe(Func<Task> refresh, long? teamId = null)
    {
        var subscription = new LiveSubscription(this, refresh, teamId, log);
        lock (_gate) _subscribers.Add(subscription);
        return subscription;
    }

    internal void Unsubscribe(LiveSubscription subscription)
    {
        lock (_gate) _subscribers.Remove(subscription);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Max(50, options.Value.PollMilliseconds)));
        do
        {
            try
            {
                await PollAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A database that is down or not migrated yet: keep polling, but say so once, not twice a second.
                if (e.Message != _lastError) log.LogWarning(e, "Live updates: could not read the change markers; retrying");
                _lastError = e.Message;
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One read of every team's marker; raises a change for each team whose version moved.</summary>
    internal async Task PollAsync(CancellationToken ct)
    {
        Dictionary<long, long> now;
        await using (var db = dbs.CreateDbContext())
        {
            var connection = db.Database.GetDbConnection();
            await connection.OpenAsync(ct);
            now = await ChangeMarker.ReadAllAsync(connection, ct);
        }
        _lastError = null;
        var changed = new List<long>();
        foreach (var (team, version) in now)
        {
            if (!_versions.TryGetValue(team, out var seen) || seen != version)
            {
                _versions[team] = version;
                // The first read only learns where things stand; pages loaded what was there.
                if (_baseline) changed.Add(team);
            }
        }
        _baseline = true;
        if (changed.Count == 0) return;
        LiveSubscription[] subscribers;
        lock (_gate) subscribers = [.. _subscribers];
        foreach (var team in changed)
        {
            foreach (var s in subscribers) s.OnChanged(team);
        }
    }
}

/// <summary>A page's subscription to <see cref="ChangeFeed"/>.</summary>
public sealed class LiveSubscription(ChangeFeed feed, Func<Task> refresh, long? teamId, ILogger log) : IDisposable
{
    private readonly Lock _gate = new();
    private bool _running;
    private bool _pending;
    private bool _disposed;

    internal void OnChanged(long team)
    {
        if (teamId is { } t && t != team) return;
        lock (_gate)
        {
            if (_disposed) return;
            if (_running)
            {
                _pending = true;
                return;
            }
            _running = true;
        }
        _ = RunAsync();
    }

    /// <summary>
    /// A page refreshes at once on the first change, then at most once a second while changes keep coming (a long
    /// import bumps the marker every batch), so many open pages don't turn an import into a stream of queries.
    /// </summary>
    internal static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);

    private async Task RunAsync()
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var first = true;
        while (true)
        {
            if (!first && MinInterval - started.Elapsed is { Ticks: > 0 } wait) await Task.Delay(wait);
            first = false;
            started.Restart();
            try
            {
                await refresh();
            }
            catch (Exception e)
            {
                // A closed circuit or a failed query must not stop later refreshes or reach the poller.
                log.LogDebug(e, "Live updates: a page refresh failed");
            }
            lock (_gate)
            {
                if (_pending && !_disposed)
                {
                    _pending = false;
                    continue;
                }
                _running = false;
                return;
            }
        }
    }

    public void Dispose()
    {
        lock (_gate) _disposed = true;
        feed.Unsubscribe(this);
    }
}
