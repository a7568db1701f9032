using System.Text.Json;
using GrowthBrain.Data;
using GrowthBrain.Leads;
using GrowthBrain.Scoring;
using Microsoft.EntityFrameworkCore;

namespace GrowthBrain.Insights;

/// <summary>The growth dashboard's numbers for one team (the first team when none is named).</summary>
public sealed record GetOverview(long? TeamId = null)
{
    public const int WindowDays = 90;
    public const int ActiveDays = 30;
    public const int ReplyWithinDays = 14;
    public const int StaleAfterDays = 30;
    public const int MoverDays = 7;
    public const int Months = 12;
    public const int FunnelStages = 8;
    public const int StaleListed = 10;
    public const int MoversListed = 8;
}

/// <summary>Won and lost leads closed in [From, To), with the win rate and its 95% Wilson interval (null when nothing closed).</summary>
public sealed record RateWindow(DateTime From, DateTime To, int Won, int Lost, double? Rate, double? Low, double? High);

/// <summary>The last window against the one before; the difference's interval is Newcombe's (from the two Wilson intervals).</summary>
public sealed record RateComparison(RateWindow Recent, RateWindow Previous, double? Difference, double? DifferenceLow, double? DifferenceHigh);

/// <summary>Leads won in [From, To) and their mean days from creation to close, with its 95% interval (t, from the spread of the cycles).</summary>
public sealed record CycleWindow(DateTime From, DateTime To, int WonLeads, double? AverageDays, double? Low = null, double? High = null);

/// <summary>The difference's interval is Welch's (unequal spreads), null while either side has fewer than two won leads.</summary>
public sealed record CycleComparison(CycleWindow Recent, CycleWindow Previous, double? DifferenceDays, double? DifferenceLow = null, double? DifferenceHigh = null);

/// <summary>
/// Conversion and sales cycle since the team started using GrowthBrain (<see cref="Adoption"/>, up to now) against the
/// 90 days before it: in each comparison Recent is "since" and Previous is "before". Null when no adoption date is known.
/// </summary>
public sealed record SinceGrowthBrain(Adoption Adoption, RateComparison Conversion, CycleComparison SalesCycle);

public sealed record MonthPoint(int Year, int Month, int Won, int Lost, double? ConversionRate, double? MedianCycleDays);

public sealed record StageCount(string Stage, int Leads);

public sealed record StaleLead(long Id, string Name, int DaysSinceActivity);

public sealed record ScoreMover(long LeadId, string Name, double From, double To);

public sealed record LeadHealth(int StaleLeads, IReadOnlyList<StaleLead> OldestStale, int NoNextStep, IReadOnlyList<ScoreMover> ScoreMovers);

public sealed record GradeConversion(string Grade, int Count, double ConversionRate);

/// <summary>How the active model's grades converted on leads it never saw, as stored when it was trained.</summary>
public sealed record ModelCheck(string Version, double? HoldoutRocAuc, IReadOnlyList<GradeConversion> ByGrade);

/// <summary>
/// When the team started using GrowthBrain, and from what: "first audit entry" (the installation's first recorded
/// action) or "first model version" (the team's first trained model), whichever is earlier; null with basis
/// "unknown" when neither exists yet.
/// </summary>
public sealed record Adoption(DateTime? Since, string Basis);

/// <summary>Successes out of trials in [From, To), with the rate and its 95% Wilson interval (null when there were no trials).</summary>
public sealed record Proportion(DateTime From, DateTime To, int Trials, int Successes, double? Rate, double? Low, double? High);

/// <summary>
/// Reply rate before GrowthBrain against since. <see cref="Since"/>: follow-ups GrowthBrain sent from the adoption
/// date (the last 90 days when it is unknown) that got an inbound reply within 14 days (FollowUps/GetReplyRates).
/// <see cref="Before"/>: the team's own e-mails recorded in the CRM (EmailSent activities) in the 90 days before that,
/// with a reply from the lead within 14 days. The difference's interval is Newcombe's.
/// </summary>
public sealed record ReplyRateComparison(Adoption Adoption, Proportion Before, Proportion Since, double? Difference, double? DifferenceLow,
    double? DifferenceHigh, string Basis);

