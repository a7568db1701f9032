using System.Text.Json.Nodes;
using GrowthBrain.Integrations;

namespace GrowthBrain.Tests.Integrations.Zoho;

/// <summary>Reading Leads and Contacts: paging past 2,000, incremental reads, values as text, and Zoho's failures.</summary>
public sealed class ZohoPullTests
{
    private static readonly string[] Props = ["First_Name", "Last_Name", "Email", "Company", "Lead_Status", "Owner"];
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Paging_reads_every_record_past_2000_with_page_tokens_in_modified_order()
    {
        await using var h = await ZohoHarness.StartAsync();
        var ids = h.Fake.Store.Seed("Leads", 2_300);

        var (records, pages) = await h.PullAllAsync("Leads", Props, pageSize: 200, ct: Ct);

        records.Select(r => r.Id).ShouldBe(ids);
        pages.ShouldBe(12);
        records.Select(r => r.ModifiedAt).ShouldBeInOrder();
        records[0].ModifiedAt.ShouldBe(FakeZohoStore.SeedBase.UtcDateTime);
        records[0].ModifiedAt.Kind.ShouldBe(DateTimeKind.Utc);
        var gets = h.Fake.ApiCalls.Where(c => c.Method == "GET").ToList();
        gets.ShouldAllBe(c => c.Status == 200);
        gets.Skip(1).ShouldAllBe(c => c.Query.Contains("page_token="));
        gets.ShouldAllBe(c => c.Query.Contains("sort_by=Modified_Time") && c.Query.Contains("sort_order=asc") && c.Query.Contains("per_page=200"));
    }

    [Fact]
    public async Task A_query_past_the_records_page_tokens_reach_restarts_from_the_last_record_read()
    {
        await using var h = await ZohoHarness.StartAsync();
        var ids = h.Fake.Store.Seed("Leads", 2_600);
        h.Fake.TokenPagingLimit = 2_400;

        var (records, _) = await h.PullAllAsync("Leads", Props, pageSize: 200, ct: Ct);

        h.Fake.ApiCalls.Count(c => c.Status == 400).ShouldBe(1);
        records.Select(r => r.Id).Distinct().ShouldBe(ids);
        records.Count.ShouldBe(2_601);
    }

    [Fact]
    public async Task The_fake_refuses_page_numbers_past_2000_records_as_Zoho_does()
    {
        await using var h = await ZohoHarness.StartAsync();
        h.Fake.Store.Seed("Leads", 10);
        (await h.Connector.TestAsync(Ct)).Ok.ShouldBeTrue();
        var auth = h.Fake.ApiCalls[^1].Authorization!;
        using var http = new HttpClient();

        using var request = new HttpRequestMessage(HttpMethod.Get, $"{h.Fake.Root}/crm/v8/Leads?fields=Email&page=11&per_page=200");
        request.Headers.TryAddWithoutValidation("Authorization", auth);
        using var response = await http.SendAsync(request, Ct);

        ((int)response.StatusCode).ShouldBe(400);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldContain("DISCRETE_PAGINATION_LIMIT_EXCEEDED");
    }

    [Fact]
    public async Task An_incremental_read_sends_If_Modified_Since_and_returns_what_changed()
    {
        await using var h = await ZohoHarness.StartAsync();
        var ids = h.Fake.Store.Seed("Leads", 50);
        var watermark = FakeZohoStore.SeedBase.AddSeconds(49).UtcDateTime;
        h.Fake.Store.ChangeEmail("Leads", ids[7], "ana.new@zylker.example");

        var (records, _) = await h.PullAllAsync("Leads", Props, since: watermark, ct: Ct);

        records.Select(r => r.Id).ShouldContain(ids[7]);
        records.Count.ShouldBeLessThanOrEqualTo(2);
        records.Single(r => r.Id == ids[7]).Properties["Email"].ShouldBe("ana.new@zylker.example");
        // One second before the watermark: Zoho compares to the second and a record saved in that second must not be lost.
        h.Fake.ApiCalls[^1].IfModifiedSince.ShouldBe("2026-01-05T08:00:48+00:00");

        var after = await h.Connector.PullAsync(new CrmPullRequest("Leads", records.Max(r => r.ModifiedAt).AddSeconds(5), null, Props), Ct);
        after.Records.ShouldBeEmpty();
        after.NextCursor.ShouldBeNull();
        h.Fake.ApiCalls[^1].Status.ShouldBe(204);
    }

