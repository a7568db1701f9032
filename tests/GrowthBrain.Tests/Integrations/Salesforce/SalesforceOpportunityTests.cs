using GrowthBrain.Integrations;
using GrowthBrain.Integrations.Salesforce;
using GrowthBrain.Integrations.Sync;
using GrowthBrain.Leads.Import;

namespace GrowthBrain.Tests.Integrations.Salesforce;

/// <summary>The opportunity outcome of Leads (their converted opportunity) and Contacts (their contact roles), in full and incremental reads.</summary>
public sealed class SalesforceOpportunityTests
{
    private static readonly string[] Props = ["Email", "Status", SalesforceOpportunities.Status, SalesforceOpportunities.Stage];
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Leads converted before the sync (seeded at <see cref="FakeSalesforceStore.SeedBase"/>), one per opportunity id (null: not converted).</summary>
    private static IReadOnlyList<string> SeedConverted(SalesforceHarness h, params string?[] opportunities) =>
        h.Fake.Store.Seed("Lead", opportunities.Length, (i, r) =>
        {
            if (opportunities[i] is not { } opportunity) return;
            r.Fields["IsConverted"] = true;
            r.Fields["Status"] = "Qualified";
            r.Fields["ConvertedOpportunityId"] = opportunity;
        });

    private static IEnumerable<string> OpportunityQueries(SalesforceHarness h) =>
        h.Fake.ApiCalls.Select(c => Uri.UnescapeDataString(c.Query)).Where(q => q.Contains("FROM Opportunity"));

    [Fact]
    public async Task A_converted_lead_carries_its_opportunitys_outcome_and_stage_read_in_one_query_per_page()
    {
        await using var h = await SalesforceHarness.StartAsync();
        var s = h.Fake.Store;
        var (won, lost, open) = (s.AddOpportunity("Closed Won"), s.AddOpportunity("Closed Lost"), s.AddOpportunity("Negotiation/Review"));
        var ids = SeedConverted(h, won, lost, open, null);
        s.MoveOpportunity(won, "Closed Won");

        var (records, _) = await h.PullAllAsync("Lead", Props, ct: Ct);

        var byId = records.ToDictionary(r => r.Id);
        byId[ids[0]].Properties[SalesforceOpportunities.Status].ShouldBe("won");
        byId[ids[0]].Properties[SalesforceOpportunities.Stage].ShouldBe("Closed Won");
        byId[ids[1]].Properties[SalesforceOpportunities.Status].ShouldBe("lost");
        (byId[ids[2]].Properties[SalesforceOpportunities.Status], byId[ids[2]].Properties[SalesforceOpportunities.Stage]).ShouldBe(("open", "Negotiation/Review"));
        (byId[ids[3]].Properties[SalesforceOpportunities.Status], byId[ids[3]].Properties[SalesforceOpportunities.Stage]).ShouldBe((null, null));
        byId[ids[0]].ModifiedAt.ShouldBe(s.Get("Opportunity", won)!.LastModifiedDate.UtcDateTime, "the later of the lead's and its opportunity's change");
        byId[ids[3]].ModifiedAt.ShouldBe(s.Get("Lead", ids[3])!.LastModifiedDate.UtcDateTime);
        records.ShouldAllBe(r => !r.Properties.ContainsKey(SalesforceOpportunities.ConvertedOpportunity), "read for the outcome, not asked for");
        OpportunityQueries(h).Single().ShouldStartWith("?q=SELECT Id, IsWon, IsClosed, StageName, LastModifiedDate FROM Opportunity WHERE Id IN (");
    }

    [Fact]
    public async Task A_contact_is_won_when_any_opportunity_is_won_lost_when_all_are_closed_and_open_otherwise()
    {
        await using var h = await SalesforceHarness.StartAsync();
        var s = h.Fake.Store;
        var (won, lost1, lost2, open) = (s.AddOpportunity("Closed Won"), s.AddOpportunity("Closed Lost"), s.AddOpportunity("Closed Lost"), s.AddOpportunity("Prospecting"));
        var ids = s.Seed("Contact", 4);
        foreach (var (contact, opportunity) in new[] { (0, won), (0, open), (1, lost1), (1, lost2), (2, lost1), (2, open), (2, open) })
            s.AddContactRole(ids[contact], opportunity);

        var (records, _) = await h.PullAllAsync("Contact", Props, ct: Ct);

        var status = records.ToDictionary(r => r.Id, r => (r.Properties[SalesforceOpportunities.Status], r.Properties[SalesforceOpportunities.Stage]));
        status[ids[0]].Item1.ShouldBe("won");
        status[ids[1]].ShouldBe(("lost", "Closed Lost"));
        status[ids[2]].ShouldBe(("open", "Prospecting"), "the stage of the open opportunity");
        status[ids[3]].ShouldBe((null, null));
        h.Fake.ApiCalls.Select(c => Uri.UnescapeDataString(c.Query)).Count(q => q.Contains("FROM OpportunityContactRole WHERE ContactId IN")).ShouldBe(1);
    }

