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
/// One GROUP BY per table, in the database: every count, the score sums and the days-to-close histogram come from a
/// single scan of the team's leads, grouped by the source (or campaign) and the whole days a closed lead took (null
/// for open leads). The median is then read from that small histogram instead of from every closed lead. Date
/// arithmetic has no common SQL, so the one expression is written per provider.
/// </summary>
public sealed class GetSourceReportHandler(GrowthBrainDb db)
{
    public async Task<SourceReport> HandleAsync(GetSourceReport request, CancellationToken ct)
    {
        var teamId = request.TeamId ?? await db.Teams.OrderBy(t => t.Id).Select(t => (long?)t.Id).FirstOrDefaultAsync(ct) ?? 0;
        var bySource = await GroupAsync(teamId, "source", ct);
        var byCampaign = await GroupAsync(teamId, "campaign", ct);
        return new SourceReport(Rows(bySource), Rows(byCampaign), bySource.Sum(s => s.Leads));
    }

    /// <summary>A histogram row: how many leads of a group have this whole-number value (days to close, hours to first response).</summary>
    public sealed record Bucket(string? Name, int Value, int Count);

    /// <summary>One row of the combined aggregate: a group and one value of days to close (null: not closed).</summary>
    public sealed record GroupDays(string? Name, int? Days, int Leads, int Won, int Lost, int Scored, double? ScoreSum, int GradeAB);

    private sealed record Group(string? Key, int Leads, int Won, int Lost, int Scored, double ScoreSum, int GradeAB, List<(int Value, int Count)> Days);

    private async Task<List<Group>> GroupAsync(long teamId, string column, CancellationToken ct)
    {
        var days = db.Provider == DatabaseProvider.Postgres
            ? "CAST(floor(extract(epoch from (closed_at - created_at)) / 86400) AS integer)"
            : "((unixepoch(closed_at) - unixepoch(created_at)) / 86400)";
        // The column name comes from the two literals in HandleAsync, never from input. Outcome 1 is won, 2 lost.
        var sql = $$"""
            SELECT {{column}} AS "Name", CASE WHEN outcome <> 0 AND closed_at IS NOT NULL THEN {{days}} END AS "Days",
                   CAST(COUNT(*) AS integer) AS "Leads",
                   CAST(SUM(CASE WHEN outcome = 1 THEN 1 ELSE 0 END) AS integer) AS "Won",
                   CAST(SUM(CASE WHEN outcome = 2 THEN 1 ELSE 0 END) AS integer) AS "Lost",
                   CAST(COUNT(score_probability) AS integer) AS "Scored",
                   SUM(score_probability) AS "ScoreSum",
                   CAST(SUM(CASE WHEN score_grade IN ('A', 'B') THEN 1 ELSE 0 END) AS integer) AS "GradeAB"
            FROM leads
            WHERE team_id = {0}
            GROUP BY {{column}}, CASE WHEN outcome <> 0 AND closed_at IS NOT NULL THEN {{days}} END
            """;
        var rows = await db.Database.SqlQueryRaw<GroupDays>(sql, teamId).ToListAsync(ct);
        return rows.GroupBy(r => r.Name).Select(g => new Group(g.Key, g.Sum(r => r.Leads), g.Sum(r => r.Won), g.Sum(r => r.Lost),
                g.Sum(r => r.Scored), g.Sum(r => r.ScoreSum ?? 0), g.Sum(r => r.GradeAB),
                g.Where(r => r.Days is not null).Select(r => (Math.Max(0, r.Days!.Value), r.Won + r.Lost)).ToList()))
            .ToList();
    }

    private static List<SourceRow> Rows(List<Group> groups)
    {
        var ordered = groups.OrderByDescending(g => g.Leads).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        var shown = ordered.Take(GetSourceReport.MaxRows).Select(g => Row(g.Key ?? GetSourceReport.NoValue, [g])).ToList();
        if (ordered.Count > GetSourceReport.MaxRows)
        {
            var rest = ordered.Skip(GetSourceReport.MaxRows).ToList();
            shown.Add(Row($"(other {rest.Count})", rest));
        }
        return shown;
    }

    private static SourceRow Row(string name, IReadOnlyList<Group> groups)
    {
        int leads = groups.Sum(g => g.Leads), won = groups.Sum(g => g.Won), lost = groups.Sum(g => g.Lost), scored = groups.Sum(g => g.Scored);
        var (rate, low, high) = GetOverviewHandler.Wilson(won, won + lost);
        var histogram = groups.SelectMany(g => g.Days).ToList();
        return new SourceRow(name, leads, won, lost, leads - won - lost, rate, low, high, scored,
            scored == 0 ? null : groups.Sum(g => g.ScoreSum) / scored,
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
