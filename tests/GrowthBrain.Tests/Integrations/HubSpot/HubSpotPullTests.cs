using GrowthBrain.Integrations;

namespace GrowthBrain.Tests.Integrations.HubSpot;

/// <summary>Pulling contacts: paging to the end past HubSpot's 10,000-results cap, watermarks, webhooks' ids, bad answers.</summary>
public sealed class HubSpotPullTests
{
    private static readonly DateTimeOffset Start = new(2024, 5, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Paging_reads_every_contact_past_the_10000_results_of_one_search()
    {
        await using var hub = await HubSpotHarness.StartAsync();
        var ids = hub.Fake.SeedContacts(10_050, i => Start.AddSeconds(i / 3));

        var records = await hub.PullAllAsync(pageSize: 200);

        records.Select(r => r.Id).Distinct().Order().ShouldBe(ids.Order());
        hub.Fake.Search.AfterSeen.Max().ShouldBeLessThan(10_000);
        hub.Fake.Calls.ShouldNotContain(c => c.Status == 400);
        records.Select(r => r.ModifiedAt).ShouldBeInOrder();
    }

    [Fact]
    public async Task More_than_10000_contacts_modified_in_the_same_millisecond_are_all_read_and_the_pull_ends()
    {
        await using var hub = await HubSpotHarness.StartAsync();
        var bulk = hub.Fake.SeedContacts(10_050, _ => Start);
        var later = hub.Fake.SeedContacts(30, i => Start.AddMinutes(1 + i));
        var earlier = hub.Fake.SeedContacts(5, i => Start.AddMinutes(-1 - i));

        var records = await hub.PullAllAsync(pageSize: 200);

        records.Select(r => r.Id).Distinct().Order().ShouldBe(bulk.Concat(later).Concat(earlier).Order());
        hub.Fake.Calls.ShouldNotContain(c => c.Status == 400);
        records[^1].ModifiedAt.ShouldBe(Start.AddMinutes(30).UtcDateTime);
    }

    [Fact]
    public async Task A_pull_since_a_watermark_reads_only_later_changes_with_their_values_as_text()
    {
        await using var hub = await HubSpotHarness.StartAsync();
        hub.Fake.SeedContacts(5, i => Start.AddMinutes(i));
        var changed = hub.Fake.Store.Seed(1, _ => Start.AddHours(1), _ => new Dictionary<string, string?> { ["firstname"] = "", ["lifecyclestage"] = "lead" })[0];

        var records = await hub.PullAllAsync(pageSize: 2, since: Start.AddMinutes(3).UtcDateTime, properties: ["firstname", "lifecyclestage"]);

        records.Count.ShouldBe(3);
        var record = records.Single(r => r.Id == changed);
        record.ModifiedAt.ShouldBe(Start.AddHours(1).UtcDateTime);
        record.ModifiedAt.Kind.ShouldBe(DateTimeKind.Utc);
        record.Properties["firstname"].ShouldBeNull();
        record.Properties["lifecyclestage"].ShouldBe("lead");
        record.Properties["email"].ShouldBe($"contact{changed}@example.test");
    }

    [Fact]
    public async Task A_cursor_resumes_the_pull_in_a_new_scope_where_it_stopped()
    {
        await using var hub = await HubSpotHarness.StartAsync();
        var ids = hub.Fake.SeedContacts(25, i => Start.AddSeconds(i));

        var first = await hub.Connector.PullAsync(new CrmPullRequest("contacts", null, null, ["firstname"], PageSize: 10), HubSpotHarness.Ct);
        var resumed = hub.FreshConnector();
        var rest = new List<CrmRecord>();
        var cursor = first.NextCursor;
        while (cursor is not null)
        {
            var page = await resumed.PullAsync(new CrmPullRequest("contacts", null, cursor, ["firstname"], PageSize: 10), HubSpotHarness.Ct);
            rest.AddRange(page.Records);
            cursor = page.NextCursor;
        }

        first.Records.Concat(rest).Select(r => r.Id).ShouldBe(ids);
    }

    [Fact]
    public async Task A_webhook_s_ids_are_read_in_batches_and_deleted_ones_are_skipped()
    {
        await using var hub = await HubSpotHarness.StartAsync();
        var ids = hub.Fake.SeedContacts(130);

        var page = await hub.Connector.PullAsync(new CrmPullRequest("contacts", null, null, ["firstname"], [.. ids, "999999999"]), HubSpotHarness.Ct);

        page.Records.Select(r => r.Id).Order().ShouldBe(ids.Order());
        page.NextCursor.ShouldBeNull();
        hub.Fake.Count("POST", "/crm/v3/objects/contacts/batch/read").ShouldBe(2);
    }

    [Fact]
    public async Task A_token_that_expires_mid_pull_stops_it_with_what_to_do_and_the_cursor_still_resumes()
    {
        await using var hub = await HubSpotHarness.StartAsync();
        var ids = hub.Fake.SeedContacts(30, i => Start.AddSeconds(i));
        var first = await hub.Connector.PullAsync(new CrmPullRequest("contacts", null, null, ["firstname"], PageSize: 10), HubSpotHarness.Ct);

        hub.Fake.ExpireToken();
        var error = await Should.ThrowAsync<CrmException>(() =>
            hub.Connector.PullAsync(new CrmPullRequest("contacts", null, first.NextCursor, ["firstname"], PageSize: 10), HubSpotHarness.Ct));
        error.Message.ShouldContain("expired");
        error.Message.ShouldContain("Crm:HubSpot:AccessToken");
        error.Status.ShouldBe(401);

        hub.Fake.RenewToken(hub.Fake.Token);
        var second = await hub.Connector.PullAsync(new CrmPullRequest("contacts", null, first.NextCursor, ["firstname"], PageSize: 10), HubSpotHarness.Ct);
        second.Records.Select(r => r.Id).ShouldBe(ids.Skip(10).Take(10));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_answer_that_is_not_the_documented_json_is_a_clear_crm_error(bool truncated)
    {
        await using var hub = await HubSpotHarness.StartAsync();
        hub.Fake.SeedContacts(3);
        hub.Fake.Fail(truncated ? FakeHubSpotFault.Truncated() : FakeHubSpotFault.WrongShape());

        var error = await Should.ThrowAsync<CrmException>(() => hub.PullAllAsync(pageSize: 10));

        error.Message.ShouldContain(truncated ? "not the documented JSON" : "does not have the documented shape");
        error.Message.ShouldContain("Crm:HubSpot:BaseUrl");
    }

    [Fact]
    public async Task A_cursor_this_connector_did_not_write_says_to_run_a_full_sync()
    {
        await using var hub = await HubSpotHarness.StartAsync();

        var error = await Should.ThrowAsync<CrmException>(() =>
            hub.Connector.PullAsync(new CrmPullRequest("contacts", null, "page-7", ["firstname"]), HubSpotHarness.Ct));

        error.Message.ShouldContain("--full");
    }
}