    [Fact]
    public async Task Values_come_as_text_lookups_by_name_and_times_in_utc()
    {
        await using var h = await ZohoHarness.StartAsync();
        var id = h.Fake.Store.Seed("Contacts", 1, (_, r) =>
        {
            r.Fields["Email_Opt_Out"] = true;
            r.Fields["Phone"] = null;
            r.Fields["Title"] = new JsonArray("VP", "Sales");
            r.Fields["No_of_Employees"] = 1250.5m;
        }).Single();
        h.Fake.TimeZone = TimeSpan.FromHours(-7);

        var page = await h.Connector.PullAsync(new CrmPullRequest("contacts", null, null, ["Owner", "Account_Name", "Email_Opt_Out", "Phone", "Title", "No_of_Employees"]), Ct);

        var record = page.Records.ShouldHaveSingleItem();
        record.Object.ShouldBe("Contacts");
        record.Id.ShouldBe(id);
        record.Properties["Owner"].ShouldBe("Patricia Boyle");
        record.Properties["Account_Name"].ShouldBe("Zylker 0");
        record.Properties["Email_Opt_Out"].ShouldBe("true");
        record.Properties["Phone"].ShouldBeNull();
        record.Properties["Title"].ShouldBe("VP, Sales");
        record.Properties["No_of_Employees"].ShouldBe("1250.5");
        record.Properties["Modified_Time"].ShouldBe("2026-01-05T01:00:00-07:00");
        record.ModifiedAt.ShouldBe(new DateTime(2026, 1, 5, 8, 0, 0, DateTimeKind.Utc));
    }

    [Fact]
    public async Task A_webhooks_ids_are_read_by_id_and_gone_ones_are_skipped()
    {
        await using var h = await ZohoHarness.StartAsync();
        var ids = h.Fake.Store.Seed("Leads", 5);

        var page = await h.Connector.PullAsync(new CrmPullRequest("Leads", null, null, Props, Ids: [ids[1], ids[3], "4876876000999999999"]), Ct);
        var none = await h.Connector.PullAsync(new CrmPullRequest("Leads", null, null, Props, Ids: ["4876876000999999999"]), Ct);

        page.Records.Select(r => r.Id).ShouldBe([ids[1], ids[3]], ignoreOrder: true);
        page.NextCursor.ShouldBeNull();
        none.Records.ShouldBeEmpty();
        h.Fake.ApiCalls[^2].Query.ShouldContain("ids=");
    }

