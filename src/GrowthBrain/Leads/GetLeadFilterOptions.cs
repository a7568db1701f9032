using GrowthBrain.Data;
using GrowthBrain.Insights;

namespace GrowthBrain.Leads;

/// <summary>The values the leads page offers to filter by: every source and owner, and the open pipeline's stages.</summary>
public sealed record LeadFilterOptions(IReadOnlyList<string> Sources, IReadOnlyList<string> Owners, IReadOnlyList<string> Stages);

/// <summary>
/// Read from the aggregates the database keeps (Insights/LeadStatsSql.cs), not by a DISTINCT over a million leads:
/// sources and owners from the per-source and per-owner counts, stages from the open leads per stage. Team filters
/// apply, so a rep sees only their teams' values.
/// </summary>
public sealed class GetLeadFilterOptionsHandler(GrowthBrainDb db)
{
    public const int MaxValues = 500;

    public async Task<LeadFilterOptions> HandleAsync(CancellationToken ct)
    {
        async Task<IReadOnlyList<string>> NamesAsync(int dimension) => await db.LeadGroupStats.AsNoTracking()
            .Where(g => g.Dimension == dimension && g.Named == 1 && g.Leads > 0)
            .Select(g => g.Name).Distinct().OrderBy(n => n).Take(MaxValues).ToListAsync(ct);
        var stages = await db.OpenLeadStages.AsNoTracking()
            .Where(o => o.Leads > 0 && o.Stage != LeadStatsSql.NoStage)
            .Select(o => o.Stage).Distinct().OrderBy(n => n).Take(MaxValues).ToListAsync(ct);
        return new LeadFilterOptions(await NamesAsync(LeadGroupStat.Source), await NamesAsync(LeadGroupStat.Owner), stages);
    }
}
