using System.Globalization;
using GrowthBrain.Integrations;
using GrowthBrain.Integrations.Sync;
using GrowthBrain.Tests.Infrastructure;
using GrowthBrain.Tests.Integrations.Salesforce;
using Microsoft.EntityFrameworkCore;

namespace GrowthBrain.Tests.Integrations.Sync;

public sealed class SalesforceSyncTestsOnSqlite(SqliteDatabases databases) : SalesforceSyncTests(databases);

public sealed class SalesforceSyncTestsOnPostgres(PostgresDatabases databases) : SalesforceSyncTests(databases);

/// <summary>The sync engine with the real Salesforce connector against a loopback Salesforce (login server and REST API).</summary>
public abstract class SalesforceSyncTests(IDatabaseProvider databases) : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private FakeSalesforceServer _sf = null!;
    private SyncHarness _h = null!;

    public async ValueTask InitializeAsync()
    {
        _sf = await FakeSalesforceServer.StartAsync();
        var settings = SalesforceHarness.Settings(_sf);
        settings["Crm:Salesforce:MaxRetries"] = "2";
        _h = await SyncHarness.CreateAsync(databases, null, settings, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _h.DisposeAsync();
        await _sf.DisposeAsync();
    }

    private IReadOnlyList<string> SeedLeads(int count) => _sf.Store.Seed("Lead", count, (i, r) =>
    {
        r.Fields["Title"] = i % 3 == 0 ? "Head of Sales" : "Assistant";
        r.Fields["Status"] = i % 5 == 0 ? "Closed - Not Converted" : i % 7 == 0 ? "Closed - Converted" : "Working - Contacted";
        r.Fields["IsConverted"] = i % 5 != 0 && i % 7 == 0;
    });

    private static int Score(FakeSalesforceRecord r) => int.Parse(r.Text("GrowthBrain_Score__c")!, CultureInfo.InvariantCulture);

    [Fact]
    public async Task Leads_and_contacts_are_scored_here_and_in_salesforce_and_a_second_sync_writes_nothing()
    {
        var leads = SeedLeads(150);
        var contacts = _sf.Store.Seed("Contact", 60);

        var first = await _h.SyncAsync(new SyncCrm("salesforce"), Ct);

        (first.Pulled, first.Created, first.Failed).ShouldBe((210, 210, 0));
        first.Pushed.ShouldBe(210);
        first.Warnings.ShouldBeEmpty();
        foreach (var (type, id) in leads.Select(id => ("Lead", id)).Concat(contacts.Select(id => ("Contact", id))))
        {
            var record = _sf.Store.Get(type, id)!;
            Score(record).ShouldBeInRange(0, 100);
            record.Text("GrowthBrain_Grade__c").ShouldBeOneOf("A", "B", "C", "D");
            record.Text("GrowthBrain_Reasons__c").ShouldNotBeNullOrWhiteSpace();
        }
        (await _h.QueryAsync(db => db.Leads.CountAsync(l => l.Outcome == GrowthBrain.Leads.LeadOutcome.Lost && l.Status == "Closed - Not Converted", Ct))).ShouldBe(30);
        (await _h.QueryAsync(db => db.Leads.CountAsync(l => l.Outcome == GrowthBrain.Leads.LeadOutcome.Won && l.Status == "Closed - Converted", Ct))).ShouldBe(17);
        var writes = _sf.ApiCalls.Count(c => c.Method == "PATCH");
        writes.ShouldBe(2, "one collection of up to 200 per object");

        var second = await _h.SyncAsync(new SyncCrm("salesforce"), Ct);

        (second.Created, second.Updated, second.Pushed, second.Failed).ShouldBe((0, 0, 0, 0));
        _sf.ApiCalls.Count(c => c.Method == "PATCH").ShouldBe(writes, "nothing changed, so nothing is written to Salesforce");
    }

    [Fact]
    public async Task A_converted_lead_is_won_here_when_its_opportunity_is_won_even_if_only_the_opportunity_changed()
    {
        var (won, open) = (_sf.Store.AddOpportunity("Closed Won"), _sf.Store.AddOpportunity("Negotiation/Review"));
        // "Qualified" is the converted status of newer orgs: by itself it says neither won nor lost.
        var leads = _sf.Store.Seed("Lead", 3, (i, r) =>
        {
            if (i == 2) return;
            r.Fields["IsConverted"] = true;
            r.Fields["Status"] = "Qualified";
            r.Fields["ConvertedOpportunityId"] = i == 0 ? won : open;
        });
        async Task<GrowthBrain.Leads.LeadOutcome> OutcomeOf(string id) => (await _h.QueryAsync(db => db.Leads.SingleAsync(l => l.ExternalId == id, Ct))).Outcome;

        await _h.SyncAsync(new SyncCrm("salesforce"), Ct);

        (await OutcomeOf(leads[0])).ShouldBe(GrowthBrain.Leads.LeadOutcome.Won);
        (await OutcomeOf(leads[1])).ShouldBe(GrowthBrain.Leads.LeadOutcome.Open);
        (await OutcomeOf(leads[2])).ShouldBe(GrowthBrain.Leads.LeadOutcome.Open);

        _sf.Store.MoveOpportunity(open, "Closed Won");
        var second = await _h.SyncAsync(new SyncCrm("salesforce"), Ct);

        (second.Updated, second.Created).ShouldBe((1, 0));
        (await OutcomeOf(leads[1])).ShouldBe(GrowthBrain.Leads.LeadOutcome.Won, "the lead did not change, its opportunity did");
    }

    [Fact]
    public async Task A_session_ending_mid_sync_is_refreshed_and_a_record_salesforce_refuses_is_kept_with_its_reason_until_it_is_written()
    {
        var ids = SeedLeads(40);
        _sf.RefuseIds[ids[7]] = ("FIELD_CUSTOM_VALIDATION_EXCEPTION", "Score changes need a reviewer");
        await _h.SyncAsync(new SyncCrm("salesforce"), Ct);
        var failure = await _h.QueryAsync(db => db.CrmSyncFailures.SingleAsync(Ct));
        (failure.RecordKey, failure.Direction).ShouldBe((ids[7], CrmSyncDirection.Scores));
        failure.Error.ShouldContain("Score changes need a reviewer");

        _sf.RefuseIds.Clear();
        _sf.Store.ChangeEmail("Lead", ids[3], "renamed@acme.example");
        _sf.ExpireSessionsAfter(2);
        var refreshes = _sf.TokenRefreshes;
        var second = await _h.SyncAsync(new SyncCrm("salesforce"), Ct);

        _sf.TokenRefreshes.ShouldBe(refreshes + 1, "the ended session was refreshed once with the refresh token");
        _sf.ApiCalls.Count(c => c.Status == 401).ShouldBe(1);
        (second.Updated, second.Created, second.Failed).ShouldBe((1, 0, 0));
        _sf.Store.Get("Lead", ids[7])!.Text("GrowthBrain_Score__c").ShouldNotBeNull();
        (await _h.QueryAsync(db => db.CrmSyncFailures.CountAsync(Ct))).ShouldBe(0);
        (await _h.QueryAsync(db => db.Leads.CountAsync(l => l.EmailNormalized == "renamed@acme.example", Ct))).ShouldBe(1);
    }

    [Fact]
    public async Task Score_fields_missing_on_contacts_are_reported_with_the_exact_instruction_while_leads_sync()
    {
        var leads = SeedLeads(30);
        var contacts = _sf.Store.Seed("Contact", 10);
        foreach (var f in FakeSalesforceStore.ScoreFields) _sf.Store.RemoveField("Contact", f.Name);

        var summary = await _h.SyncAsync(new SyncCrm("salesforce"), Ct);

        (summary.Pulled, summary.Created).ShouldBe((40, 40));
        summary.Pushed.ShouldBe(30);
        summary.Failed.ShouldBe(10);
        summary.Warnings.ShouldContain("In Salesforce Setup → Object Manager → Contact → Fields & Relationships → New: Number(3, 0) 'GrowthBrain Score' " +
                                       "(API name GrowthBrain_Score__c), visible and editable for the user GrowthBrain connects as (the REST API cannot create fields).");
        summary.Warnings.Count.ShouldBe(3);
        leads.ShouldAllBe(id => _sf.Store.Get("Lead", id)!.Text("GrowthBrain_Score__c") != null);
        var failures = await _h.QueryAsync(db => db.CrmSyncFailures.ToListAsync(Ct));
        failures.Select(f => f.RecordKey).ShouldBe(contacts, ignoreOrder: true);
        failures.ShouldAllBe(f => f.Error.Contains("Object Manager → Contact → Fields & Relationships → New"));
        (await _h.QueryAsync(db => db.CrmSyncRuns.OrderBy(r => r.Id).Select(r => r.Error).LastAsync(Ct)))!.ShouldContain("GrowthBrain_Reasons__c");
    }

    [Fact]
    public async Task An_org_out_of_daily_api_requests_stops_the_sync_with_a_clear_message_and_the_next_one_continues()
    {
        var ids = SeedLeads(20);
        await _h.SyncAsync(new SyncCrm("salesforce"), Ct);
        _sf.Store.ChangeEmail("Lead", ids[5], "later@acme.example");
        _sf.UseApiRequests(_sf.DailyApiMax);

        var error = await Should.ThrowAsync<CrmException>(() => _h.SyncAsync(new SyncCrm("salesforce"), Ct));

        error.Retryable.ShouldBeTrue();
        error.Message.ShouldContain("REQUEST_LIMIT_EXCEEDED");
        error.Message.ShouldContain("the org's daily API request limit is used up");
        (await _h.QueryAsync(db => db.CrmSyncRuns.CountAsync(r => r.Status == CrmSyncStatus.Running, Ct))).ShouldBe(0);
        (await _h.QueryAsync(db => db.Leads.CountAsync(l => l.EmailNormalized == "later@acme.example", Ct))).ShouldBe(0);
        _sf.ApiCalls.Count(c => c.Status == 403).ShouldBe(1, "no retry loop against a spent day");

        _sf.UseApiRequests(100);
        var next = await _h.SyncAsync(new SyncCrm("salesforce"), Ct);
        next.Updated.ShouldBe(1);
        (await _h.QueryAsync(db => db.Leads.CountAsync(l => l.EmailNormalized == "later@acme.example", Ct))).ShouldBe(1);
    }
}
