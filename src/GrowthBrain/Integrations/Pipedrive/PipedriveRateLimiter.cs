using System.Globalization;
using Microsoft.Extensions.Options;

namespace GrowthBrain.Integrations.Pipedrive;

/// <summary>
/// Keeps this process inside Pipedrive's two limits. The burst limit: at most <see cref="PipedriveOptions.BurstPer2Seconds"/>
/// requests per 2-second window per token (lowered to what Pipedrive's x-ratelimit-limit says, when that is less, and
/// paused when x-ratelimit-remaining reaches 0 until x-ratelimit-reset). The daily budget: the token cost of every
/// call (Pipedrive prices each endpoint) is counted per UTC day against <see cref="PipedriveOptions.DailyTokenBudget"/>,
/// and the x-daily-requests-left Pipedrive reports for writes is remembered, so a batch of writes that would not fit is
/// refused before its first write. Both limits belong to the Pipedrive token or company, but this count is per process:
/// several GrowthBrain instances sharing one token should each be given their share; the 429 retries cover the overlap.
/// </summary>
public sealed class PipedriveRateLimiter
{
    private readonly RequestWindow? _burst;
    private readonly int _dailyBudget;
    private readonly TimeProvider _clock;
    private readonly Lock _dayGate = new();
    private DateOnly _day;
    private int _spentToday;
    private int? _writesLeft;
    private DateOnly _writesLeftDay;

    public PipedriveRateLimiter(IOptions<PipedriveOptions> options, TimeProvider clock)
    {
        var o = options.Value;
        _clock = clock;
        _burst = o.BurstPer2Seconds > 0 ? new RequestWindow(o.BurstPer2Seconds, o.BurstWindow, clock) : null;
        _dailyBudget = o.DailyTokenBudget;
    }

    /// <summary>Tokens this process spent today (UTC).</summary>
    public int SpentToday
    {
        get { lock (_dayGate) return _day == Today() ? _spentToday : 0; }
    }

    /// <summary>Tokens left today by this process's count; null when the budget is off.</summary>
    public int? TokensLeft => _dailyBudget > 0 ? Math.Max(0, _dailyBudget - SpentToday) : null;

    /// <summary>What Pipedrive last said about write requests left today (x-daily-requests-left), when it said it today.</summary>
    public int? WritesLeft
    {
        get { lock (_dayGate) return _writesLeftDay == Today() ? _writesLeft : null; }
    }

    /// <summary>The burst limit in force: the configured one, or Pipedrive's x-ratelimit-limit when lower.</summary>
    public int? BurstLimit => _burst?.Limit;

    /// <summary>Charges the call's tokens to today's budget and waits for a slot in the burst window; dispose when answered.</summary>
    /// <exception cref="CrmException">Today's budget is used up.</exception>
    public async Task<IDisposable> AcquireAsync(int tokens, string what, CancellationToken ct)
    {
        Charge(tokens, what);
        return _burst is null ? NoSlot.Instance : await _burst.AcquireAsync(ct);
    }

    /// <summary>
    /// Refuses a batch of <paramref name="writes"/> writes costing <paramref name="tokens"/> before its first write, when
    /// what is left today would not cover it: better a clear stop now than a sync failing half-way through.
    /// </summary>
    public void EnsureBudgetFor(int writes, int tokens)
    {
        var left = TokensLeft;
        var writesLeft = WritesLeft;
        if (left is { } l && l < tokens)
            throw Exhausted($"{l:N0} API tokens left of the {_dailyBudget:N0} Crm:Pipedrive:DailyTokenBudget, {tokens:N0} needed for {writes:N0} writes");
        if (writesLeft is { } w && w < writes)
            throw Exhausted($"Pipedrive reports {w:N0} write requests left today (x-daily-requests-left), {writes:N0} needed");
    }

    /// <summary>Reads the limit headers of an answer: Pipedrive's own view of the window and the day.</summary>
    public void Observe(HttpResponseMessage response)
    {
        var limit = Header(response, "x-ratelimit-limit");
        var remaining = Header(response, "x-ratelimit-remaining");
        var reset = Header(response, "x-ratelimit-reset");
        if (_burst is not null && limit is > 0) _burst.LowerTo(limit.Value);
        if (_burst is not null && remaining == 0 && reset is > 0) _burst.PauseFor(TimeSpan.FromSeconds(reset.Value));
        if (Header(response, "x-daily-requests-left") is { } left)
            lock (_dayGate) (_writesLeft, _writesLeftDay) = (left, Today());
    }

    private void Charge(int tokens, string what)
    {
        if (_dailyBudget <= 0 || tokens <= 0) return;
        lock (_dayGate)
        {
            // Pipedrive resets the budget at the start of the day on its servers; UTC midnight is the closest this
            // process can know, and Pipedrive's own 429 still stops a call past its real budget.
            var today = Today();
            if (today != _day) (_day, _spentToday) = (today, 0);
            if (_spentToday + tokens > _dailyBudget)
                throw Exhausted($"{_dailyBudget - _spentToday:N0} API tokens left of the {_dailyBudget:N0} Crm:Pipedrive:DailyTokenBudget, {tokens} needed for {what}");
            _spentToday += tokens;
        }
    }

    private static CrmException Exhausted(string detail) =>
        new($"The daily Pipedrive API budget would be exceeded: {detail}. Nothing more was sent; the sync continues tomorrow " +
            "(the budget resets at midnight). Raise Crm:Pipedrive:DailyTokenBudget if your plan and seats allow more.", retryable: true, status: 429);

    private DateOnly Today() => DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime);

    private static int? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) && int.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
            ? v : null;

    /// <summary>
    /// What each call costs in tokens, per the categories of Pipedrive's token cost table: v1 lists 20, v1 single reads
    /// 2, v1 writes 10, v1 deletes 6; v2 endpoints cost half (10, 1, 5, 3).
    /// </summary>
    public static int CostOf(HttpMethod method, string path)
    {
        var v2 = path.StartsWith("/api/v2/", StringComparison.Ordinal);
        var bare = path.Split('?')[0].TrimEnd('/');
        var last = bare[(bare.LastIndexOf('/') + 1)..];
        var single = last.Length > 0 && last.All(char.IsAsciiDigit) || last == "me";
        var v1 = method == HttpMethod.Get ? (single ? 2 : 20) : method == HttpMethod.Delete ? 6 : 10;
        return v2 ? Math.Max(1, v1 / 2) : v1;
    }

    private sealed class NoSlot : IDisposable
    {
        public static readonly NoSlot Instance = new();
        public void Dispose() { }
    }
}
