using GrowthBrain.Integrations.Sync;
using GrowthBrain.Tests.Infrastructure;
using GrowthBrain.Tests.Integrations.Zoho;
using Microsoft.EntityFrameworkCore;

namespace GrowthBrain.Tests.Integrations.Sync;

public sealed class ZohoSyncTestsOnSqlite(SqliteDatabases databases) : ZohoSyncTests(databases);

public sealed class ZohoSyncTestsOnPostgres(PostgresDatabases databases) : ZohoSyncTests(databases);

/// <summary>The sync engine with the real Zoho CRM connector against a loopback Zoho (accounts server and API).</summary>
public abstract class ZohoSyncTests(IDatabaseProvider databases) : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private FakeZohoServer _zoho = null!;
    private SyncHarness _h = null!;

    public async ValueTask InitializeAsync()
    {
        _zoho = await FakeZohoServer.StartAsync();
        _h = await SyncHarness.CreateAsync(databases, null, new()
        {
            ["Crm:Zoho:ApiBaseUrl"] = _zoho.Root, ["Crm:Zoho:AccountsUrl"] = _zoho.Root, ["Crm:Zoho:ClientId"] = _zoho.ClientId,
            ["Crm:Zoho:ClientSecret"] = _zoho.ClientSecret, ["Crm:Zoho:RefreshToken"] = _zoho.RefreshToken, ["Crm:Zoho:MaxConcurrentCalls"] = "0",
            ["Crm:Zoho:CreditsPerDay"] = "0", ["Crm:Zoho:MaxRetries"] = "2", ["Crm:Zoho:RetryBaseDelay"] = "00:00:00.020",
        }, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _h.DisposeAsync();
        await _zoho.DisposeAsync();
    }

    private IReadOnlyList<string> SeedLeads(int count) => _zoho.Store.Seed("Leads", count, (i, r) =>
    {
        r.Fields["Title"] = i % 3 == 0 ? "Head of Sales" : "Assistant";
        r.Fields["Lead_Status"] = i % 5 == 0 ? "Junk Lead" : "Contacted";
    });

    [Fact]
    public async Task Leads_and_contacts_are_scored_here_and_in_zoho_and_a_second_sync_writes_nothing()
    {
        var leads = SeedLeads(150);
        var contacts = _zoho.Store.Seed("Contacts", 60);

        var first = await _h.SyncAsync(new SyncCrm("zoho"), Ct);

        (first.Pulled, first.Created, first.Failed).ShouldBe((210, 210, 0));
        first.Pushed.ShouldBe(210);
        foreach (var (module, id) in leads.Select(id => ("Leads", id)).Concat(contacts.Select(id => ("Contacts", id))))
        {
            var record = _zoho.Store.Get(module, id)!;
            int.Parse(record.Text("GrowthBrain_Score")!, System.Globalization.CultureInfo.InvariantCulture).ShouldBeInRange(0, 100);
            record.Text("GrowthBrain_Grade").ShouldBeOneOf("A", "B", "C", "D");
            record.Text("GrowthBrain_Reasons").ShouldNotBeNullOrWhiteSpace();
        }
        (await _h.QueryAsync(db => db.Leads.CountAsync(l => l.Outcome == GrowthBrain.Leads.LeadOutcome.Lost && l.Status == "Junk Lead", Ct))).ShouldBe(30);
        var writes = _zoho.ApiCalls.Count(c => c.Method == "PUT");

        var second = await _h.SyncAsync(new SyncCrm("zoho"), Ct);

        (second.Created, second.Updated, second.Pushed, second.Failed).ShouldBe((0, 0, 0, 0));
        _zoho.ApiCalls.Count(c => c.Method == "PUT").ShouldBe(writes, "nothing changed, so nothing is written to Zoho");
    }

    [Fact]
    public async Task An_expired_token_is_refreshed_and_a_record_zoho_refuses_is_kept_with_its_reason_until_it_is_written()
    {
        var ids = SeedLeads(40);
        _zoho.RefuseIds.Add(ids[7]);
        await _h.SyncAsync(new SyncCrm("zoho"), Ct);
        var failure = await _h.QueryAsync(db => db.CrmSyncFailures.SingleAsync(Ct));
        (failure.RecordKey, failure.Direction).ShouldBe((ids[7], CrmSyncDirection.Scores));
        failure.Error.ShouldNotBeNullOrWhiteSpace();

        _zoho.InvalidateTokens();
        _zoho.RefuseIds.Clear();
        _zoho.Store.ChangeEmail("Leads", ids[3], "renamed@zylker.example");
        var refreshes = _zoho.TokenRefreshes;
        var second = await _h.SyncAsync(new SyncCrm("zoho"), Ct);

        _zoho.TokenRefreshes.ShouldBeGreaterThan(refreshes, "the revoked access token was refreshed with the refresh token");
        (second.Updated, second.Created, second.Failed).ShouldBe((1, 0, 0));
        _zoho.Store.Get("Leads", ids[7])!.Text("GrowthBrain_Score").ShouldNotBeNull();
        (await _h.QueryAsync(db => db.CrmSyncFailures.CountAsync(Ct))).ShouldBe(0);
        (await _h.QueryAsync(db => db.Leads.CountAsync(l => l.EmailNormalized == "renamed@zylker.example", Ct))).ShouldBe(1);
    }
}