/// <param name="Users">People who signed in or acted (audit entries by a person) in the window.</param>
/// <param name="Teams">Teams with at least one such person among their members.</param>
public sealed record ActiveWindow(DateTime From, DateTime To, int Users, int Teams);

/// <summary>
/// Active users and teams over the last 30 days against the 30 before. There is no "before GrowthBrain": nobody
/// signs in to GrowthBrain before it is installed, so <see cref="BeforeReason"/> says so instead of showing a zero.
/// </summary>
public sealed record ActiveUsage(Adoption Adoption, ActiveWindow Recent, ActiveWindow Previous, int TeamUsers, int AllTeams, string BeforeReason);

public sealed record Overview(
    DateTime AsOf,
    RateComparison Conversion,
    CycleComparison SalesCycle,
    ReplyRateComparison ReplyRate,
    ActiveUsage ActiveUsers,
    SinceGrowthBrain? SinceGrowthBrain,
    IReadOnlyList<MonthPoint> Monthly,
    IReadOnlyList<StageCount> Funnel,
    LeadHealth Health,
    ModelCheck? Model)
{
    public bool HasClosedLeads => Monthly.Any(m => m.Won + m.Lost > 0) || Conversion.Previous.Won + Conversion.Previous.Lost > 0;
}

/// <summary>
/// The overview dashboard: conversion and sales cycle now against before, the monthly trend, the open funnel,
/// lead health, reply rate and active users before GrowthBrain against since, and whether the model's grades are
/// right. Lead counts come from the aggregates the database keeps by trigger (LeadStatsSql), so the cost does not
/// grow with the number of leads: windows are whole UTC days (the last 90 days include today), cycles whole days.
/// </summary>
public sealed class GetOverviewHandler(GrowthBrainDb db, TimeProvider clock, ReplyBaselines? baselines = null)
{
    private readonly ReplyBaselines _baselines = baselines ?? new ReplyBaselines();

    private const double Z = 1.959963984540054; // 95%

