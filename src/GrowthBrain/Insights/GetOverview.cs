using System.Text.Json;
using GrowthBrain.Data;
using GrowthBrain.Leads;
using GrowthBrain.Scoring;
using static GrowthBrain.Insights.UtcDays;

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

/// <summary>
/// The overview dashboard: conversion and sales cycle now against before, the monthly trend, the open funnel,
/// lead health, reply rate and active users before GrowthBrain against since, and whether the model's grades are
/// right. Lead counts come from the aggregates the database keeps by trigger (LeadStatsSql), so the cost does not
/// grow with the number of leads: windows are whole UTC days (the last 90 days include today), cycles whole days.
/// </summary>
public sealed class GetOverviewHandler(GrowthBrainDb db, TimeProvider clock, ReplyBaselines? baselines = null)
{
    private readonly ReplyBaselines _baselines = baselines ?? new ReplyBaselines();

    public async Task<Overview> HandleAsync(GetOverview request, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var teamId = request.TeamId ?? await db.Teams.OrderBy(t => t.Id).Select(t => (long?)t.Id).FirstOrDefaultAsync(ct) ?? 0;
        var today = DayOf(now);
        var recentFrom = today - GetOverview.WindowDays + 1;
        var firstMonth = new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(-(GetOverview.Months - 1));
        var adoption = await AdoptionAsync(teamId, ct);
        int? adoptionDay = adoption.Since is { } adopted ? Math.Min(DayOf(adopted), today) : null;

        var since = Math.Min(Math.Min(recentFrom - GetOverview.WindowDays, DayOf(firstMonth)), (adoptionDay ?? today) - GetOverview.WindowDays);
        var closed = await ClosedDaysAsync(teamId, since, today, ct);
        var (conversion, salesCycle) = SinceAgainstBefore(closed, recentFrom, today, now);
        // Before GrowthBrain against since: the adoption day to today, against the 90 days before it.
        SinceGrowthBrain? sinceGrowthBrain = null;
        if (adoptionDay is { } a)
        {
            var (c, s) = SinceAgainstBefore(closed, a, today, now);
            sinceGrowthBrain = new SinceGrowthBrain(adoption, c, s);
        }
        var (funnel, health) = await OpenLeadsAsync(teamId, today, now, ct);

        return new Overview(
            now,
            conversion,
            salesCycle,
            await ReplyRateAsync(teamId, adoption, now, ct),
            await ActiveUsageAsync(teamId, adoption, now, ct),
            sinceGrowthBrain,
            await MonthlyAsync(teamId, closed, firstMonth, now, ct),
            funnel,
            health,
            await ModelCheckAsync(teamId, ct));
    }

    /// <summary>Closed leads of one day and outcome, with their cycle days and squared cycle days summed.</summary>
    private sealed record ClosedDay(int Day, LeadOutcome Outcome, long Leads, long CycleDays, long CycleDaysSquared);

    private sealed record ClosedCount(int Won, int Lost, long WonCycleDays, long WonCycleDaysSquared);

    /// <summary>At most two rows a day: enough for every window and month the dashboard shows.</summary>
    private async Task<List<ClosedDay>> ClosedDaysAsync(long teamId, int since, int today, CancellationToken ct) =>
        await db.ClosedLeadDays.AsNoTracking()
            .Where(d => d.TeamId == teamId && d.Day >= since && d.Day <= today && d.Leads != 0)
            .Select(d => new ClosedDay(d.Day, d.Outcome, d.Leads, d.CycleDays, d.CycleDaysSquared))
            .ToListAsync(ct);

    private static ClosedCount Count(List<ClosedDay> days, int from, int to)
    {
        var inWindow = days.Where(d => d.Day >= from && d.Day < to).ToList();
        var won = inWindow.Where(d => d.Outcome == LeadOutcome.Won).ToList();
        return new ClosedCount((int)won.Sum(d => d.Leads), (int)inWindow.Where(d => d.Outcome == LeadOutcome.Lost).Sum(d => d.Leads),
            won.Sum(d => d.CycleDays), won.Sum(d => d.CycleDaysSquared));
    }

    /// <summary>Conversion and sales cycle from day <paramref name="from"/> to now, against the 90 days before it.</summary>
    private static (RateComparison Conversion, CycleComparison SalesCycle) SinceAgainstBefore(List<ClosedDay> days, int from, int today, DateTime now)
    {
        var before = from - GetOverview.WindowDays;
        var recent = Count(days, from, today + 1);
        var previous = Count(days, before, from);
        return (Compare(Window(DayStart(from), now, recent), Window(DayStart(before), DayStart(from), previous)),
            Compare(Cycle(DayStart(from), now, recent), Cycle(DayStart(before), DayStart(from), previous)));
    }

