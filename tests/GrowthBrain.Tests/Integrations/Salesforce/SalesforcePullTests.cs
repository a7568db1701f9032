using System.Text.Json.Nodes;
using GrowthBrain.Integrations;

namespace GrowthBrain.Tests.Integrations.Salesforce;

/// <summary>Reading Leads and Contacts: SOQL paging with nextRecordsUrl, incremental reads, values as text, and Salesforce's failures.</summary>
public sealed class SalesforcePullTests
{
    private static readonly string[] Props = ["FirstName", "LastName", "Email", "Company", "Status", "IsConverted", "AnnualRevenue", "Owner.Name", "CreatedDate"];
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Paging_follows_nextRecordsUrl_to_the_end_in_modified_order_with_2000_record_batches()
    {
        await using var h = await SalesforceHarness.StartAsync();
        var ids = h.Fake.Store.Seed("Lead", 4_500);

        var (records, pages) = await h.PullAllAsync("Lead", Props, pageSize: 5_000, ct: Ct);

        records.Select(r => r.Id).ShouldBe(ids);
        pages.ShouldBe(3);
        records[0].ModifiedAt.ShouldBe(FakeSalesforceStore.SeedBase.UtcDateTime);
        records[0].ModifiedAt.Kind.ShouldBe(DateTimeKind.Utc);
        var calls = h.Fake.ApiCalls.Where(c => c.Path.Contains("/query")).ToList();
        calls.ShouldAllBe(c => c.Status == 200);
        calls[0].Query.ShouldContain("ORDER%20BY%20LastModifiedDate%2C%20Id");
        calls.Skip(1).ShouldAllBe(c => c.Path.StartsWith("/services/data/v60.0/query/01g"));
        calls.ShouldAllBe(c => c.QueryOptions == "batchSize=2000");
    }

    [Fact]
    public async Task A_small_page_size_asks_for_Salesforces_smallest_batch_of_200()
    {
        await using var h = await SalesforceHarness.StartAsync();
        var ids = h.Fake.Store.Seed("Contact", 450);

        var (records, pages) = await h.PullAllAsync("Contact", ["Email"], pageSize: 50, ct: Ct);

        records.Select(r => r.Id).ShouldBe(ids);
        pages.ShouldBe(3);
        h.Fake.ApiCalls.Where(c => c.Path.Contains("/query")).ShouldAllBe(c => c.QueryOptions == "batchSize=200");
    }

    [Fact]
    public async Task An_expired_query_locator_restarts_from_the_last_record_read_and_skips_none()
    {
        await using var h = await SalesforceHarness.StartAsync();
        var ids = h.Fake.Store.Seed("Lead", 700);
        var first = await h.Connector.PullAsync(new CrmPullRequest("Lead", null, null, Props, PageSize: 200), Ct);
        h.Fake.ExpireQueryLocators();

        var rest = new List<CrmRecord>(first.Records);
        var cursor = first.NextCursor;
        while (cursor is not null)
        {
            var page = await h.Connector.PullAsync(new CrmPullRequest("Lead", null, cursor, Props, PageSize: 200), Ct);
            rest.AddRange(page.Records);
            cursor = page.NextCursor;
        }

        h.Fake.ApiCalls.Count(c => c.Status == 400).ShouldBe(1);
        rest.Select(r => r.Id).Distinct().ShouldBe(ids);
        h.Fake.ApiCalls.Last(c => !c.Path.EndsWith("/limits") && c.Query.Contains("WHERE")).Query.ShouldContain("LastModifiedDate%20%3E%3D%202026-01-05T08%3A03%3A19Z");
    }

