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

/// <summary>Leads won in [From, To) and their mean days from creation to close.</summary>
public sealed record CycleWindow(DateTime From, DateTime To, int WonLeads, double? AverageDays);

public sealed record CycleComparison(CycleWindow Recent, CycleWindow Previous, double? DifferenceDays);

public sealed record MonthPoint(int Year, int Month, int Won, int Lost, double? ConversionRate, double? MedianCycleDays);

public sealed record StageCount(string Stage, int Leads);

public sealed record StaleLead(long Id, string Name, int DaysSinceActivity);

public sealed record ScoreMover(long LeadId, string Name, double From, double To);

public sealed record LeadHealth(int StaleLeads, IReadOnlyList<StaleLead> OldestStale, int NoNextStep, IReadOnlyList<ScoreMover> ScoreMovers);

public sealed record GradeConversion(string Grade, int Count, double ConversionRate);

/// <summary>How the active model's grades converted on leads it never saw, as stored when it was trained.</summary>
public sealed record ModelCheck(string Version, double? HoldoutRocAuc, IReadOnlyList<GradeConversion> ByGrade);

/// <summary>
/// A measure GrowthBrain cannot report yet: <see cref="Value"/> stays null and <see cref="Reason"/> says why,
/// rather than a made-up number.
/// </summary>
public sealed record PendingMeasure(double? Value, string Reason);

public sealed record Overview(
    DateTime AsOf,
    RateComparison Conversion,
    CycleComparison SalesCycle,
    PendingMeasure ReplyRate,
    PendingMeasure ActiveUsers,
    IReadOnlyList<MonthPoint> Monthly,
    IReadOnlyList<StageCount> Funnel,
    LeadHealth Health,
    ModelCheck? Model)
{
    public bool HasClosedLeads => Monthly.Any(m => m.Won + m.Lost > 0) || Conversion.Previous.Won + Conversion.Previous.Lost > 0;
}

/// <summary>
/// The overview dashboard: conversion and sales cycle now against before, the monthly trend, the open funnel,
/// lead health and whether the model's grades are right. Counts are aggregated in the database; only won leads'
/// two dates of the last year are read, because day arithmetic and medians don't translate on both providers.
/// </summary>
public sealed class GetOverviewHandler(GrowthBrainDb db, TimeProvider clock)
{
    private const double Z = 1.959963984540054; // 95%

    public async Task<Overview> HandleAsync(GetOverview request, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var teamId = request.TeamId ?? await db.Teams.OrderBy(t => t.Id).Select(t => (long?)t.Id).FirstOrDefaultAsync(ct) ?? 0;
        var leads = db.Leads.AsNoTracking().Where(l => l.TeamId == teamId);

        var recentFrom = now.AddDays(-GetOverview.WindowDays);
        var previousFrom = now.AddDays(-2 * GetOverview.WindowDays);
        var firstMonth = new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(-(GetOverview.Months - 1));
        var since = previousFrom < firstMonth ? previousFrom : firstMonth;

        // Closed counts per month and outcome, grouped in SQL.
        var closedByMonth = await leads
            .Where(l => l.Outcome != LeadOutcome.Open && l.ClosedAt >= since && l.ClosedAt < now)
            .GroupBy(l => new { l.ClosedAt!.Value.Year, l.ClosedAt.Value.Month, l.Outcome })
            .Select(g => new { g.Key.Year, g.Key.Month, g.Key.Outcome, Count = g.Count() })
            .ToListAsync(ct);
        // The windows don't fall on month boundaries, so count them separately (two small aggregates).
        var recent = await CountOutcomesAsync(leads, recentFrom, now, ct);
        var previous = await CountOutcomesAsync(leads, previousFrom, recentFrom, ct);

        // Cycle lengths: one row of two dates per won lead of the last year at most.
        var wonDates = await leads
            .Where(l => l.Outcome == LeadOutcome.Won && l.ClosedAt >= since && l.ClosedAt < now)
            .Select(l => new { l.CreatedAt, ClosedAt = l.ClosedAt!.Value })
            .ToListAsync(ct);
        var cycles = wonDates.Select(w => (w.ClosedAt, Days: Math.Max(0, (w.ClosedAt - w.CreatedAt).TotalDays))).ToList();

        var recentRate = Window(recentFrom, now, recent.Won, recent.Lost);
        var previousRate = Window(previousFrom, recentFrom, previous.Won, previous.Lost);
        var recentCycle = Cycle(recentFrom, now, cycles);
        var previousCycle = Cycle(previousFrom, recentFrom, cycles);

        var monthly = Enumerable.Range(0, GetOverview.Months).Select(i =>
        {
            var start = firstMonth.AddMonths(i);
            int won = closedByMonth.Where(c => c.Year == start.Year && c.Month == start.Month && c.Outcome == LeadOutcome.Won).Sum(c => c.Count);
            int lost = closedByMonth.Where(c => c.Year == start.Year && c.Month == start.Month && c.Outcome == LeadOutcome.Lost).Sum(c => c.Count);
            var days = cycles.Where(c => c.ClosedAt.Year == start.Year && c.ClosedAt.Month == start.Month).Select(c => c.Days).ToList();
            return new MonthPoint(start.Year, start.Month, won, lost, won + lost == 0 ? null : won / (double)(won + lost), Median(days));
        }).ToList();

        var open = leads.Where(l => l.Outcome == LeadOutcome.Open);
        var funnel = await open
            .GroupBy(l => l.Stage ?? "(no stage)")
            .Select(g => new { Stage = g.Key, Count = g.Count() })
            .OrderByDescending(g => g.Count).ThenBy(g => g.Stage)
            .Take(GetOverview.FunnelStages)
            .ToListAsync(ct);

        var staleBefore = now.AddDays(-GetOverview.StaleAfterDays);
        var stale = open.Where(l => l.LastActivityAt != null && l.LastActivityAt < staleBefore);
        var staleCount = await stale.CountAsync(ct);
        var oldestStale = await stale.OrderBy(l => l.LastActivityAt).ThenBy(l => l.Id).Take(GetOverview.StaleListed)
            .Select(l => new { l.Id, Name = ((l.FirstName ?? "") + " " + (l.LastName ?? "")).Trim(), l.Email, LastActivityAt = l.LastActivityAt!.Value })
            .ToListAsync(ct);
        // LastActivityAt is kept up to date by every activity written, so null means no touch was ever recorded.
        var noNextStep = await open.CountAsync(l => l.LastActivityAt == null, ct);

        return new Overview(
            now,
            new RateComparison(recentRate, previousRate, recentRate.Rate - previousRate.Rate,
                NewcombeLow(recentRate, previousRate), NewcombeHigh(recentRate, previousRate)),
            new CycleComparison(recentCycle, previousCycle, recentCycle.AverageDays - previousCycle.AverageDays),
            new PendingMeasure(null, "Arrives with follow-ups"),
            new PendingMeasure(null, "Arrives with accounts"),
            monthly,
            funnel.Select(f => new StageCount(f.Stage, f.Count)).ToList(),
            new LeadHealth(staleCount,
                oldestStale.Select(s => new StaleLead(s.Id, NameOf(s.Name, s.Email, s.Id), (int)(now - s.LastActivityAt).TotalDays)).ToList(),
                noNextStep,
                await ScoreMoversAsync(teamId, now.AddDays(-GetOverview.MoverDays), ct)),
            await ModelCheckAsync(teamId, ct));
    }

