using System.Globalization;
using System.Text.Json;
using GrowthBrain.Tests.Cli;
using GrowthBrain.Tests.Infrastructure;
using GrowthBrain.Tests.Integrations.Pipedrive;
using GrowthBrain.Tests.Integrations.Salesforce;
using Microsoft.EntityFrameworkCore;

namespace GrowthBrain.Tests.Integrations.Sync;

/// <summary>
/// `./growthbrain --json sync salesforce|pipedrive` end to end, as an operator runs it (issue 13's "done when"): the
/// real CLI process configured through the environment with only the documented connection settings (plus limits off
/// and short retry delays, so the test is quick), the real connectors and engine, the loopback CRMs, a SQLite database.
/// </summary>
public sealed class CliSyncTests(SqliteDatabases databases) : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly TempFiles _files = new();
    private FakeSalesforceServer _sf = null!;
    private FakePipedriveServer _pd = null!;
    private SyncHarness _h = null!;

    public async ValueTask InitializeAsync()
    {
        _sf = await FakeSalesforceServer.StartAsync();
        _pd = await FakePipedriveServer.StartAsync();
        _h = await SyncHarness.CreateAsync(databases, null, Settings(), Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _h.DisposeAsync();
        await _sf.DisposeAsync();
        await _pd.DisposeAsync();
        _files.Dispose();
    }

    private Dictionary<string, string?> Settings() => new()
    {
        ["Crm:Salesforce:LoginUrl"] = _sf.Root, ["Crm:Salesforce:ClientId"] = _sf.ClientId, ["Crm:Salesforce:ClientSecret"] = _sf.ClientSecret,
        ["Crm:Salesforce:RefreshToken"] = _sf.RefreshToken,
        ["Crm:Pipedrive:BaseUrl"] = _pd.BaseUrl, ["Crm:Pipedrive:ApiToken"] = _pd.Token,
        // Test speed only: no limits, quick retries.
        ["Crm:Salesforce:MaxConcurrentCalls"] = "0", ["Crm:Salesforce:DailyApiReservePercent"] = "0", ["Crm:Salesforce:MaxRetries"] = "2",
        ["Crm:Salesforce:RetryBaseDelay"] = "00:00:00.020",
        ["Crm:Pipedrive:BurstPer2Seconds"] = "0", ["Crm:Pipedrive:DailyTokenBudget"] = "0", ["Crm:Pipedrive:MaxRetries"] = "2",
        ["Crm:Pipedrive:RetryBaseDelay"] = "00:00:00.020",
    };

    private Dictionary<string, string> Environment()
    {
        var env = CliRunner.EnvironmentFor(_h.Database);
        foreach (var (k, v) in Settings()) env[k.Replace(":", "__", StringComparison.Ordinal)] = v!;
        return env;
    }

    private async Task<JsonElement> SyncAsync(string crm, params string[] args)
    {
        var result = await CliRunner.RunAsync(_files.Folder, Environment(), Ct, ["--json", "sync", crm, .. args]);
        result.ExitCode.ShouldBe(0, result.StdErr);
        var json = JsonDocument.Parse(result.StdOut).RootElement;
        foreach (var key in new[] { "pulled", "created", "updated", "unchanged", "pushed", "failed" })
            json.TryGetProperty(key, out _).ShouldBeTrue($"the JSON summary has '{key}': {result.StdOut}");
        return json;
    }

    private static (int Created, int Updated, int Pushed, int Failed) Changes(JsonElement j) =>
        (j.GetProperty("created").GetInt32(), j.GetProperty("updated").GetInt32(), j.GetProperty("pushed").GetInt32(), j.GetProperty("failed").GetInt32());

    /// <summary>Leads whose titles go with their outcomes (heads of sales convert, assistants do not), and some contacts.</summary>
    private (IReadOnlyList<string> Leads, IReadOnlyList<string> Contacts) SeedSalesforce(int leads, int contacts) => (_sf.Store.Seed("Lead", leads, (i, r) =>
    {
        r.Fields["Title"] = i % 3 == 0 ? "Head of Sales" : "Assistant";
        r.Fields["Status"] = i % 5 == 0 ? "Closed - Not Converted" : i % 7 == 0 ? "Closed - Converted" : "Working - Contacted";
        r.Fields["IsConverted"] = i % 5 != 0 && i % 7 == 0;
        r.Fields["Industry"] = i % 2 == 0 ? "Technology" : "Banking";
    }), _sf.Store.Seed("Contact", contacts));

    /// <summary>Persons, a third of them with a deal: won for every other one, lost for the rest.</summary>
    private IReadOnlyList<string> SeedPipedrive(int count)
    {
        var ids = _pd.Store.Seed(count);
        for (var i = 0; i < ids.Count; i += 3) _pd.Store.AddDeal(ids[i], i % 2 == 0 ? "won" : "lost", updated: _pd.Store.Now() - TimeSpan.FromDays(1));
        return ids;
    }

    private int SalesforceWrites() => _sf.ApiCalls.Count(c => c.Method is "PATCH" or "POST" or "DELETE");

    private int PipedriveWrites() => _pd.Calls.Count(c => c.Method is "PATCH" or "POST" or "PUT" or "DELETE");

    [Fact]
    public async Task Sync_salesforce_scores_every_lead_and_contact_there_and_a_second_sync_changes_nothing()
    {
        var (leads, contacts) = SeedSalesforce(150, 40);

        var first = await SyncAsync("salesforce");

        first.GetProperty("pulled").GetInt32().ShouldBe(190);
        Changes(first).ShouldBe((190, 0, 190, 0));
        foreach (var (type, id) in leads.Select(id => ("Lead", id)).Concat(contacts.Select(id => ("Contact", id))))
        {
            var record = _sf.Store.Get(type, id)!;
            int.Parse(record.Text("GrowthBrain_Score__c")!, NumberStyles.Float, CultureInfo.InvariantCulture).ShouldBeInRange(0, 100);
            record.Text("GrowthBrain_Grade__c").ShouldBeOneOf("A", "B", "C", "D");
            record.Text("GrowthBrain_Reasons__c").ShouldNotBeNullOrWhiteSpace();
        }
        (await _h.QueryAsync(db => db.CrmLinks.CountAsync(l => l.Crm == "salesforce", Ct))).ShouldBe(190);
        var writes = SalesforceWrites();

        var second = await SyncAsync("salesforce");

        Changes(second).ShouldBe((0, 0, 0, 0));
        SalesforceWrites().ShouldBe(writes, "nothing changed, so nothing is written to Salesforce");
    }

    [Fact]
    public async Task Sync_pipedrive_scores_every_person_there_and_a_second_sync_changes_nothing()
    {
        var ids = SeedPipedrive(90);

        var first = await SyncAsync("pipedrive");

        first.GetProperty("pulled").GetInt32().ShouldBe(90);
        Changes(first).ShouldBe((90, 0, 90, 0));
        foreach (var id in ids)
        {
            _pd.Store.CustomValue(id, "GrowthBrain score")!.GetValue<double>().ShouldBeInRange(0, 100);
            _pd.Store.CustomValue(id, "GrowthBrain grade")!.GetValue<string>().ShouldBeOneOf("A", "B", "C", "D");
            _pd.Store.CustomValue(id, "GrowthBrain reasons")!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        }
        (await _h.QueryAsync(db => db.CrmLinks.CountAsync(l => l.Crm == "pipedrive", Ct))).ShouldBe(90);
        var writes = PipedriveWrites();

        var second = await SyncAsync("pipedrive");

        Changes(second).ShouldBe((0, 0, 0, 0));
        PipedriveWrites().ShouldBe(writes, "nothing changed, so nothing is written to Pipedrive");
    }

    /// <summary>What a sync changes here: leads (and how many are scored), links, runs, failures. The sync state row itself may be made.</summary>
    private Task<(int, int, int, int, int)> SnapshotAsync() => _h.QueryAsync(async db => (await db.Leads.CountAsync(Ct),
        await db.Leads.CountAsync(l => l.ScoreProbability != null, Ct), await db.CrmLinks.CountAsync(Ct), await db.CrmSyncRuns.CountAsync(Ct),
        await db.CrmSyncFailures.CountAsync(Ct)));

    [Fact]
    public async Task A_dry_run_of_either_writes_nothing_there_or_here()
    {
        var (leads, _) = SeedSalesforce(30, 10);
        var persons = SeedPipedrive(25);
        var before = await SnapshotAsync();

        var sf = await SyncAsync("salesforce", "--dry-run");
        var pd = await SyncAsync("pipedrive", "--dry-run");

        sf.GetProperty("dryRun").GetBoolean().ShouldBeTrue();
        (sf.GetProperty("created").GetInt32(), sf.GetProperty("pushed").GetInt32()).ShouldBe((40, 40));
        pd.GetProperty("dryRun").GetBoolean().ShouldBeTrue();
        (pd.GetProperty("created").GetInt32(), pd.GetProperty("pushed").GetInt32()).ShouldBe((25, 25));
        SalesforceWrites().ShouldBe(0, "a dry run only reads from Salesforce");
        PipedriveWrites().ShouldBe(0, "a dry run only reads from Pipedrive (it does not even create the score fields)");
        _sf.Store.Get("Lead", leads[0])!.Text("GrowthBrain_Score__c").ShouldBeNull();
        _pd.Store.Person(persons[0])!.Custom.ShouldBeEmpty();
        (await SnapshotAsync()).ShouldBe(before, "leads, their scores, links, runs and failures are as they were");
        (await _h.QueryAsync(db => db.CrmSyncStates.CountAsync(s => s.ResumeCursor != null || s.Watermarks != "{}", Ct))).ShouldBe(0, "no pull position was kept");
    }
}