    public async Task<Overview> HandleAsync(GetOverview request, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var teamId = request.TeamId ?? await db.Teams.OrderBy(t => t.Id).Select(t => (long?)t.Id).FirstOrDefaultAsync(ct) ?? 0;
        var today = DayOf(now);

        var recentFrom = today - GetOverview.WindowDays + 1;
        var previousFrom = recentFrom - GetOverview.WindowDays;
        var firstMonth = new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(-(GetOverview.Months - 1));
        var firstMonthIndex = MonthIndex(firstMonth);
        var adoption = await AdoptionAsync(teamId, ct);
        int? adoptionDay = adoption.Since is { } adopted ? Math.Min(DayOf(adopted), today) : null;
        var since = Math.Min(Math.Min(previousFrom, DayOf(firstMonth)), (adoptionDay ?? today) - GetOverview.WindowDays);

        // At most two rows a day: closed leads per day and outcome, with their cycle days summed.
        var days = await db.ClosedLeadDays.AsNoTracking()
            .Where(d => d.TeamId == teamId && d.Day >= since && d.Day <= today && d.Leads != 0)
            .Select(d => new { d.Day, d.Outcome, d.Leads, d.CycleDays, d.CycleDaysSquared })
            .ToListAsync(ct);
        (int Won, int Lost, long WonCycleDays, long WonCycleDaysSquared) Count(int from, int to)
        {
            var inWindow = days.Where(d => d.Day >= from && d.Day < to).ToList();
            var won = inWindow.Where(d => d.Outcome == LeadOutcome.Won).ToList();
            return ((int)won.Sum(d => d.Leads), (int)inWindow.Where(d => d.Outcome == LeadOutcome.Lost).Sum(d => d.Leads),
                won.Sum(d => d.CycleDays), won.Sum(d => d.CycleDaysSquared));
        }
        var recent = Count(recentFrom, today + 1);
        var previous = Count(previousFrom, recentFrom);

        // Won leads per month and whole cycle days: the monthly medians without reading a lead.
        var histogram = await db.WonCycleMonths.AsNoTracking()
            .Where(m => m.TeamId == teamId && m.Month >= firstMonthIndex && m.Month <= MonthIndex(now) && m.Leads > 0)
            .Select(m => new { m.Month, m.CycleDays, m.Leads })
            .ToListAsync(ct);

        var recentRate = Window(DayStart(recentFrom), now, recent.Won, recent.Lost);
        var previousRate = Window(DayStart(previousFrom), DayStart(recentFrom), previous.Won, previous.Lost);
        var recentCycle = Cycle(DayStart(recentFrom), now, recent.Won, recent.WonCycleDays, recent.WonCycleDaysSquared);
        var previousCycle = Cycle(DayStart(previousFrom), DayStart(recentFrom), previous.Won, previous.WonCycleDays, previous.WonCycleDaysSquared);

        // Before GrowthBrain against since: the adoption day to today, against the 90 days before it.
        SinceGrowthBrain? sinceGrowthBrain = null;
        if (adoptionDay is { } a)
        {
            var after = Count(a, today + 1);
            var before = Count(a - GetOverview.WindowDays, a);
            sinceGrowthBrain = new SinceGrowthBrain(adoption,
                Compare(Window(DayStart(a), now, after.Won, after.Lost), Window(DayStart(a - GetOverview.WindowDays), DayStart(a), before.Won, before.Lost)),
                Compare(Cycle(DayStart(a), now, after.Won, after.WonCycleDays, after.WonCycleDaysSquared),
                    Cycle(DayStart(a - GetOverview.WindowDays), DayStart(a), before.Won, before.WonCycleDays, before.WonCycleDaysSquared)));
        }

        var monthly = Enumerable.Range(0, GetOverview.Months).Select(i =>
        {
            var start = firstMonth.AddMonths(i);
            var inMonth = days.Where(d => d.Day >= DayOf(start) && d.Day < DayOf(start.AddMonths(1))).ToList();
            int won = (int)inMonth.Where(d => d.Outcome == LeadOutcome.Won).Sum(d => d.Leads);
            int lost = (int)inMonth.Where(d => d.Outcome == LeadOutcome.Lost).Sum(d => d.Leads);
            var cycles = histogram.Where(h => h.Month == firstMonthIndex + i).Select(h => (h.CycleDays, h.Leads)).ToList();
            return new MonthPoint(start.Year, start.Month, won, lost, won + lost == 0 ? null : won / (double)(won + lost), Median(cycles));
        }).ToList();

        // Open leads per stage and day of last activity: the funnel and both health counts in one small read.
        var open = await db.OpenLeadStages.AsNoTracking()
            .Where(o => o.TeamId == teamId && o.Leads != 0)
            .Select(o => new { o.Stage, o.ActivityDay, o.Leads })
            .ToListAsync(ct);
        var funnel = open.GroupBy(o => o.Stage).Select(g => new StageCount(g.Key, (int)g.Sum(o => o.Leads)))
            .Where(f => f.Leads > 0)
            .OrderByDescending(f => f.Leads).ThenBy(f => f.Stage, StringComparer.Ordinal)
            .Take(GetOverview.FunnelStages)
            .ToList();
        var staleBeforeDay = today - GetOverview.StaleAfterDays;
        var staleCount = (int)open.Where(o => o.ActivityDay != OpenLeadStage.NoActivity && o.ActivityDay < staleBeforeDay).Sum(o => o.Leads);
        // LastActivityAt is kept up to date by every activity written, so no activity day means no touch was ever recorded.
        var noNextStep = (int)open.Where(o => o.ActivityDay == OpenLeadStage.NoActivity).Sum(o => o.Leads);

        // The ten oldest are read from the front of the (team, outcome, last activity) index.
        var staleBefore = DayStart(staleBeforeDay);
        var oldestStale = await db.Leads.AsNoTracking()
            .Where(l => l.TeamId == teamId && l.Outcome == LeadOutcome.Open && l.LastActivityAt != null && l.LastActivityAt < staleBefore)
            .OrderBy(l => l.LastActivityAt).ThenBy(l => l.Id).Take(GetOverview.StaleListed)
            .Select(l => new { l.Id, Name = ((l.FirstName ?? "") + " " + (l.LastName ?? "")).Trim(), l.Email, LastActivityAt = l.LastActivityAt!.Value })
            .ToListAsync(ct);

        return new Overview(
            now,
            Compare(recentRate, previousRate),
            Compare(recentCycle, previousCycle),
            await ReplyRateAsync(teamId, adoption, now, ct),
            await ActiveUsageAsync(teamId, adoption, now, ct),
            sinceGrowthBrain,
            monthly,
            funnel,
            new LeadHealth(staleCount,
                oldestStale.Select(s => new StaleLead(s.Id, NameOf(s.Name, s.Email, s.Id), (int)(now - s.LastActivityAt).TotalDays)).ToList(),
                noNextStep,
                await ScoreMoversAsync(teamId, today, ct)),
            await ModelCheckAsync(teamId, ct));
    }