    private static async Task<(int Won, int Lost)> CountOutcomesAsync(IQueryable<Lead> leads, DateTime from, DateTime to, CancellationToken ct)
    {
        var counts = await leads.Where(l => l.Outcome != LeadOutcome.Open && l.ClosedAt >= from && l.ClosedAt < to)
            .GroupBy(l => l.Outcome).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        return (counts.Where(c => c.Key == LeadOutcome.Won).Sum(c => c.Count), counts.Where(c => c.Key == LeadOutcome.Lost).Sum(c => c.Count));
    }

    /// <summary>
    /// Leads whose score changed most in the last days: from the last score before the window (or the first in it)
    /// to the latest. Correlated subqueries use the (lead_id, scored_at) index.
    /// </summary>
    private async Task<IReadOnlyList<ScoreMover>> ScoreMoversAsync(long teamId, DateTime since, CancellationToken ct)
    {
        var scores = db.LeadScores.AsNoTracking();
        var moved = await scores.Where(s => s.TeamId == teamId && s.ScoredAt >= since).Select(s => s.LeadId).Distinct()
            .Select(id => new
            {
                LeadId = id,
                To = scores.Where(s => s.LeadId == id).OrderByDescending(s => s.ScoredAt).ThenByDescending(s => s.Id).Select(s => s.Probability).First(),
                From = scores.Where(s => s.LeadId == id && s.ScoredAt < since).OrderByDescending(s => s.ScoredAt).ThenByDescending(s => s.Id)
                           .Select(s => (double?)s.Probability).FirstOrDefault()
                       ?? scores.Where(s => s.LeadId == id).OrderBy(s => s.ScoredAt).ThenBy(s => s.Id).Select(s => s.Probability).First(),
            })
            .Where(m => m.To != m.From)
            .OrderByDescending(m => Math.Abs(m.To - m.From)).ThenBy(m => m.LeadId)
            .Take(GetOverview.MoversListed)
            .Join(db.Leads, m => m.LeadId, l => l.Id, (m, l) => new
            {
                m.LeadId, m.From, m.To, Name = ((l.FirstName ?? "") + " " + (l.LastName ?? "")).Trim(), l.Email,
            })
            .ToListAsync(ct);
        return moved.OrderByDescending(m => Math.Abs(m.To - m.From)).ThenBy(m => m.LeadId)
            .Select(m => new ScoreMover(m.LeadId, NameOf(m.Name, m.Email, m.LeadId), m.From, m.To)).ToList();
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

    private static RateWindow Window(DateTime from, DateTime to, int won, int lost)
    {
        var (rate, low, high) = Wilson(won, won + lost);
        return new RateWindow(from, to, won, lost, rate, low, high);
    }

    private static CycleWindow Cycle(DateTime from, DateTime to, List<(DateTime ClosedAt, double Days)> cycles)
    {
        var days = cycles.Where(c => c.ClosedAt >= from && c.ClosedAt < to).Select(c => c.Days).ToList();
        return new CycleWindow(from, to, days.Count, days.Count == 0 ? null : days.Average());
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
    private static double? NewcombeLow(RateWindow a, RateWindow b) =>
        a.Rate is { } p1 && b.Rate is { } p2 ? p1 - p2 - Math.Sqrt(Sq(p1 - a.Low!.Value) + Sq(b.High!.Value - p2)) : null;

    private static double? NewcombeHigh(RateWindow a, RateWindow b) =>
        a.Rate is { } p1 && b.Rate is { } p2 ? p1 - p2 + Math.Sqrt(Sq(a.High!.Value - p1) + Sq(p2 - b.Low!.Value)) : null;

    private static double Sq(double x) => x * x;

    private static double? Median(List<double> values)
    {
        if (values.Count == 0) return null;
        values.Sort();
        var mid = values.Count / 2;
        return values.Count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }
}
