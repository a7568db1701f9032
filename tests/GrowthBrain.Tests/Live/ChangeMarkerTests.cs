using GrowthBrain.Accounts;
using GrowthBrain.Audit;
using GrowthBrain.Leads;
using GrowthBrain.Leads.Import;
using GrowthBrain.Live;
using GrowthBrain.Scoring;
using GrowthBrain.Synthetic;
using GrowthBrain.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace GrowthBrain.Tests.Live;

public sealed class ChangeMarkerTestsOnSqlite(SqliteDatabases databases) : ChangeMarkerTests(databases);

public sealed class ChangeMarkerTestsOnPostgres(PostgresDatabases databases) : ChangeMarkerTests(databases);

/// <summary>
/// Open pages learn about changes from the team's change marker alone, so every kind of change a page shows
/// must move it, and moving it must be one statement however many rows changed.
/// </summary>
public abstract class ChangeMarkerTests(IDatabaseProvider databases) : IDisposable
{
    private readonly TempFiles _files = new();
    private readonly ActiveModels _models = new();
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _files.Dispose();

    private static async Task<long> VersionAsync(TestDatabase database)
    {
        await using var db = database.NewContext();
        var ct = TestContext.Current.CancellationToken;
        await db.Database.OpenConnectionAsync(ct);
        var versions = await ChangeMarker.ReadAllAsync(db.Database.GetDbConnection(), ct);
        var team = await db.Teams.OrderBy(t => t.Id).Select(t => t.Id).FirstAsync(ct);
        return versions.GetValueOrDefault(team);
    }

    private async Task<ImportSummary> ImportAsync(TestDatabase database, string csv)
    {
        var path = _files.Write($"import-{Guid.NewGuid():N}.csv", csv);
        await using var db = database.NewContext();
        return await new ImportLeadsHandler(db, new AuditLog(database.Clock), TeamScope.System("cli"), database.Clock).HandleAsync(new ImportLeads(path), null, Ct);
    }

    private const string TwoLeads = """
        Email,First Name,Last Name,Company
        ada@example.com,Ada,Lovelace,Analytical
        alan@example.com,Alan,Turing,Bletchley
        """;

    [Fact]
    public async Task An_import_that_changes_leads_moves_the_marker_and_a_reimport_of_the_same_file_does_not()
    {
        await using var database = await databases.CreateAsync(Ct);
        var before = await VersionAsync(database);

        (await ImportAsync(database, TwoLeads)).Imported.ShouldBe(2);
        var afterImport = await VersionAsync(database);
        afterImport.ShouldBeGreaterThan(before);

        (await ImportAsync(database, TwoLeads)).Unchanged.ShouldBe(2);
        (await VersionAsync(database)).ShouldBe(afterImport, "nothing changed, so open pages have nothing to reload");
    }

    [Fact]
    public async Task A_large_import_moves_the_marker_once_per_batch_not_once_per_row()
    {
        await using var database = await databases.CreateAsync(Ct);
        await using (var db = database.NewContext())
        {
            var rows = ImportLeadsHandler.BatchSizeFor(db.Provider) + 10;
            var csv = "Email,First Name\n" + string.Concat(Enumerable.Range(0, rows).Select(i => $"lead{i}@example.com,Lead{i}\n"));
            var before = await VersionAsync(database);
            (await ImportAsync(database, csv)).Imported.ShouldBe(rows);
            (await VersionAsync(database) - before).ShouldBe(2, "two batches, two bumps");
        }
    }

    [Fact]
    public async Task Rescoring_an_activity_and_an_override_each_move_the_marker()
    {
        await using var database = await databases.CreateAsync(Ct);
        await using (var db = database.NewContext())
        {
            await new SeedSyntheticCrmHandler(db, database.Clock).HandleAsync(new SeedSyntheticCrm(600, Seed: 3), null, Ct);
            await new TrainModelHandler(db, _models, database.Clock).HandleAsync(new TrainModel(RequestedBy: "test", Budget: TimeSpan.FromSeconds(2)), null, Ct);
        }
        var v0 = await VersionAsync(database);
        v0.ShouldBeGreaterThan(0, "seeding the demo CRM is an import too");

        await using (var db = database.NewContext())
        {
            await new ScoreLeadsHandler(db, _models, database.Clock).HandleAsync(new ScoreLeads(), null, Ct);
        }
        var v1 = await VersionAsync(database);
        v1.ShouldBeGreaterThan(v0);

        long leadId;
        await using (var db = database.NewContext())
        {
            leadId = await db.Leads.Where(l => l.Outcome == LeadOutcome.Open).OrderBy(l => l.Id).Select(l => l.Id).FirstAsync(Ct);
            (await new AddActivityHandler(db, database.Clock).HandleAsync(new AddActivity(leadId, ActivityType.Call, Subject: "Intro call"), Ct)).ShouldNotBeNull();
        }
        var v2 = await VersionAsync(database);
        v2.ShouldBeGreaterThan(v1);

        await using (var db = database.NewContext())
        {
            await new OverrideScoreHandler(db, _models, new AuditLog(database.Clock), database.Clock)
                .HandleAsync(new OverrideScore(leadId, "A", null, "Signed letter of intent", "test"), Ct);
        }
        var v3 = await VersionAsync(database);
        v3.ShouldBeGreaterThan(v2);

        await using (var db = database.NewContext())
        {
            (await new OverrideScoreHandler(db, _models, new AuditLog(database.Clock), database.Clock).ClearAsync(new ClearScoreOverride(leadId, "test"), Ct)).ShouldBeTrue();
        }
        (await VersionAsync(database)).ShouldBeGreaterThan(v3);
    }
}