    [Fact]
    public async Task More_than_fifty_fields_is_refused_before_calling()
    {
        await using var h = await ZohoHarness.StartAsync();

        var error = await Should.ThrowAsync<CrmException>(() =>
            h.Connector.PullAsync(new CrmPullRequest("Leads", null, null, Enumerable.Range(0, 50).Select(i => $"Field_{i}").ToList()), Ct));

        error.Message.ShouldContain("at most 50");
        h.Fake.ApiCalls.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_access_token_that_expires_mid_read_is_refreshed_once_and_the_call_repeated()
    {
        await using var h = await ZohoHarness.StartAsync();
        var ids = h.Fake.Store.Seed("Leads", 450);
        var first = await h.Connector.PullAsync(new CrmPullRequest("Leads", null, null, Props, PageSize: 200), Ct);

        h.Fake.InvalidateTokens();
        var second = await h.Connector.PullAsync(new CrmPullRequest("Leads", null, first.NextCursor, Props, PageSize: 200), Ct);
        var third = await h.Connector.PullAsync(new CrmPullRequest("Leads", null, second.NextCursor, Props, PageSize: 200), Ct);

        first.Records.Concat(second.Records).Concat(third.Records).Select(r => r.Id).ShouldBe(ids);
        third.NextCursor.ShouldBeNull();
        h.Fake.TokenRefreshes.ShouldBe(2);
        h.Fake.ApiCalls.Count(c => c.Status == 401).ShouldBe(1);
    }

    [Fact]
    public async Task Concurrent_calls_with_an_expired_token_refresh_it_once()
    {
        await using var h = await ZohoHarness.StartAsync();
        h.Fake.Store.Seed("Leads", 10);
        await h.Connector.PullAsync(new CrmPullRequest("Leads", null, null, Props), Ct);
        h.Fake.InvalidateTokens();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => h.NewConnector().PullAsync(new CrmPullRequest("Leads", null, null, Props), Ct)));

