using GrowthBrain.Integrations;
using GrowthBrain.Integrations.Sync;
using GrowthBrain.Leads;
using GrowthBrain.Tests.Infrastructure;
using GrowthBrain.Tests.Integrations.Pipedrive;
using Microsoft.EntityFrameworkCore;

namespace GrowthBrain.Tests.Integrations.Sync;

public sealed class PipedriveSyncTestsOnSqlite(SqliteDatabases databases) : PipedriveSyncTests(databases);

public sealed class PipedriveSyncTestsOnPostgres(PostgresDatabases databases) : PipedriveSyncTests(databases);

/// <summary>The sync engine with the real Pipedrive connector against a loopback Pipedrive.</summary>
public abstract class PipedriveSyncTests(IDatabaseProvider databases) : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private FakePipedriveServer _pd = null!;
    private SyncHarness? _h;

    public async ValueTask InitializeAsync() => _pd = await FakePipedriveServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_h is not null) await _h.DisposeAsync();
        await _pd.DisposeAsync();
    }

    private async Task<SyncHarness> HarnessAsync(int dailyTokenBudget = 0) => _h = await SyncHarness.CreateAsync(databases, null, new()
    {
        ["Crm:Pipedrive:BaseUrl"] = _pd.BaseUrl, ["Crm:Pipedrive:ApiToken"] = _pd.Token, ["Crm:Pipedrive:BurstPer2Seconds"] = "0",
        ["Crm:Pipedrive:DailyTokenBudget"] = dailyTokenBudget.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Crm:Pipedrive:MaxRetries"] = "2", ["Crm:Pipedrive:RetryBaseDelay"] = "00:00:00.020",
    }, Ct);

    /// <summary>Persons with a signal the model can learn, a third of them with a deal (won for VPs, lost for assistants).</summary>
    private IReadOnlyList<string> Seed(int count)
    {
        var ids = _pd.Store.Seed(count);
        for (var i = 0; i < ids.Count; i += 3) _pd.Store.AddDeal(ids[i], i % 2 == 0 ? "won" : "lost", updated: _pd.Store.Now() - TimeSpan.FromDays(1));
        return ids;
    }

    [Fact]
    public async Task Every_person_is_scored_here_and_in_pipedrive_and_a_second_sync_writes_nothing()
    {
        var h = await HarnessAsync();
        var ids = Seed(90);

        var first = await h.SyncAsync(new SyncCrm("pipedrive"), Ct);

        (first.Pulled, first.Created, first.Failed).ShouldBe((90, 90, 0));
        first.Pushed.ShouldBe(90);
        foreach (var id in ids)
        {
            _pd.Store.CustomValue(id, "GrowthBrain score")!.GetValue<double>().ShouldBeInRange(0, 100);
            _pd.Store.CustomValue(id, "GrowthBrain grade")!.GetValue<string>().ShouldBeOneOf("A", "B", "C", "D");
            _pd.Store.CustomValue(id, "GrowthBrain reasons")!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        }
        (await h.QueryAsync(db => db.Leads.CountAsync(l => l.ExternalId != null && ids.Contains(l.ExternalId) && l.Outcome == LeadOutcome.Won, Ct))).ShouldBe(15);
        (await h.QueryAsync(db => db.Leads.CountAsync(l => l.ExternalId != null && ids.Contains(l.ExternalId) && l.Outcome == LeadOutcome.Lost, Ct))).ShouldBe(15);
        var writes = _pd.Count("PATCH", "/api/v2/persons/");

        var second = await h.SyncAsync(new SyncCrm("pipedrive"), Ct);

        (second.Created, second.Updated, second.Pushed, second.Failed).ShouldBe((0, 0, 0, 0));
        _pd.Count("PATCH", "/api/v2/persons/").ShouldBe(writes, "nothing changed, so nothing is written to Pipedrive");
    }

    [Fact]
    public async Task A_deal_won_in_pipedrive_makes_its_lead_won_though_the_person_did_not_change()
    {
        var h = await HarnessAsync();
        var ids = Seed(40);
        var deal = _pd.Store.AddDeal(ids[1], "open", stageId: 2, updated: _pd.Store.Now() - TimeSpan.FromHours(1));
        _pd.RefuseIds.Add(ids[4]);
        await h.SyncAsync(new SyncCrm("pipedrive"), Ct);
        (await h.QueryAsync(db => db.Leads.SingleAsync(l => l.ExternalId == ids[1], Ct))).Outcome.ShouldBe(LeadOutcome.Open);
        var failure = await h.QueryAsync(db => db.CrmSyncFailures.SingleAsync(Ct));
        (failure.RecordKey, failure.Direction).ShouldBe((ids[4], CrmSyncDirection.Scores));
        failure.Error.ShouldContain("locked by a workflow");

        // Pipedrive keeps update_time to the second: the change comes in a later second than the watermark.
        await Task.Delay(TimeSpan.FromSeconds(1.1), TimeProvider.System, Ct);
        _pd.Store.SetDealStatus(deal.Id, "won");
        _pd.RefuseIds.Clear();
        var second = await h.SyncAsync(new SyncCrm("pipedrive"), Ct);

        second.Updated.ShouldBe(1);
        (await h.QueryAsync(db => db.Leads.SingleAsync(l => l.ExternalId == ids[1], Ct))).Outcome.ShouldBe(LeadOutcome.Won);
        (await h.QueryAsync(db => db.CrmSyncFailures.CountAsync(Ct))).ShouldBe(0, "the refused person was written on the next sync");
    }

    [Fact]
    public async Task A_sync_never_exceeds_the_burst_limit()
    {
        // The connector keeps its own real clock here: the engine's test clock stands still, and waiting for a window needs time to pass.
        await using var pipedrive = await PipedriveHarness.StartAsync(s => { s["Crm:Pipedrive:BurstPer2Seconds"] = "6"; s["Crm:Pipedrive:BurstWindow"] = "00:00:00.250"; });
        pipedrive.Fake.BurstLimit = 6;
        pipedrive.Fake.BurstWindow = TimeSpan.FromMilliseconds(250);
        _h = await SyncHarness.CreateAsync(databases, pipedrive.Connector, null, Ct);
        pipedrive.Fake.Store.Seed(45);

        var summary = await _h.SyncAsync(new SyncCrm("pipedrive"), Ct);

        (summary.Pulled, summary.Pushed, summary.Failed).ShouldBe((45, 45, 0));
        pipedrive.Fake.Limited.ShouldBe(0, "no call was refused for the burst limit");
        pipedrive.Fake.MaxInWindow.ShouldBeLessThanOrEqualTo(6);
    }

    [Fact]
    public async Task A_daily_budget_too_small_for_the_writes_stops_the_sync_before_them_and_the_next_day_it_continues()
    {
        // A pull and the field checks cost about 130 tokens, the 60 writes 300: the budget covers one day's sync, not with more work that day.
        var h = await HarnessAsync(dailyTokenBudget: 450);
        var ids = Seed(60);
        for (var i = 0; i < 3; i++)
        {
            var check = await h.RunAsync<TestCrmConnectionHandler, CrmCheck>(t => t.HandleAsync(new TestCrmConnection("pipedrive"), Ct));
            check.Message.ShouldContain("API tokens are left");
        }

        var stopped = await Should.ThrowAsync<CrmException>(() => h.SyncAsync(new SyncCrm("pipedrive"), Ct));

        stopped.Message.ShouldContain("daily Pipedrive API budget would be exceeded");
        _pd.Count("PATCH", "/api/v2/persons/").ShouldBe(0, "no write was started that the budget could not finish");
        (await h.QueryAsync(db => db.Leads.CountAsync(l => l.ExternalId != null && ids.Contains(l.ExternalId), Ct))).ShouldBe(60, "the pull was kept");

        h.Database.Clock.Advance(TimeSpan.FromDays(1));
        _pd.NewDay();
        var next = await h.SyncAsync(new SyncCrm("pipedrive"), Ct);

        (next.Pushed, next.Failed).ShouldBe((60, 0));
        _pd.Count("PATCH", "/api/v2/persons/").ShouldBe(60);
    }
}
