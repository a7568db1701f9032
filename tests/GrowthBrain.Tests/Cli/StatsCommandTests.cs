using System.Text.Json;
using GrowthBrain.Synthetic;
using GrowthBrain.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace GrowthBrain.Tests.Cli;

/// <summary>`stats rebuild` as a script runs it: the aggregates' size, and how many rows it had to correct.</summary>
public sealed class StatsCommandTests(SqliteDatabases databases) : IDisposable
{
    private readonly TempFiles _files = new();
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Stats_rebuild_finds_nothing_to_correct_after_the_triggers_and_repairs_a_count_changed_behind_their_back()
    {
        await using var database = await databases.CreateAsync(Ct);
        await using (var db = database.NewContext())
            await new SeedSyntheticCrmHandler(db, database.Clock).HandleAsync(new SeedSyntheticCrm(300, Seed: 2), null, Ct);

        var clean = await CliRunner.RunAsync(_files.Folder, CliRunner.EnvironmentFor(database), Ct, "stats", "rebuild", "--json");

        clean.ExitCode.ShouldBe(0, clean.StdErr);
        var json = JsonDocument.Parse(clean.StdOut).RootElement;
        json.GetProperty("leads").GetInt64().ShouldBe(300);
        json.GetProperty("changed").GetInt32().ShouldBe(0);
        json.GetProperty("closedDays").GetInt32().ShouldBeGreaterThan(0);

        await using (var db = database.NewContext())
            await db.Database.ExecuteSqlRawAsync("UPDATE team_lead_counts SET leads = leads + 5", Ct);
        var repaired = await CliRunner.RunAsync(_files.Folder, CliRunner.EnvironmentFor(database), Ct, "stats", "rebuild");

        repaired.ExitCode.ShouldBe(0, repaired.StdErr);
        repaired.StdOut.ShouldContain("Rebuilt the aggregates of 300 leads");
        repaired.StdOut.ShouldContain("2 rows were corrected"); // the wrong count out, the right one in
        await using (var db = database.NewContext())
        {
            (await db.TeamLeadCounts.SumAsync(c => c.Leads, Ct)).ShouldBe(300);
            (await db.AuditEntries.CountAsync(a => a.Action == "stats.rebuilt" && a.Actor == "cli", Ct)).ShouldBe(2);
        }
    }
}