        h.Fake.TokenRefreshes.ShouldBe(2);
    }

    [Fact]
    public async Task Server_errors_and_a_slow_answer_are_retried()
    {
        await using var h = await ZohoHarness.StartAsync(s => s["Crm:Zoho:AttemptTimeout"] = "00:00:01");
        h.Fake.Store.Seed("Leads", 3);
        await h.Connector.PullAsync(new CrmPullRequest("Leads", null, null, Props), Ct);
        var before = h.Fake.ApiCalls.Count;

        h.Fake.FailNext(2, 503);
        var afterErrors = await h.Connector.PullAsync(new CrmPullRequest("Leads", null, null, Props), Ct);
        h.Fake.SlowNext(1, TimeSpan.FromSeconds(20));
        var afterSlow = await h.Connector.PullAsync(new CrmPullRequest("Leads", null, null, Props), Ct);

        afterErrors.Records.Count.ShouldBe(3);
        afterSlow.Records.Count.ShouldBe(3);
        h.Fake.ApiCalls.Skip(before).Select(c => c.Status).Take(3).ShouldBe([503, 503, 200]);
    }

    [Fact]
    public async Task Errors_that_outlast_the_retries_are_a_retryable_CrmException()
    {
        await using var h = await ZohoHarness.StartAsync(s => s["Crm:Zoho:MaxRetries"] = "2");
        h.Fake.FailNext(3);

        var error = await Should.ThrowAsync<CrmException>(() => h.Connector.PullAsync(new CrmPullRequest("Leads", null, null, Props), Ct));

        error.Retryable.ShouldBeTrue();
        error.Status.ShouldBe(500);
        error.Message.ShouldContain("INTERNAL_ERROR");
        h.Fake.ApiCalls.Count.ShouldBe(3);
    }

    [Fact]
    public async Task A_burst_of_429_is_waited_out_honouring_Retry_After()
    {
        await using var h = await ZohoHarness.StartAsync();
        h.Fake.Store.Seed("Leads", 3);
        h.Fake.RateLimitNext(2, retryAfterSeconds: 1);

        var page = await h.Connector.PullAsync(new CrmPullRequest("Leads", null, null, Props), Ct);

        page.Records.Count.ShouldBe(3);
        var calls = h.Fake.ApiCalls;
        calls.Select(c => c.Status).ShouldBe([429, 429, 200]);
        (calls[1].At - calls[0].At).ShouldBeGreaterThan(TimeSpan.FromMilliseconds(900));
        (calls[2].At - calls[1].At).ShouldBeGreaterThan(TimeSpan.FromMilliseconds(900));
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_clear_error()
    {
        await using var h = await ZohoHarness.StartAsync();
        h.Fake.MalformedNext(1);

        var error = await Should.ThrowAsync<CrmException>(() => h.Connector.PullAsync(new CrmPullRequest("Leads", null, null, Props), Ct));

        error.Message.ShouldContain("not the JSON object its API documents");
        error.Message.ShouldContain("nothing was taken from it");
    }

    [Fact]
    public async Task Json_of_the_wrong_shape_is_a_clear_error()
    {
        await using var h = await ZohoHarness.StartAsync();
        h.Fake.WrongShapeNext(1);

        var error = await Should.ThrowAsync<CrmException>(() => h.Connector.PullAsync(new CrmPullRequest("Leads", null, null, Props), Ct));

        error.Message.ShouldContain("does not match its documented shape");
        error.Message.ShouldContain("Modified_Time");
    }

    [Fact]
    public async Task A_page_token_Zoho_no_longer_takes_restarts_from_the_last_record_read()
    {
        await using var h = await ZohoHarness.StartAsync();
        var ids = h.Fake.Store.Seed("Leads", 500);
        var first = await h.Connector.PullAsync(new CrmPullRequest("Leads", null, null, Props, PageSize: 200), Ct);

        // Resumed with another page size: the token is bound to the first query, and Zoho says so.
        var rest = new List<CrmRecord>();
        var cursor = first.NextCursor;
        while (cursor is not null)
        {
            var page = await h.Connector.PullAsync(new CrmPullRequest("Leads", null, cursor, Props, PageSize: 150), Ct);
            rest.AddRange(page.Records);
            cursor = page.NextCursor;
        }

        h.Fake.ApiCalls.ShouldContain(c => c.Status == 400);
        first.Records.Concat(rest).Select(r => r.Id).Distinct().ShouldBe(ids);
        rest.Count.ShouldBeLessThanOrEqualTo(302);
    }

    [Fact]
    public async Task Calls_in_flight_never_exceed_the_concurrency_limit()
    {
        await using var h = await ZohoHarness.StartAsync(s => s["Crm:Zoho:MaxConcurrentCalls"] = "3");
        h.Fake.Store.Seed("Leads", 5);
        h.Fake.ConcurrencyLimit = 3;
        h.Fake.Latency = TimeSpan.FromMilliseconds(60);
        await h.Connector.PullAsync(new CrmPullRequest("Leads", null, null, Props), Ct);

        await Task.WhenAll(Enumerable.Range(0, 15).Select(_ => h.NewConnector().PullAsync(new CrmPullRequest("Leads", null, null, Props), Ct)));

        h.Fake.TooManyRequests.ShouldBe(0);
        h.Fake.MaxInFlight.ShouldBeLessThanOrEqualTo(3);
        h.Fake.MaxInFlight.ShouldBeGreaterThan(1);
    }

    [Fact]
    public async Task Credits_are_counted_per_call_and_the_call_that_would_exceed_them_is_refused()
    {
        await using var h = await ZohoHarness.StartAsync(s => s["Crm:Zoho:CreditsPerDay"] = "15");
        h.Fake.Store.Seed("Leads", 5);
        for (var i = 0; i < 3; i++) await h.Connector.PullAsync(new CrmPullRequest("Leads", null, null, Props), Ct);
        await h.Connector.EnsureScoreFieldsAsync(Ct); // 2 reads, 2 creates: 4 credits, 7 in all

        var error = await Should.ThrowAsync<CrmException>(() => h.Connector.WriteScoresAsync("Leads",
            Enumerable.Range(0, 100).Select(i => new CrmScoreWrite($"4876876000000{i:000000}", 50, "B", "r")).ToList(), Ct));

        // 1 credit for the fields read, 10 for updating 100 records: 18 > 15.
        error.Message.ShouldContain("Crm:Zoho:CreditsPerDay");
        error.Retryable.ShouldBeTrue();
        h.Fake.CreditsUsed.ShouldBe(8);
        h.Fake.ApiCalls.ShouldNotContain(c => c.Method == "PUT");
    }
}