    [Fact]
    public async Task An_incremental_read_returns_what_changed_since_the_watermark()
    {
        await using var h = await SalesforceHarness.StartAsync();
        var ids = h.Fake.Store.Seed("Lead", 50);
        h.Fake.Store.ChangeEmail("Lead", ids[7], "ana.new@acme.example");
        var watermark = FakeSalesforceStore.SeedBase.AddSeconds(49).UtcDateTime.AddMilliseconds(400);

        var (records, _) = await h.PullAllAsync("Lead", Props, since: watermark, ct: Ct);

        records.Select(r => r.Id).ShouldBe([ids[49], ids[7]]);
        records.Single(r => r.Id == ids[7]).Properties["Email"].ShouldBe("ana.new@acme.example");
    }

    [Fact]
    public async Task Values_come_as_invariant_text_with_relationships_by_name_and_deleted_fields_left_out()
    {
        await using var h = await SalesforceHarness.StartAsync();
        var id = h.Fake.Store.Seed("Lead", 1, (_, r) =>
        {
            r.Fields["Status"] = "Closed - Converted";
            r.Fields["IsConverted"] = true;
            r.Fields["AnnualRevenue"] = 1250000.5;
        }).Single();

        var (records, _) = await h.PullAllAsync("Lead", [.. Props, "Legacy_Score__c"], ct: Ct);

        var values = records.Single().Properties;
        values["Status"].ShouldBe("Closed - Converted");
        values["IsConverted"].ShouldBe("true");
        values["AnnualRevenue"].ShouldBe("1250000.5");
        values["Owner.Name"].ShouldBe(FakeSalesforceStore.OwnerName);
        values["CreatedDate"].ShouldBe("2026-01-05T08:00:00.000Z");
        values["Legacy_Score__c"].ShouldBeNull();
        records.Single().Id.ShouldBe(id);
        h.Fake.ApiCalls.ShouldNotContain(c => c.Query.Contains("Legacy_Score__c"));
    }

    [Fact]
    public async Task Records_by_id_are_read_with_an_escaped_IN_list_and_ids_of_another_shape_are_left_out()
    {
        await using var h = await SalesforceHarness.StartAsync();
        var ids = h.Fake.Store.Seed("Contact", 5);

        var page = await h.Connector.PullAsync(new CrmPullRequest("Contact", null, null, ["Email"], [ids[1], ids[3], "x' OR Id != '", "003Dn9999999999AAA"]), Ct);

        page.Records.Select(r => r.Id).ShouldBe([ids[1], ids[3]], ignoreOrder: true);
        page.NextCursor.ShouldBeNull();
    }

    [Fact]
    public async Task Malformed_and_wrongly_shaped_answers_are_clear_errors()
    {
        await using var h = await SalesforceHarness.StartAsync();
        h.Fake.Store.Seed("Lead", 3);
        await h.Connector.TestAsync(Ct);

        h.Fake.MalformedNext(1);
        var cut = await Should.ThrowAsync<CrmException>(() => h.Connector.PullAsync(new CrmPullRequest("Lead", null, null, Props), Ct));
        h.Fake.WrongShapeNext(1);
        var shape = await Should.ThrowAsync<CrmException>(() => h.Connector.PullAsync(new CrmPullRequest("Lead", null, null, Props), Ct));

        cut.Message.ShouldContain("does not match its documented shape");
        shape.Message.ShouldContain("no done flag");
        (cut.Retryable, shape.Retryable).ShouldBe((true, true));
    }

    [Fact]
    public async Task The_fake_refuses_unknown_fields_as_Salesforce_does()
    {
        await using var h = await SalesforceHarness.StartAsync();
        await h.Connector.TestAsync(Ct);
        var auth = h.Fake.ApiCalls[^1].Authorization!;
        using var http = new HttpClient();

        using var request = new HttpRequestMessage(HttpMethod.Get, $"{h.Fake.Root}/services/data/v60.0/query?q={Uri.EscapeDataString("SELECT Id, Nope__c FROM Lead")}");
        request.Headers.TryAddWithoutValidation("Authorization", auth);
        using var response = await http.SendAsync(request, Ct);

        ((int)response.StatusCode).ShouldBe(400);
        JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))![0]!["errorCode"]!.GetValue<string>().ShouldBe("INVALID_FIELD");
    }
}