    /// <summary>The earlier of the installation's first audit entry and the team's first model version.</summary>
    private async Task<Adoption> AdoptionAsync(long teamId, CancellationToken ct)
    {
        var firstAudit = await db.AuditEntries.AsNoTracking().OrderBy(a => a.At).Select(a => (DateTime?)a.At).FirstOrDefaultAsync(ct);
        var firstModel = await db.ModelVersions.AsNoTracking().Where(m => m.TeamId == teamId)
            .OrderBy(m => m.CreatedAt).Select(m => (DateTime?)m.CreatedAt).FirstOrDefaultAsync(ct);
        return (firstAudit, firstModel) switch
        {
            ({ } a, { } m) when m < a => new Adoption(m, "first model version"),
            ({ } a, _) => new Adoption(a, "first audit entry"),
            (null, { } m) => new Adoption(m, "first model version"),
            _ => new Adoption(null, "unknown"),
        };
    }

    private async Task<ReplyRateComparison> ReplyRateAsync(long teamId, Adoption adoption, DateTime now, CancellationToken ct)
    {
        var start = adoption.Since is { } s && s < now ? s : now.AddDays(-GetOverview.WindowDays);
        var sinceDays = Math.Clamp((int)Math.Ceiling((now - start).TotalDays), 1, 3650);
        var drafts = await new FollowUps.GetReplyRatesHandler(db, clock)
            .HandleAsync(new FollowUps.GetReplyRates(sinceDays, GetOverview.ReplyWithinDays, teamId), ct);
        var sinceRate = Share(start, now, drafts.Overall.Sent, drafts.Overall.Replied);

        // Before: the team's own e-mails from the CRM, with the same reply rule (an inbound reply within 14 days).
        var beforeFrom = start.AddDays(-GetOverview.WindowDays);
        var sent = db.Activities.AsNoTracking()
            .Where(a => a.TeamId == teamId && a.Type == ActivityType.EmailSent && a.OccurredAt >= beforeFrom && a.OccurredAt < start);
        var replies = db.Activities.AsNoTracking().Where(r => r.Type == ActivityType.EmailReplied);
        var trials = await sent.CountAsync(ct);
        var repliesSeen = await replies.CountAsync(r => r.TeamId == teamId && r.OccurredAt >= beforeFrom
                                                        && r.OccurredAt <= start.AddDays(GetOverview.ReplyWithinDays), ct);
        if (!_baselines.TryGet(teamId, beforeFrom, start, trials, repliesSeen, out var replied))
        {
            replied = trials == 0 ? 0 : await sent.CountAsync(a => replies.Any(r => r.LeadId == a.LeadId && r.OccurredAt > a.OccurredAt
                                                                                  && r.OccurredAt <= a.OccurredAt.AddDays(GetOverview.ReplyWithinDays)), ct);
            _baselines.Remember(teamId, beforeFrom, start, trials, repliesSeen, replied);
        }
        var beforeRate = Share(beforeFrom, start, trials, replied);
        var basis = adoption.Since is null
            ? "No adoption date recorded yet: follow-ups of the last 90 days against the team's CRM e-mails of the 90 days before."
            : $"Since {adoption.Basis} ({adoption.Since:yyyy-MM-dd}): follow-ups sent by GrowthBrain; before: the team's CRM e-mails of the 90 days before.";
        return new ReplyRateComparison(adoption, beforeRate, sinceRate, sinceRate.Rate - beforeRate.Rate,
            NewcombeLow(sinceRate.Rate, sinceRate.Low, sinceRate.High, beforeRate.Rate, beforeRate.Low, beforeRate.High),
            NewcombeHigh(sinceRate.Rate, sinceRate.Low, sinceRate.High, beforeRate.Rate, beforeRate.Low, beforeRate.High), basis);
    }