    /// <summary>Conversion per month from the daily counts; the median cycle from the won leads' histogram, without reading a lead.</summary>
    private async Task<List<MonthPoint>> MonthlyAsync(long teamId, List<ClosedDay> days, DateTime firstMonth, DateTime now, CancellationToken ct)
    {
        var firstMonthIndex = MonthOf(firstMonth);
        var histogram = await db.WonCycleMonths.AsNoTracking()
            .Where(m => m.TeamId == teamId && m.Month >= firstMonthIndex && m.Month <= MonthOf(now) && m.Leads > 0)
            .Select(m => new { m.Month, m.CycleDays, m.Leads })
            .ToListAsync(ct);
        return Enumerable.Range(0, GetOverview.Months).Select(i =>
        {
            var start = firstMonth.AddMonths(i);
            var count = Count(days, DayOf(start), DayOf(start.AddMonths(1)));
            var cycles = histogram.Where(h => h.Month == firstMonthIndex + i).Select(h => (h.CycleDays, h.Leads)).ToList();
            return new MonthPoint(start.Year, start.Month, count.Won, count.Lost,
                count.Won + count.Lost == 0 ? null : count.Won / (double)(count.Won + count.Lost), Statistics.Median(cycles));
        }).ToList();
    }

    /// <summary>Open leads per stage and day of last activity: the funnel and both health counts in one small read.</summary>
    private async Task<(List<StageCount> Funnel, LeadHealth Health)> OpenLeadsAsync(long teamId, int today, DateTime now, CancellationToken ct)
    {
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
        return (funnel, new LeadHealth(staleCount,
            oldestStale.Select(s => new StaleLead(s.Id, NameOf(s.Name, s.Email, s.Id), (int)(now - s.LastActivityAt).TotalDays)).ToList(),
            noNextStep,
            await ScoreMoversAsync(teamId, today, ct)));
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
        var (low, high) = Statistics.Newcombe((sinceRate.Rate, sinceRate.Low, sinceRate.High), (beforeRate.Rate, beforeRate.Low, beforeRate.High));
        return new ReplyRateComparison(adoption, beforeRate, sinceRate, sinceRate.Rate - beforeRate.Rate, low, high, basis);
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

    private static RateWindow Window(DateTime from, DateTime to, ClosedCount count)
    {
        var (rate, low, high) = Statistics.Wilson(count.Won, count.Won + count.Lost);
        return new RateWindow(from, to, count.Won, count.Lost, rate, low, high);
    }

    private static Proportion Share(DateTime from, DateTime to, int trials, int successes)
    {
        var (rate, low, high) = Statistics.Wilson(successes, trials);
        return new Proportion(from, to, trials, successes, rate, low, high);
    }

    private static RateComparison Compare(RateWindow recent, RateWindow previous)
    {
        var (low, high) = Statistics.Newcombe((recent.Rate, recent.Low, recent.High), (previous.Rate, previous.Low, previous.High));
        return new RateComparison(recent, previous, recent.Rate - previous.Rate, low, high);
    }

    /// <summary>The mean cycle with its t interval (none below two won leads), and the sample variance Welch needs.</summary>
    private static (CycleWindow Window, double Variance) Cycle(DateTime from, DateTime to, ClosedCount count)
    {
        if (count.Won == 0) return (new CycleWindow(from, to, 0, null), 0);
        var (mean, variance, low, high) = Statistics.Mean(count.Won, count.WonCycleDays, count.WonCycleDaysSquared);
        return (new CycleWindow(from, to, count.Won, mean, low, high), variance);
    }

    private static CycleComparison Compare((CycleWindow Window, double Variance) recent, (CycleWindow Window, double Variance) previous)
    {
        var difference = recent.Window.AverageDays - previous.Window.AverageDays;
        int n1 = recent.Window.WonLeads, n2 = previous.Window.WonLeads;
        if (difference is not { } d || n1 < 2 || n2 < 2) return new CycleComparison(recent.Window, previous.Window, difference);
        var (low, high) = Statistics.Welch(d, recent.Variance, n1, previous.Variance, n2);
        return new CycleComparison(recent.Window, previous.Window, d, low, high);
    }
}
