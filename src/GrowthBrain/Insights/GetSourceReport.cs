using GrowthBrain.Data;
using GrowthBrain.Leads;

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
/// Read from <see cref="LeadGroupStat"/>, which the database keeps by trigger (LeadStatsSql, ADR 11): per source and
/// per campaign, one row per whole number of days to close, so every count, the score sums and the days-to-close
/// histogram come from a few hundred rows however many leads there are. The median is read from that histogram.
/// </summary>
public sealed class GetSourceReportHandler(GrowthBrainDb db)
{
    public async Task<SourceReport> HandleAsync(GetSourceReport request, CancellationToken ct)
    {
        var teamId = request.TeamId ?? await db.Teams.OrderBy(t => t.Id).Select(t => (long?)t.Id).FirstOrDefaultAsync(ct) ?? 0;
        var rows = await db.LeadGroupStats.AsNoTracking()
            .Where(g => g.TeamId == teamId && (g.Dimension == LeadGroupStat.Source || g.Dimension == LeadGroupStat.Campaign) && g.Leads != 0)
            .ToListAsync(ct);
        var bySource = Groups(rows.Where(r => r.Dimension == LeadGroupStat.Source));
        var byCampaign = Groups(rows.Where(r => r.Dimension == LeadGroupStat.Campaign));
        return new SourceReport(Rows(bySource), Rows(byCampaign), bySource.Sum(s => s.Leads));
    }

    /// <summary>A histogram row: how many leads of a group have this whole-number value (days to close, hours to first response).</summary>
    public sealed record Bucket(string? Name, int Value, int Count);

    private sealed record Group(string? Key, int Leads, int Won, int Lost, int Scored, double ScoreSum, int GradeAB, List<(int Value, long Count)> Days);

    private static List<Group> Groups(IEnumerable<LeadGroupStat> rows) =>
        rows.GroupBy(r => r.Named == 0 ? null : r.Name)
            .Select(g => new Group(g.Key, (int)g.Sum(r => r.Leads), (int)g.Sum(r => r.Won), (int)g.Sum(r => r.Lost), (int)g.Sum(r => r.Scored),
                g.Sum(r => r.ScoreMicros) / 1_000_000.0, (int)g.Sum(r => r.TopGraded),
                g.Where(r => r.Days != LeadGroupStat.NotClosed).Select(r => (r.Days, (long)(r.Won + r.Lost))).ToList()))
            .ToList();

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
        var (rate, low, high) = Statistics.Wilson(won, won + lost);
        var histogram = groups.SelectMany(g => g.Days).ToList();
        return new SourceRow(name, leads, won, lost, leads - won - lost, rate, low, high, scored,
            scored == 0 ? null : groups.Sum(g => g.ScoreSum) / scored,
            scored == 0 ? null : groups.Sum(g => g.GradeAB) / (double)scored,
            Statistics.Median(histogram));
    }
}
