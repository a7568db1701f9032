using GrowthBrain.Integrations.Sync;
using GrowthBrain.Leads;
using GrowthBrain.Privacy;
using GrowthBrain.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace GrowthBrain.Tests.Integrations.Sync;

public sealed class SyncEngineTestsOnSqlite(SqliteDatabases databases) : SyncEngineTests(databases);

public sealed class SyncEngineTestsOnPostgres(PostgresDatabases databases) : SyncEngineTests(databases);

/// <summary>The sync engine's guarantees, whatever the CRM: links, resume, change detection both ways, dry run, failures, leases, erasure.</summary>
public abstract class SyncEngineTests(IDatabaseProvider databases)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ScriptedCrm Crm(int records)
    {
        var crm = new ScriptedCrm();
        string[] stages = ["lead", "customer", "opportunity", "other", "lead"];
        string[] titles = ["VP Sales", "Intern", "Head of Growth", "Analyst", "CEO"];
        for (var i = 1; i <= records; i++)
            crm.Add($"{1000 + i}", $"person{i}@crm-{i % 7}.example", $"P{i}", stages[i % stages.Length], titles[i % titles.Length], i % 2 == 0 ? "Software" : "Retail");
        return crm;
    }

    private static Task<int> LinkedLeadsAsync(SyncHarness h) =>
        h.QueryAsync(db => db.CrmLinks.CountAsync(l => l.Crm == "hubspot" && l.RecordKind == "lead", Ct));

    [Fact]
    public async Task A_first_sync_creates_scores_and_writes_back_every_record_and_a_second_writes_nothing()
    {
        var crm = Crm(35);
        await using var h = await SyncHarness.CreateAsync(databases, crm, null, Ct);
        var leadsBefore = await h.QueryAsync(db => db.Leads.CountAsync(Ct));

        var first = await h.SyncAsync(new SyncCrm("hubspot"), Ct);

        first.Pulled.ShouldBe(35);
        first.Created.ShouldBe(35);
        first.Failed.ShouldBe(0);
        (await h.QueryAsync(db => db.Leads.CountAsync(Ct))).ShouldBe(leadsBefore + 35);
        (await LinkedLeadsAsync(h)).ShouldBe(35);
        crm.Written.Count.ShouldBe(35, "every synced record carries its score");
        crm.Written.Values.ShouldAllBe(w => w.Score >= 0 && w.Score <= 100 && w.Grade.Length == 1 && w.Reasons.Length > 0);
        var customer = await h.QueryAsync(db => db.Leads.SingleAsync(l => l.ExternalId == "1001", Ct));
        customer.Outcome.ShouldBe(LeadOutcome.Won, "lifecyclestage 'customer' means won in the suggested mapping");
        first.Pushed.ShouldBe(35 + crm.Activities.Count);

        var writesBefore = crm.ScoreWriteCount;
        var second = await h.SyncAsync(new SyncCrm("hubspot"), Ct);

        second.Created.ShouldBe(0);
        second.Updated.ShouldBe(0);
        second.Pushed.ShouldBe(0);
        crm.ScoreWriteCount.ShouldBe(writesBefore, "a second sync with nothing changed writes nothing to the CRM");
        crm.CursorsAsked.Count(c => c is null).ShouldBe(2, "the second sync asked only from the watermark, one page");
    }

    [Fact]
    public async Task An_email_changed_in_the_crm_updates_the_linked_lead_and_never_duplicates_it()
    {
        var crm = Crm(12);
        await using var h = await SyncHarness.CreateAsync(databases, crm, null, Ct);
        await h.SyncAsync(new SyncCrm("hubspot"), Ct);
        var leads = await h.QueryAsync(db => db.Leads.CountAsync(Ct));

        crm.Change("1003", "email", "new.address@elsewhere.example");
        var second = await h.SyncAsync(new SyncCrm("hubspot"), Ct);

        second.Created.ShouldBe(0);
        second.Updated.ShouldBe(1);
        (await h.QueryAsync(db => db.Leads.CountAsync(Ct))).ShouldBe(leads);
        (await h.QueryAsync(db => db.Leads.SingleAsync(l => l.ExternalId == "1003", Ct))).EmailNormalized.ShouldBe("new.address@elsewhere.example");
        crm.Written["1003"].ShouldNotBeNull();
    }

    [Fact]
    public async Task A_record_whose_email_matches_an_existing_lead_is_linked_to_it_once()
    {
        var crm = new ScriptedCrm();
        await using var h = await SyncHarness.CreateAsync(databases, crm, null, Ct);
        var existing = await h.QueryAsync(db => db.Leads.Where(l => l.EmailNormalized != null).OrderBy(l => l.Id).FirstAsync(Ct));
        crm.Add("7001", existing.Email!.ToUpperInvariant(), "Renamed", "lead");
        var leads = await h.QueryAsync(db => db.Leads.CountAsync(Ct));

        var sync = await h.SyncAsync(new SyncCrm("hubspot"), Ct);

        sync.Created.ShouldBe(0);
        sync.Updated.ShouldBe(1);
        (await h.QueryAsync(db => db.Leads.CountAsync(Ct))).ShouldBe(leads);
        (await h.QueryAsync(db => db.Leads.SingleAsync(l => l.Id == existing.Id, Ct))).FirstName.ShouldBe("Renamed");
        (await h.QueryAsync(db => db.CrmLinks.SingleAsync(l => l.ExternalId == "7001", Ct))).LocalId.ShouldBe(existing.Id);
    }

    [Fact]
    public async Task A_sync_killed_mid_way_resumes_from_its_last_committed_page()
    {
        var crm = Crm(45); // 5 pages of 10
        crm.FailOnPullCall = 3;
        await using var h = await SyncHarness.CreateAsync(databases, crm, null, Ct);

        await Should.ThrowAsync<GrowthBrain.Integrations.CrmException>(() => h.SyncAsync(new SyncCrm("hubspot"), Ct));
        (await LinkedLeadsAsync(h)).ShouldBe(20, "two pages were committed before the third failed");
        var failedRun = await h.QueryAsync(db => db.CrmSyncRuns.OrderBy(r => r.Id).LastAsync(Ct));
        failedRun.Status.ShouldBe(CrmSyncStatus.Failed);
        failedRun.Error!.ShouldContain("stopped answering");

        var resumed = await h.SyncAsync(new SyncCrm("hubspot"), Ct);

        crm.CursorsAsked[3].ShouldBe("20", "the next sync continued at the page that failed, not from the start");
        resumed.Created.ShouldBe(25);
        (await LinkedLeadsAsync(h)).ShouldBe(45);
        (await h.QueryAsync(db => db.Leads.CountAsync(l => l.ExternalId != null && l.ExternalId.StartsWith("10"), Ct))).ShouldBe(45);
    }

    [Fact]
    public async Task A_dry_run_reports_what_would_change_and_writes_nothing_anywhere()
    {
        var crm = Crm(15);
        await using var h = await SyncHarness.CreateAsync(databases, crm, null, Ct);
        var leads = await h.QueryAsync(db => db.Leads.CountAsync(Ct));

        var dry = await h.SyncAsync(new SyncCrm("hubspot", DryRun: true), Ct);

        dry.DryRun.ShouldBeTrue();
        dry.Created.ShouldBe(15);
        dry.Pushed.ShouldBeGreaterThanOrEqualTo(15);
        (await h.QueryAsync(db => db.Leads.CountAsync(Ct))).ShouldBe(leads);
        (await LinkedLeadsAsync(h)).ShouldBe(0);
        (await h.QueryAsync(db => db.CrmSyncStates.SingleAsync(Ct))).Watermarks.ShouldBe("{}");
        crm.ScoreWriteCount.ShouldBe(0);
        crm.Activities.ShouldBeEmpty();

        (await h.SyncAsync(new SyncCrm("hubspot"), Ct)).Created.ShouldBe(15, "the real sync after a dry run still has everything to do");
    }

    [Fact]
    public async Task A_record_the_crm_refuses_is_kept_with_its_reason_and_written_on_a_later_sync()
    {
        var crm = Crm(12);
        crm.RefuseWrites.Add("1004");
        crm.Add("9999", "not-an-address", "Broken", "lead");
        await using var h = await SyncHarness.CreateAsync(databases, crm, null, Ct);

        var first = await h.SyncAsync(new SyncCrm("hubspot"), Ct);

        first.Created.ShouldBe(12, "the good records are kept");
        first.Failed.ShouldBe(2);
        var failures = await h.QueryAsync(db => db.CrmSyncFailures.OrderBy(f => f.RecordKey).ToListAsync(Ct));
        failures.Select(f => (f.RecordKey, f.Direction)).ShouldBe([("1004", CrmSyncDirection.Scores), ("9999", CrmSyncDirection.Pull)]);
        failures[0].Error.ShouldContain("PROPERTY_DOESNT_EXIST");
        failures[1].Error.ShouldContain("not an e-mail address");

        crm.RefuseWrites.Clear();
        crm.Change("9999", "email", "fixed@crm.example");
        var second = await h.SyncAsync(new SyncCrm("hubspot"), Ct);

        second.Failed.ShouldBe(0);
        crm.Written.ContainsKey("1004").ShouldBeTrue();
        (await h.QueryAsync(db => db.CrmSyncFailures.CountAsync(Ct))).ShouldBe(0);
    }

    [Fact]
    public async Task Only_one_sync_of_a_connection_runs_at_a_time_and_a_dead_holders_lease_expires()
    {
        var crm = Crm(5);
        await using var h = await SyncHarness.CreateAsync(databases, crm, null, Ct);
        await h.SyncAsync(new SyncCrm("hubspot"), Ct);
        var now = h.Database.Clock.GetUtcNow().UtcDateTime;
        await h.QueryAsync(db => db.CrmSyncStates.ExecuteUpdateAsync(s => s.SetProperty(x => x.LeaseOwner, "other-host:1:x").SetProperty(x => x.LeaseUntil, now.AddMinutes(1)), Ct));

        var refused = await Should.ThrowAsync<SyncAlreadyRunningException>(() => h.SyncAsync(new SyncCrm("hubspot"), Ct));
        refused.Message.ShouldContain("already running");

        h.Database.Clock.Advance(TimeSpan.FromMinutes(2));
        (await h.SyncAsync(new SyncCrm("hubspot"), Ct)).Created.ShouldBe(0);
        (await h.QueryAsync(db => db.CrmSyncStates.SingleAsync(Ct))).LeaseOwner.ShouldBeNull();
    }

    [Fact]
    public async Task Erasing_a_synced_person_erases_their_record_in_the_crm_and_nothing_stays_pending()
    {
        var crm = Crm(6);
        await using var h = await SyncHarness.CreateAsync(databases, crm, null, Ct);
        await h.SyncAsync(new SyncCrm("hubspot"), Ct);

        var erased = await h.RunAsync<ErasePersonHandler, ErasureResult>(e => e.HandleAsync(new ErasePerson("person2@crm-2.example", "dpo@team.example"), Ct));

        erased.PendingCrmErasures.ShouldBeEmpty();
        crm.Erased.ShouldBe([("contacts", "1002")]);
        (await h.QueryAsync(db => db.PendingCrmErasures.CountAsync(Ct))).ShouldBe(0);
        // The CRM no longer has it, and a full re-read would not bring the person back either.
        (await h.SyncAsync(new SyncCrm("hubspot", Full: true), Ct)).Created.ShouldBe(0);
    }

    [Fact]
    public async Task A_webhook_queues_its_records_and_the_scheduler_pulls_just_those()
    {
        var crm = Crm(8);
        await using var h = await SyncHarness.CreateAsync(databases, crm, null, Ct);
        await h.SyncAsync(new SyncCrm("hubspot"), Ct);
        crm.Change("1005", "firstname", "Hooked");

        var queued = await h.RunAsync<ReceiveCrmWebhookHandler, int>(r => r.HandleAsync(new ReceiveCrmWebhook("hubspot",
            new GrowthBrain.Integrations.CrmWebhook("POST", "https://gb.example/hooks/hubspot", "1005,1005", new Dictionary<string, string>())), Ct));
        queued.ShouldBe(2);
        (await h.QueryAsync(db => db.CrmWebhookEvents.CountAsync(Ct))).ShouldBe(1, "one queued pull per record");

        var pullsBefore = crm.PullCalls;
        var done = await h.RunAsync<RunDueSyncsHandler, IReadOnlyList<SyncSummary>>(r => r.HandleAsync(new RunDueSyncs(TimeSpan.FromHours(1)), Ct));

        done.Single().Updated.ShouldBe(1);
        crm.PullCalls.ShouldBe(pullsBefore + 1, "only the queued record was read");
        (await h.QueryAsync(db => db.Leads.SingleAsync(l => l.ExternalId == "1005", Ct))).FirstName.ShouldBe("Hooked");
        (await h.QueryAsync(db => db.CrmWebhookEvents.CountAsync(Ct))).ShouldBe(0);
    }
}