    /// <summary>
    /// A person is active when the audit log has an entry by them (sign-in or any action) in the window; actors that
    /// are not people ("system", "scheduler", "cli", "api-key:...") never count, because they are not users' e-mails.
    /// </summary>
    private async Task<ActiveUsage> ActiveUsageAsync(long teamId, Adoption adoption, DateTime now, CancellationToken ct)
    {
        var users = await db.Users.AsNoTracking().Select(u => new { u.Id, u.NormalizedEmail, u.TeamId }).ToListAsync(ct);
        var memberships = await db.TeamMembers.AsNoTracking().Select(m => new { m.UserId, m.TeamId }).ToListAsync(ct);
        var teamsOf = users.ToDictionary(u => u.Id, u => memberships.Where(m => m.UserId == u.Id).Select(m => m.TeamId).Append(u.TeamId).ToHashSet());
        var byEmail = users.Where(u => u.NormalizedEmail is not null).ToDictionary(u => u.NormalizedEmail!, u => u.Id);
        var allTeams = await db.Teams.CountAsync(ct);

        async Task<ActiveWindow> WindowAsync(DateTime from, DateTime to)
        {
            var actors = await db.AuditEntries.AsNoTracking().Where(a => a.At >= from && a.At < to).Select(a => a.Actor).Distinct().ToListAsync(ct);
            var active = actors.Select(a => byEmail.GetValueOrDefault(a.ToUpperInvariant())).Where(id => id != 0).ToHashSet();
            return new ActiveWindow(from, to, active.Count(id => teamsOf[id].Contains(teamId)), active.SelectMany(id => teamsOf[id]).Distinct().Count());
        }

        var recentFrom = now.AddDays(-GetOverview.ActiveDays);
        return new ActiveUsage(adoption, await WindowAsync(recentFrom, now), await WindowAsync(recentFrom.AddDays(-GetOverview.ActiveDays), recentFrom),
            users.Count(u => teamsOf[u.Id].Contains(teamId)), allTeams,
            adoption.Since is { } since
                ? $"No sign-ins exist before GrowthBrain ({adoption.Basis}, {since:yyyy-MM-dd}): the last 30 days are compared with the 30 before."
                : "No sign-ins exist before GrowthBrain: the last 30 days are compared with the 30 before.");
    }

    /// <summary>
    /// Leads scored in the last seven whole days (today included) whose latest score differs most from their score
    /// before the seven days ending on that latest score's day (or from their first score when they have none that
    /// old). The triggers keep one such row per lead (<see cref="LeadScoreMove"/>), so this reads the top of the
    /// (team, day, change) index once per day: a rescoring that moved every open lead costs the same as a quiet week.
    /// </summary>
    private async Task<IReadOnlyList<ScoreMover>> ScoreMoversAsync(long teamId, int today, CancellationToken ct)
    {
        var top = new List<LeadScoreMove>();
        for (var day = today - GetOverview.MoverDays + 1; day <= today; day++)
        {
            var d = day;
            top.AddRange(await db.LeadScoreMoves.AsNoTracking()
                .Where(m => m.TeamId == teamId && m.Day == d && m.Change > 0)
                .OrderByDescending(m => m.Change).ThenBy(m => m.LeadId)
                .Take(GetOverview.MoversListed)
                .ToListAsync(ct));
        }
        var movers = top.OrderByDescending(m => m.Change).ThenBy(m => m.LeadId).Take(GetOverview.MoversListed).ToList();
        var ids = movers.Select(m => m.LeadId).ToList();
        var names = await db.Leads.AsNoTracking().Where(l => ids.Contains(l.Id))
            .Select(l => new { l.Id, Name = ((l.FirstName ?? "") + " " + (l.LastName ?? "")).Trim(), l.Email })
            .ToDictionaryAsync(l => l.Id, ct);
        // A lead the caller cannot see (another team's, after a move) is left out, as the join with the leads did before.
        return movers.Where(m => names.ContainsKey(m.LeadId))
            .Select(m => new ScoreMover(m.LeadId, NameOf(names[m.LeadId].Name, names[m.LeadId].Email, m.LeadId), m.FromProbability, m.ToProbability))
            .ToList();
    }

