using GrowthBrain.Data;
using GrowthBrain.Leads;
using Microsoft.EntityFrameworkCore;

namespace GrowthBrain.Insights;

/// <summary>Lead quality and conversion per source and per campaign, for one team (the first when none is named).</summary>
public sealed record GetSourceReport(long? TeamId = null)
{
    /// <summary>Most rows listed per table; the rest are folded into one "other" row so nothing is lost from the totals.</summary>
    public const int MaxRows = 50;
    public const string NoValue = "(none)";
}

/// <summary>
/// One source or campaign. <see cref="ConversionRate"/> is won / (won + lost) with its 95% Wilson interval (null when
/// nothing closed); <see cref="MeanScore"/> and <see cref="ShareAB"/> are over its scored leads; days to close run
/// from creation to won or lost, in whole days.
/// </summary>
public sealed record SourceRow(
    string Name, int Leads, int Won, int Lost, int Open,
    double? ConversionRate, double? ConversionLow, double? ConversionHigh,
    int Scored, double? MeanScore, double? ShareAB, double? MedianDaysToClose);

public sealed record SourceReport(IReadOnlyList<SourceRow> Sources, IReadOnlyList<SourceRow> Campaigns, int TotalLeads)
{
    public bool IsEmpty => TotalLeads == 0;
}

/// <summary>
/// Everything is aggregated in the database with GROUP BY. Days to close are counted into whole-day buckets per
/// group in SQL (date arithmetic is written per provider), so the median is read from a small histogram instead of
/// from every closed lead.
/// </summary>
public sealed class GetSourceReportHandler(GrowthBrainDb db)
{
    public async Task<SourceReport> HandleAsync(GetSourceReport request, CancellationToken ct)
    {
        var teamId = request.TeamId ?? await db.Teams.OrderBy(t => t.Id).Select(t => (long?)t.Id).FirstOrDefaultAsync(ct) ?? 0;
        var leads = db.Leads.AsNoTracking().Where(l => l.TeamId == teamId);

        var bySource = await Aggregate(leads.GroupBy(l => l.Source)).ToListAsync(ct);
        var byCampaign = await Aggregate(leads.GroupBy(l => l.Campaign)).ToListAsync(ct);
        var sourceDays = await DaysToCloseAsync(teamId, "source", ct);
        var campaignDays = await DaysToCloseAsync(teamId, "campaign", ct);

        return new SourceReport(Rows(bySource, sourceDays), Rows(byCampaign, campaignDays), bySource.Sum(s => s.Leads));
    }

    private sealed record Group(string? Key, int Leads, int Won, int Lost, int Scored, double? ScoreSum, int GradeAB);

    private static IQueryable<Group> Aggregate(IQueryable<IGrouping<string?, Lead>> groups) =>
        groups.Select(g => new Group(
            g.Key,
            g.Count(),
            g.Count(l => l.Outcome == LeadOutcome.Won),
            g.Count(l => l.Outcome == LeadOutcome.Lost),
            g.Count(l => l.ScoreProbability != null),
            g.Sum(l => l.ScoreProbability),
            g.Count(l => l.ScoreGrade == "A" || l.ScoreGrade == "B")));

    /// <summary>A histogram row: how many leads of a group have this whole-number value (days to close, hours to first response).</summary>
    public sealed record Bucket(string? Name, int Value, int Count);

    private async Task<List<Bucket>> DaysToCloseAsync(long teamId, string column, CancellationToken ct)
    {
        // The column name comes from the two literals above, never from input.
        var days = db.Provider == DatabaseProvider.Postgres
            ? "CAST(floor(extract(epoch from (closed_at - created_at)) / 86400) AS integer)"
            : "((unixepoch(closed_at) - unixepoch(created_at)) / 86400)";
        var sql = $$"""
            SELECT {{column}} AS "Name", {{days}} AS "Value", CAST(COUNT(*) AS integer) AS "Count"
            FROM leads
            WHERE team_id = {0} AND outcome <> 0 AND closed_at IS NOT NULL
            GROUP BY {{column}}, {{days}}
            """;
        return await db.Database.SqlQueryRaw<Bucket>(sql, teamId).ToListAsync(ct);
    }

    private static List<SourceRow> Rows(List<Group> groups, List<Bucket> days)
    {
        var histograms = days.GroupBy(d => d.Name ?? GetSourceReport.NoValue)
            .ToDictionary(g => g.Key, g => g.Select(d => (Math.Max(0, d.Value), d.Count)).ToList());
        var ordered = groups.OrderByDescending(g => g.Leads).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        var shown = ordered.Take(GetSourceReport.MaxRows).Select(g => Row(g.Key ?? GetSourceReport.NoValue, [g], histograms)).ToList();
        if (ordered.Count > GetSourceReport.MaxRows)
        {
            var rest = ordered.Skip(GetSourceReport.MaxRows).ToList();
            shown.Add(Row($"(other {rest.Count})", rest, histograms));
        }
        return shown;
    }

    private static SourceRow Row(string name, IReadOnlyList<Group> groups, Dictionary<string, List<(int Days, int Count)>> histograms)
    {
        int leads = groups.Sum(g => g.Leads), won = groups.Sum(g => g.Won), lost = groups.Sum(g => g.Lost), scored = groups.Sum(g => g.Scored);
        var (rate, low, high) = GetOverviewHandler.Wilson(won, won + lost);
        var histogram = groups.SelectMany(g => histograms.GetValueOrDefault(g.Key ?? GetSourceReport.NoValue) ?? []).ToList();
        return new SourceRow(name, leads, won, lost, leads - won - lost, rate, low, high, scored,
            scored == 0 ? null : groups.Sum(g => g.ScoreSum ?? 0) / scored,
            scored == 0 ? null : groups.Sum(g => g.GradeAB) / (double)scored,
            Median(histogram));
    }

    /// <summary>The median of a histogram of whole numbers (the mean of the two middle values for an even count).</summary>
    public static double? Median(IReadOnlyList<(int Value, int Count)> histogram)
    {
        var total = histogram.Sum(h => (long)h.Count);
        if (total == 0) return null;
        var sorted = histogram.OrderBy(h => h.Value).ToList();
        double At(long rank)
        {
            long seen = 0;
            foreach (var (value, count) in sorted)
            {
                seen += count;
                if (rank < seen) return value;
            }
            return sorted[^1].Value;
        }
        return total % 2 == 1 ? At(total / 2) : (At(total / 2 - 1) + At(total / 2)) / 2;
    }
}
