using GrowthBrain.Accounts;

namespace GrowthBrain.Data;

public sealed record MigrateDatabase;

public sealed record MigrationSummary(string Database, IReadOnlyList<string> Applied, long DefaultTeamId);

/// <summary>Brings the schema up to date and makes sure a first team exists to own imported leads.</summary>
public sealed class MigrateDatabaseHandler(GrowthBrainDb db, TimeProvider clock)
{
    public const string DefaultTeamName = "My team";

    public async Task<MigrationSummary> HandleAsync(MigrateDatabase request, CancellationToken ct)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        await db.Database.MigrateAsync(ct);
        if (db.Provider == DatabaseProvider.Sqlite)
        {
            // WAL lets the web app read while an import writes; it is a property of the file, so set once here.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }

        // Indexes a crashed bulk import dropped are rebuilt before anything relies on them.
        await IndexRebuild.RestoreAsync(db, ct);

        // Triggers and an expression index that EF's model cannot describe, installed or upgraded to their current
        // version; a no-op when already in place.
        await DatabaseObjects.EnsureAsync(db, ct);
        await GrowthBrain.Sequences.SequenceStepIds.BackfillAsync(db, ct);

        var team = await db.Teams.OrderBy(t => t.Id).FirstOrDefaultAsync(ct);
        if (team is null)
        {
            team = new Team { Name = DefaultTeamName, CreatedAt = clock.GetUtcNow().UtcDateTime };
            db.Teams.Add(team);
            await db.SaveChangesAsync(ct);
        }
        return new MigrationSummary(db.Database.GetDbConnection().DataSource, pending, team.Id);
    }
}
