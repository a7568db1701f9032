using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GrowthBrain.Tests.Cli;
using GrowthBrain.Tests.Infrastructure;
using GrowthBrain.Tests.Integrations.HubSpot;
using Microsoft.EntityFrameworkCore;

namespace GrowthBrain.Tests.Integrations.Sync;

public sealed class HubSpotSyncTestsOnSqlite(SqliteDatabases databases) : HubSpotSyncTests(databases);

public sealed class HubSpotSyncTestsOnPostgres(PostgresDatabases databases) : HubSpotSyncTests(databases);

/// <summary>
/// `./growthbrain sync hubspot` end to end, as an operator runs it: the real CLI process, the real HubSpot connector
/// and engine, a loopback HubSpot that pages, limits and fails as the reference says, and a real database.
/// </summary>
public abstract class HubSpotSyncTests(IDatabaseProvider databases) : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly TempFiles _files = new();
    private FakeHubSpotServer _hub = null!;
    private SyncHarness _h = null!;

    public async ValueTask InitializeAsync()
    {
        _hub = await FakeHubSpotServer.StartAsync();
        _h = await SyncHarness.CreateAsync(databases, null, Settings(), Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _h.DisposeAsync();
        await _hub.DisposeAsync();
        _files.Dispose();
    }

    private Dictionary<string, string?> Settings() => new()
    {
        ["Crm:HubSpot:BaseUrl"] = _hub.BaseUrl, ["Crm:HubSpot:AccessToken"] = _hub.Token, ["Crm:HubSpot:SearchPerSecond"] = "0",
        ["Crm:HubSpot:BurstPer10Seconds"] = "0", ["Crm:HubSpot:MaxRetries"] = "2", ["Crm:HubSpot:RetryBaseDelayMilliseconds"] = "20",
        ["Crm:HubSpot:AttemptTimeoutSeconds"] = "5",
    };

    private Dictionary<string, string> Environment()
    {
        var env = CliRunner.EnvironmentFor(_h.Database);
        foreach (var (k, v) in Settings()) env[k.Replace(":", "__")] = v!;
        return env;
    }

    /// <summary>Contacts with a signal the model can learn: VPs become customers, interns are unqualified.</summary>
    private IReadOnlyList<string> Seed(int count) => _hub.Store.Seed(count, properties: i => new Dictionary<string, string?>
    {
        ["lastname"] = $"Last{i}", ["company"] = $"Company {i % 40}",
        ["jobtitle"] = i % 3 == 0 ? "VP Sales" : i % 3 == 1 ? "Intern" : "Manager",
        ["lifecyclestage"] = i % 4 == 0 ? (i % 3 == 0 ? "customer" : "lead") : "lead",
        ["hs_lead_status"] = i % 4 == 1 && i % 3 == 1 ? "UNQUALIFIED" : "OPEN",
    });

    private async Task<(int Exit, JsonElement Json, string Err)> SyncAsync(params string[] args)
    {
        var result = await CliRunner.RunAsync(_files.Folder, Environment(), Ct, ["--json", "sync", "hubspot", .. args]);
        var json = result.ExitCode == 0 ? JsonDocument.Parse(result.StdOut).RootElement : default;
        return (result.ExitCode, json, result.StdErr);
    }

    [Fact]
    public async Task After_one_sync_every_contact_is_scored_here_and_carries_its_score_there_and_a_second_sync_writes_nothing()
    {
        var ids = Seed(230);

        var (exit, first, err) = await SyncAsync();

        exit.ShouldBe(0, err);
        first.GetProperty("pulled").GetInt32().ShouldBe(230);
        first.GetProperty("created").GetInt32().ShouldBe(230);
        first.GetProperty("failed").GetInt32().ShouldBe(0);
        first.GetProperty("pushed").GetInt32().ShouldBe(230);
        foreach (var id in ids)
        {
            var props = _hub.ContactProperties(id)!;
            int.Parse(props["growthbrain_score"]!, CultureInfo.InvariantCulture).ShouldBeInRange(0, 100);
            props["growthbrain_grade"].ShouldBeOneOf("A", "B", "C", "D");
            props["growthbrain_reasons"].ShouldNotBeNullOrWhiteSpace();
        }
        (await _h.QueryAsync(db => db.CrmLinks.CountAsync(l => l.Crm == "hubspot", Ct))).ShouldBe(230);
        var updates = _hub.Count("POST", "/crm/v3/objects/contacts/batch/update");
        updates.ShouldBe(3, "230 records in batches of 100");
        var propertyCalls = _hub.Count("POST", "/crm/v3/properties/contacts");
        propertyCalls.ShouldBeGreaterThan(0, "the score properties did not exist, so they were created");

        var (again, second, err2) = await SyncAsync();

        again.ShouldBe(0, err2);
        second.GetProperty("created").GetInt32().ShouldBe(0);
        second.GetProperty("updated").GetInt32().ShouldBe(0);
        second.GetProperty("pushed").GetInt32().ShouldBe(0);
        _hub.Count("POST", "/crm/v3/objects/contacts/batch/update").ShouldBe(updates, "nothing changed, so nothing is written to HubSpot");
        _hub.Count("POST", "/crm/v3/properties/contacts").ShouldBe(propertyCalls, "the score properties are created once");
    }

    [Fact]
    public async Task A_dry_run_reports_the_changes_and_writes_nothing_here_or_in_hubspot()
    {
        var ids = Seed(40);
        var leads = await _h.QueryAsync(db => db.Leads.CountAsync(Ct));

        var (exit, dry, err) = await SyncAsync("--dry-run");

        exit.ShouldBe(0, err);
        dry.GetProperty("dryRun").GetBoolean().ShouldBeTrue();
        dry.GetProperty("created").GetInt32().ShouldBe(40);
        dry.GetProperty("pushed").GetInt32().ShouldBe(40);
        (await _h.QueryAsync(db => db.Leads.CountAsync(Ct))).ShouldBe(leads);
        (await _h.QueryAsync(db => db.CrmLinks.CountAsync(Ct))).ShouldBe(0);
        _hub.Calls.Where(c => c.Method != "GET" && !c.Path.EndsWith("/search", StringComparison.Ordinal)).ShouldBeEmpty("a dry run only reads from HubSpot");
        _hub.ContactProperties(ids[0])!.ContainsKey("growthbrain_score").ShouldBeFalse();
    }

    [Fact]
    public async Task A_sync_killed_mid_way_resumes_where_it_stopped_with_nothing_duplicated()
    {
        Seed(650); // 4 pages of 200
        // Each search answers slowly, so the process is surely killed between pages, after at least one was committed.
        _hub.Fail(FakeHubSpotFault.Slow(TimeSpan.FromMilliseconds(700), "/crm/v3/objects/contacts/search"), count: 100);
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = _files.Folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "GrowthBrain.Cli.dll"), "--json", "sync", "hubspot" }) start.ArgumentList.Add(a);
        foreach (var (k, v) in Environment()) start.Environment[k] = v;
        using (var process = Process.Start(start)!)
        {
            while (await _h.QueryAsync(db => db.CrmLinks.CountAsync(Ct)) == 0 && !process.HasExited)
                await Task.Delay(50, Ct);
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(Ct);
        }
        var committed = await _h.QueryAsync(db => db.CrmLinks.CountAsync(Ct));
        committed.ShouldBeInRange(200, 600, "killed after a whole page was committed and before the last");
        var state = await _h.QueryAsync(db => db.CrmSyncStates.SingleAsync(Ct));
        state.ResumeCursor.ShouldNotBeNull();

        _hub.ClearFaults();
        var (exit, resumed, err) = await SyncAsync();

        exit.ShouldBe(0, err);
        resumed.GetProperty("created").GetInt32().ShouldBe(650 - committed, "the resumed sync created only what the killed one had not");
        (await _h.QueryAsync(db => db.CrmLinks.CountAsync(l => l.RecordKind == "lead", Ct))).ShouldBe(650);
        (await _h.QueryAsync(db => db.CrmSyncRuns.OrderBy(r => r.Id).FirstAsync(Ct))).Status.ShouldBe(GrowthBrain.Integrations.Sync.CrmSyncStatus.Interrupted);
    }

    [Fact]
    public async Task Hubspot_failing_every_retry_fails_the_sync_clearly_and_the_next_sync_writes_what_was_left()
    {
        Seed(30);
        _hub.Fail(FakeHubSpotFault.Error(503, "/crm/v3/objects/contacts/batch/update"), count: 3);

        var failed = await CliRunner.RunAsync(_files.Folder, Environment(), Ct, "sync", "hubspot");

        failed.ExitCode.ShouldBe(1);
        failed.StdErr.ShouldContain("HubSpot");
        (await _h.QueryAsync(db => db.CrmLinks.CountAsync(Ct))).ShouldBe(30, "what was pulled is kept");

        var (exit, second, err) = await SyncAsync();

        exit.ShouldBe(0, err);
        second.GetProperty("pushed").GetInt32().ShouldBe(30);
        _hub.ContactProperties(_hub.Store.AllContacts()[0].Id.ToString(CultureInfo.InvariantCulture))!.ContainsKey("growthbrain_score").ShouldBeTrue();
    }

    [Fact]
    public async Task An_email_changed_in_hubspot_updates_the_lead_without_a_duplicate()
    {
        var ids = Seed(25);
        (await SyncAsync()).Exit.ShouldBe(0);
        var leads = await _h.QueryAsync(db => db.Leads.CountAsync(Ct));
        _hub.ChangeEmail(ids[3], "moved@new-company.example");

        var (exit, second, err) = await SyncAsync();

        exit.ShouldBe(0, err);
        second.GetProperty("updated").GetInt32().ShouldBe(1);
        second.GetProperty("created").GetInt32().ShouldBe(0);
        (await _h.QueryAsync(db => db.Leads.CountAsync(Ct))).ShouldBe(leads);
        (await _h.QueryAsync(db => db.Leads.CountAsync(l => l.EmailNormalized == "moved@new-company.example", Ct))).ShouldBe(1);
    }
}