    private async Task<ModelCheck?> ModelCheckAsync(long teamId, CancellationToken ct)
    {
        var active = await db.ModelVersions.AsNoTracking().Where(m => m.TeamId == teamId && m.Status == ModelStatus.Active)
            .Select(m => new { m.Number, m.HoldoutRocAuc, m.Report }).FirstOrDefaultAsync(ct);
        if (active is null) return null;
        var byGrade = new List<GradeConversion>();
        try
        {
            using var report = JsonDocument.Parse(active.Report);
            if (report.RootElement.TryGetProperty("evaluation", out var evaluation) && evaluation.ValueKind == JsonValueKind.Object
                && evaluation.TryGetProperty("byGrade", out var grades) && grades.ValueKind == JsonValueKind.Array)
            {
                foreach (var g in grades.EnumerateArray())
                    byGrade.Add(new GradeConversion(g.GetProperty("grade").GetString() ?? "?", g.GetProperty("count").GetInt32(),
                        g.GetProperty("conversionRate").GetDouble()));
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            // A report written by an older version without the grade table: show the model without it.
            byGrade.Clear();
        }
        return new ModelCheck($"v{active.Number}", active.HoldoutRocAuc, byGrade);
    }

    private static string NameOf(string name, string? email, long id) => name.Length > 0 ? name : email ?? $"Lead {id}";

    /// <summary>Whole UTC days since 1970-01-01, as the aggregates count them.</summary>
    public static int DayOf(DateTime utc) => (int)Math.Floor((utc - DateTime.UnixEpoch).TotalSeconds / 86400);

    private static DateTime DayStart(int day) => DateTime.UnixEpoch.AddDays(day);

    private static int MonthIndex(DateTime utc) => utc.Year * 12 + utc.Month - 1;

    private static RateComparison Compare(RateWindow recent, RateWindow previous) =>
        new(recent, previous, recent.Rate - previous.Rate,
            NewcombeLow(recent.Rate, recent.Low, recent.High, previous.Rate, previous.Low, previous.High),
            NewcombeHigh(recent.Rate, recent.Low, recent.High, previous.Rate, previous.Low, previous.High));

    /// <summary>Mean cycle with its 95% t interval from the sums of days and of squared days (no interval below two won leads), and the sample variance.</summary>
    private static (CycleWindow Window, double Variance) Cycle(DateTime from, DateTime to, int won, long sum, long sumOfSquares)
    {
        if (won == 0) return (new CycleWindow(from, to, 0, null), 0);
        var mean = sum / (double)won;
        if (won < 2) return (new CycleWindow(from, to, won, mean), 0);
        var variance = Math.Max(0, (sumOfSquares - sum * (double)sum / won) / (won - 1));
        var half = StudentT(won - 1) * Math.Sqrt(variance / won);
        return (new CycleWindow(from, to, won, mean, Math.Max(0, mean - half), mean + half), variance);
    }

    private static CycleComparison Compare((CycleWindow Window, double Variance) recent, (CycleWindow Window, double Variance) previous)
    {
        var difference = recent.Window.AverageDays - previous.Window.AverageDays;
        int n1 = recent.Window.WonLeads, n2 = previous.Window.WonLeads;
        if (difference is not { } d || n1 < 2 || n2 < 2) return new CycleComparison(recent.Window, previous.Window, difference);
        // Welch: each side's own spread, degrees of freedom by Welch–Satterthwaite.
        double v1 = recent.Variance / n1, v2 = previous.Variance / n2;
        var df = (v1 + v2) * (v1 + v2) / (v1 * v1 / (n1 - 1) + v2 * v2 / (n2 - 1));
        var half = (double.IsFinite(df) && df > 0 ? StudentT(df) : Z) * Math.Sqrt(v1 + v2);
        return new CycleComparison(recent.Window, previous.Window, d, d - half, d + half);
    }

    // Two-sided 95% quantiles of Student's t for 1 to 6 degrees of freedom, from the published table.
    private static readonly double[] SmallT = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447];

