using System.Diagnostics;
using GrowthBrain.Audit;
using GrowthBrain.Data;

namespace GrowthBrain.Insights;

/// <param name="Actor">Who asked, for the audit log.</param>
public sealed record RebuildLeadStats(string Actor);

/// <param name="Changed">Aggregate rows whose numbers differed from the recomputation (0 when the triggers kept them exact).</param>
public sealed record LeadStatsRebuilt(long Leads, int ClosedDays, int WonCycleRows, int OpenRows, int Changed, double Seconds);

/// <summary>
/// Recomputes the dashboard aggregates from the leads (<c>./growthbrain stats rebuild</c>): the consistency check and
/// repair after anything that bypassed the triggers (a restore of one table, hand-edited SQL). Reports how many rows
/// it had to change, so a non-zero answer is a finding, not noise. Migrate rebuilds by itself when it installs the triggers.
/// </summary>
public sealed class RebuildLeadStatsHandler(GrowthBrainDb db, AuditLog audit)
{
    public async Task<LeadStatsRebuilt> HandleAsync(RebuildLeadStats request, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Actor)) throw new ArgumentException("actor is empty; say who asked for the rebuild.");
        var sw = Stopwatch.StartNew();
        var before = await RowsAsync(ct);
        await LeadStatsTriggers.RebuildAsync(db, ct);
        var after = await RowsAsync(ct);
        var changed = before.Except(after).Count() + after.Except(before).Count();
        var summary = new LeadStatsRebuilt(
            await db.TeamLeadCounts.AsNoTracking().SumAsync(c => c.Leads, ct),
            await db.ClosedLeadDays.CountAsync(c => c.Leads != 0, ct),
            await db.WonCycleMonths.CountAsync(c => c.Leads != 0, ct),
            await db.OpenLeadStages.CountAsync(c => c.Leads != 0, ct),
            changed, Math.Round(sw.Elapsed.TotalSeconds, 2));
        await audit.RecordAsync(db, request.Actor, "stats.rebuilt", detail: $"{summary.Leads} leads, {changed} aggregate rows corrected", ct: ct);
        return summary;
    }

    // Every non-zero aggregate row as text, so a set difference counts the rows the rebuild changed.
    private async Task<HashSet<string>> RowsAsync(CancellationToken ct)
    {
        var rows = new HashSet<string>();
        foreach (var c in await db.TeamLeadCounts.AsNoTracking().Where(c => c.Leads != 0).ToListAsync(ct)) rows.Add($"n {c.TeamId} {c.Leads}");
        foreach (var c in await db.ClosedLeadDays.AsNoTracking().Where(c => c.Leads != 0).ToListAsync(ct)) rows.Add($"c {c.TeamId} {c.Day} {c.Outcome} {c.Leads} {c.CycleDays} {c.CycleDaysSquared}");
        foreach (var c in await db.WonCycleMonths.AsNoTracking().Where(c => c.Leads != 0).ToListAsync(ct)) rows.Add($"w {c.TeamId} {c.Month} {c.CycleDays} {c.Leads}");
        foreach (var c in await db.OpenLeadStages.AsNoTracking().Where(c => c.Leads != 0).ToListAsync(ct)) rows.Add($"o {c.TeamId} {c.Stage} {c.ActivityDay} {c.Leads}");
        // One row per scored lead: the largest of these sets, still only a few numbers per lead.
        foreach (var m in await db.LeadScoreMoves.AsNoTracking().ToListAsync(ct))
            rows.Add(FormattableString.Invariant($"m {m.LeadId} {m.TeamId} {m.Day} {m.FromProbability:R} {m.ToProbability:R}"));
        return rows;
    }
}