    [Fact]
    public async Task An_opportunity_changing_brings_its_unchanged_lead_and_contacts_into_the_incremental_read_once()
    {
        await using var h = await SalesforceHarness.StartAsync();
        var s = h.Fake.Store;
        var (deal, other) = (s.AddOpportunity("Prospecting"), s.AddOpportunity("Prospecting"));
        var leads = SeedConverted(h, deal, other, null);
        var contacts = s.Seed("Contact", 3);
        s.AddContactRole(contacts[0], deal);
        s.AddContactRole(contacts[2], other);
        var (first, _) = await h.PullAllAsync("Lead", Props, ct: Ct);
        first.Single(r => r.Id == leads[0]).Properties[SalesforceOpportunities.Status].ShouldBe("open");
        var watermark = first.Max(r => r.ModifiedAt).AddSeconds(1);
        watermark.ShouldBeLessThan(h.Fake.Clock.GetUtcNow().UtcDateTime, "seeded records predate now, so what changes next is after the watermark");

        s.MoveOpportunity(deal, "Closed Won");
        s.ChangeEmail("Lead", leads[2], "changed@acme.example");
        var (leadPull, _) = await h.PullAllAsync("Lead", Props, since: watermark, ct: Ct);
        var (contactPull, _) = await h.PullAllAsync("Contact", Props, since: watermark, ct: Ct);

        leadPull.Select(r => r.Id).ShouldBe([leads[2], leads[0]], ignoreOrder: true);
        var converted = leadPull.Single(r => r.Id == leads[0]);
        converted.Properties[SalesforceOpportunities.Status].ShouldBe("won");
        converted.ModifiedAt.ShouldBe(s.Get("Opportunity", deal)!.LastModifiedDate.UtcDateTime, "the watermark moves past the opportunity's change");
        contactPull.Select(r => r.Id).ShouldBe([contacts[0]]);
        contactPull.Single().Properties[SalesforceOpportunities.Status].ShouldBe("won");
    }

    [Fact]
    public async Task Without_the_opportunity_properties_in_the_mapping_no_opportunity_is_read()
    {
        await using var h = await SalesforceHarness.StartAsync();
        SeedConverted(h, h.Fake.Store.AddOpportunity("Closed Won"));

        await h.PullAllAsync("Lead", ["Email", "Status"], since: FakeSalesforceStore.SeedBase.UtcDateTime, ct: Ct);
        await h.PullAllAsync("Contact", ["Email"], ct: Ct);

        h.Fake.ApiCalls.ShouldNotContain(c => c.Query.Contains("Opportunity"));
    }

    [Fact]
    public async Task Describe_offers_the_outcome_and_the_suggested_mapping_reads_won_and_lost_from_it()
    {
        await using var h = await SalesforceHarness.StartAsync();

        var properties = await h.Connector.DescribeAsync(Ct);
        var mapping = CrmMapping.Suggest(properties);

        foreach (var sobject in new[] { "Lead", "Contact" })
        {
            properties.Single(p => p.Object == sobject && p.Name == SalesforceOpportunities.Status).Options.ShouldBe(["won", "lost", "open"]);
            mapping.Fields.Single(f => f.Object == sobject && f.Property == SalesforceOpportunities.Status).Field.ShouldBe(LeadField.Stage);
        }
        mapping.Fields.Single(f => f.Object == "Lead" && f.Property == "Status").Field.ShouldBe(LeadField.Status);
        mapping.Won.ShouldContain("won");
        mapping.Lost.ShouldContain("lost");
        mapping.Won.ShouldNotContain("open");
        mapping.Lost.ShouldNotContain("open");
    }

    [Fact]
    public async Task A_webhooks_records_by_id_carry_the_outcome_too()
    {
        await using var h = await SalesforceHarness.StartAsync();
        var ids = SeedConverted(h, h.Fake.Store.AddOpportunity("Closed Lost"));

        var page = await h.Connector.PullAsync(new CrmPullRequest("Lead", null, null, Props, ids), Ct);

        page.Records.Single().Properties[SalesforceOpportunities.Status].ShouldBe("lost");
    }
}