    /// <summary>
    /// The two-sided 95% quantile of Student's t with <paramref name="df"/> degrees of freedom (Welch's are fractional):
    /// the table up to 6, interpolated in 1/df; above, the Cornish–Fisher expansion around the normal quantile, within
    /// 0.002 of the table.
    /// </summary>
    public static double StudentT(double df)
    {
        if (df <= 1) return SmallT[0];
        if (df < SmallT.Length)
        {
            var lo = (int)Math.Floor(df);
            var w = (1 / (double)lo - 1 / df) / (1 / (double)lo - 1 / (lo + 1.0));
            return SmallT[lo - 1] + w * (SmallT[lo] - SmallT[lo - 1]);
        }
        if (df == SmallT.Length) return SmallT[^1];
        var z = Z;
        return z + (z * z * z + z) / (4 * df) + (5 * Math.Pow(z, 5) + 16 * z * z * z + 3 * z) / (96 * df * df)
               + (3 * Math.Pow(z, 7) + 19 * Math.Pow(z, 5) + 17 * z * z * z - 15 * z) / (384 * df * df * df);
    }

    private static RateWindow Window(DateTime from, DateTime to, int won, int lost)
    {
        var (rate, low, high) = Wilson(won, won + lost);
        return new RateWindow(from, to, won, lost, rate, low, high);
    }

    private static Proportion Share(DateTime from, DateTime to, int trials, int successes)
    {
        var (rate, low, high) = Wilson(successes, trials);
        return new Proportion(from, to, trials, successes, rate, low, high);
    }

    /// <summary>
    /// The Wilson score interval: unlike p ± z·se it stays inside [0, 1] and keeps its coverage for the small
    /// counts a young CRM has.
    /// </summary>
    public static (double? Rate, double? Low, double? High) Wilson(int successes, int trials)
    {
        if (trials == 0) return (null, null, null);
        double n = trials, p = successes / n, z2 = Z * Z;
        var centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        var half = Z * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
        return (p, Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    // Newcombe (1998) method 10: the difference's interval from each proportion's Wilson interval.
    private static double? NewcombeLow(double? p1, double? low1, double? high1, double? p2, double? low2, double? high2) =>
        p1 is { } a && p2 is { } b ? a - b - Math.Sqrt(Sq(a - low1!.Value) + Sq(high2!.Value - b)) : null;

    private static double? NewcombeHigh(double? p1, double? low1, double? high1, double? p2, double? low2, double? high2) =>
        p1 is { } a && p2 is { } b ? a - b + Math.Sqrt(Sq(high1!.Value - a) + Sq(b - low2!.Value)) : null;

    private static double Sq(double x) => x * x;

    /// <summary>The median of whole days given as (days, how many leads) pairs.</summary>
    private static double? Median(List<(int Days, long Leads)> histogram)
    {
        var n = histogram.Sum(h => h.Leads);
        if (n == 0) return null;
        var sorted = histogram.OrderBy(h => h.Days).ToList();
        double At(long rank) // the rank-th smallest value, 0-based
        {
            foreach (var (days, leads) in sorted)
            {
                if (rank < leads) return days;
                rank -= leads;
            }
            return sorted[^1].Days;
        }
        return n % 2 == 1 ? At(n / 2) : (At(n / 2 - 1) + At(n / 2)) / 2;
    }
}
