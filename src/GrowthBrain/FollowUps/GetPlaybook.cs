using GrowthBrain.Accounts;
using GrowthBrain.Data;

namespace GrowthBrain.FollowUps;

public sealed record GetPlaybook(long TeamId);

/// <summary>A team's playbook as the API shows and takes it.</summary>
public sealed record PlaybookView(long TeamId, int Version, Playbook Playbook, bool AutoSendAllowed, int DailyCapPerMailbox, DateTime UpdatedAt, string UpdatedBy)
{
    public static PlaybookView From(TeamPlaybook p) => new(p.TeamId, p.Version, p.Read(), p.AutoSendAllowed, p.DailyCapPerMailbox, p.UpdatedAt, p.UpdatedBy);
}

/// <summary>
/// The team's stored playbook; a team that never saved one gets <see cref="Playbook.Default"/> stored for it on
/// first use, so every draft can name the playbook version it was written with.
/// </summary>
public sealed class GetPlaybookHandler(GrowthBrainDb db, TimeProvider clock)
{
    public async Task<PlaybookView> HandleAsync(GetPlaybook request, CancellationToken ct) =>
        PlaybookView.From(await GetOrSeedAsync(request.TeamId, ct));

    public async Task<TeamPlaybook> GetOrSeedAsync(long teamId, CancellationToken ct)
    {
        if (await db.TeamPlaybooks.FirstOrDefaultAsync(p => p.TeamId == teamId, ct) is { } stored) return stored;
        // Teams are filtered to the caller's: a team they cannot see must not get a playbook seeded by them.
        if (!await db.Teams.AnyAsync(t => t.Id == teamId, ct)) throw new TeamNotFoundException(teamId);
        var seeded = new TeamPlaybook
        {
            TeamId = teamId, Content = TeamPlaybook.Write(Playbook.Default), UpdatedAt = clock.GetUtcNow().UtcDateTime, UpdatedBy = "system",
        };
        db.TeamPlaybooks.Add(seeded);
        try
        {
            await db.SaveChangesAsync(ct);
            return seeded;
        }
        catch (DbUpdateException)
        {
            // Another request seeded it at the same moment (one playbook per team is a unique index): use theirs.
            db.Entry(seeded).State = EntityState.Detached;
            return await db.TeamPlaybooks.FirstAsync(p => p.TeamId == teamId, ct);
        }
    }
}
