using GrowthBrain.Data;

namespace GrowthBrain.Accounts;

/// <summary>The teams the caller sees, oldest first.</summary>
public sealed record ListTeams;

public sealed record TeamSummary(long Id, string Name);

public sealed class ListTeamsHandler(GrowthBrainDb db)
{
    public async Task<IReadOnlyList<TeamSummary>> HandleAsync(ListTeams request, CancellationToken ct) =>
        await db.Teams.AsNoTracking().OrderBy(t => t.Id).Select(t => new TeamSummary(t.Id, t.Name)).ToListAsync(ct);
}
