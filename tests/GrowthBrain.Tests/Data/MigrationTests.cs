using GrowthBrain.Data;
using GrowthBrain.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace GrowthBrain.Tests.Data;

public sealed class MigrationTestsOnSqlite(SqliteDatabases databases) : MigrationTests(databases);

public sealed class MigrationTestsOnPostgres(PostgresDatabases databases) : MigrationTests(databases);

public abstract class MigrationTests(IDatabaseProvider databases)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_model_has_no_change_that_lacks_a_migration()
    {
        await using var database = await databases.CreateAsync(Ct);
        await using var db = database.NewContext();

        // Fails when an entity or its mapping changed and `scripts/add-migration.sh NAME` was not run for this provider.
        db.Database.HasPendingModelChanges().ShouldBeFalse(
            $"The model changed without a {database.Provider} migration; run scripts/add-migration.sh <Name>.");
    }

    [Fact]
    public async Task Migrating_applies_every_migration_and_creates_the_first_team()
    {
        await using var database = await databases.CreateAsync(Ct);
        await using var db = database.NewContext();

        var summary = await new MigrateDatabaseHandler(db, database.Clock).HandleAsync(new MigrateDatabase(), Ct);

        (await db.Database.GetPendingMigrationsAsync(Ct)).ShouldBeEmpty();
        summary.Applied.ShouldBeEmpty(); // the template was migrated already; running again is a no-op
        (await db.Teams.SingleAsync(Ct)).Name.ShouldBe(MigrateDatabaseHandler.DefaultTeamName);
        summary.DefaultTeamId.ShouldBe((await db.Teams.SingleAsync(Ct)).Id);
    }
}
