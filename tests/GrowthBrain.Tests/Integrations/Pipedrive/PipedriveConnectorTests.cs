using System.Text;
using GrowthBrain.Integrations;
using GrowthBrain.Integrations.Pipedrive;

namespace GrowthBrain.Tests.Integrations.Pipedrive;

/// <summary>The connection test, describe and pulls of the Pipedrive connector against the loopback Pipedrive.</summary>
public sealed class PipedriveConnectorTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly string[] Props = ["first_name", "last_name", "email", "phone", "org_id", "owner_id", PipedrivePuller.DealStatus, PipedrivePuller.DealStage];
    private PipedriveHarness _h = null!;

    public async ValueTask InitializeAsync() => _h = await PipedriveHarness.StartAsync();

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task The_connection_test_names_company_and_user_and_says_in_words_what_is_wrong()
    {
        var ok = await _h.Connector.TestAsync(Ct);
        ok.Ok.ShouldBeTrue(ok.Message);
        ok.Message.ShouldContain("Acme Sales");
        ok.Message.ShouldContain("Mia Owner");
        _h.Fake.Calls.ShouldAllBe(c => c.Token == _h.Fake.Token && !c.Query.Contains("api_token"), "the token travels in the x-api-token header only");

        _h.Fake.Token = "another-token";
        var bad = await _h.Connector.TestAsync(Ct);
        bad.Ok.ShouldBeFalse();
        bad.Message.ShouldContain("refused the API token");
        bad.Message.ShouldContain("Crm:Pipedrive:ApiToken");

        _h.Fake.Token = "fake-pipedrive-token-0123456789";
        _h.Fake.FailNext(1, 403);
        // 403 is not retried: the admin must act.
        var forbidden = await _h.Connector.TestAsync(Ct);
        forbidden.Ok.ShouldBeFalse();
        forbidden.Message.ShouldContain("permission");

        await using var nowhere = await PipedriveHarness.StartAsync(s => { s["Crm:Pipedrive:BaseUrl"] = "http://127.0.0.1:9"; s["Crm:Pipedrive:MaxRetries"] = "0"; });
        var unreachable = await nowhere.Connector.TestAsync(Ct);
        unreachable.Ok.ShouldBeFalse();
        unreachable.Message.ShouldContain("cannot be reached");
    }

    [Fact]
    public async Task Describe_lists_person_fields_with_custom_hash_keys_and_options_and_the_deal_outcome()
    {
        var industry = _h.Fake.Store.AddField("Industry", "enum", ["Software", "Retail"]);
        await _h.Connector.EnsureScoreFieldsAsync(Ct);

        var properties = await _h.Connector.DescribeAsync(Ct);

        var custom = properties.Single(p => p.Name == industry.Key);
        (custom.Label, custom.Type, custom.Name.Length).ShouldBe(("Industry", "enum", 40));
        custom.Options.ShouldBe(["Software", "Retail"]);
        properties.Single(p => p.Name == PipedrivePuller.DealStatus).Options.ShouldBe(["open", "won", "lost"]);
        properties.ShouldNotContain(p => p.Label.StartsWith("GrowthBrain"), "the score fields are never read back");
    }

    [Fact]
    public async Task A_full_pull_pages_past_the_500_cap_with_values_as_text_and_the_outcome_from_deals()
    {
        var industry = _h.Fake.Store.AddField("Industry", "enum", ["Software", "Retail"]);
        var ids = _h.Fake.Store.Seed(1203, (i, p) => p.Custom[industry.Key] = industry.Options[i % 2].Id);
        _h.Fake.Store.AddDeal(ids[0], "won");
        _h.Fake.Store.AddDeal(ids[0], "lost");
        _h.Fake.Store.AddDeal(ids[1], "lost");
        _h.Fake.Store.AddDeal(ids[2], "lost");
        var open = _h.Fake.Store.AddDeal(ids[2], "open", stageId: 3);

        var (records, pages) = await _h.PullAllAsync([.. Props, industry.Key], pageSize: 1000, ct: Ct);

        pages.ShouldBe(3, "1,203 persons at most 500 a page");
        records.Select(r => r.Id).ShouldBe(ids, ignoreOrder: false);
        var first = records[0].Properties;
        first["email"].ShouldBe(_h.Fake.Store.Person(ids[0])!.Email);
        first["org_id"].ShouldBe("Acme GmbH");
        first["owner_id"].ShouldBe("Mia Owner");
        first[industry.Key].ShouldBe("Software");
        (first[PipedrivePuller.DealStatus], records[1].Properties[PipedrivePuller.DealStatus]).ShouldBe(("won", "lost"));
        (records[2].Properties[PipedrivePuller.DealStatus], records[2].Properties[PipedrivePuller.DealStage]).ShouldBe(("open", "Negotiations Started"));
        records[3].Properties[PipedrivePuller.DealStatus].ShouldBeNull("no deals");
        records[2].ModifiedAt.ShouldBe(open.UpdateTime.UtcDateTime, "a person's last change includes its deals'");
        _h.Fake.Calls.Count(c => c.Path == "/api/v2/deals").ShouldBe(1, "the deals are read once per pull");
        _h.Fake.Calls.Where(c => c.Path == "/api/v2/persons").ShouldAllBe(c => c.Query.Contains("limit=500"));
    }

    [Fact]
    public async Task An_incremental_pull_reads_persons_changed_and_persons_whose_deals_changed_once_each()
    {
        var ids = _h.Fake.Store.Seed(30);
        var deal = _h.Fake.Store.AddDeal(ids[5], "open", updated: _h.Fake.Store.Now() - TimeSpan.FromDays(3));
        var since = _h.Fake.Store.Now().UtcDateTime;
        _h.Fake.Store.Touch(ids[7], p => p.LastName = "Changed");
        _h.Fake.Store.SetDealStatus(deal.Id, "won");
        _h.Fake.Store.AddDeal(ids[7], "open");

        var (records, _) = await _h.PullAllAsync(Props, since, pageSize: 10, ct: Ct);

        records.Select(r => r.Id).Order().ShouldBe(new[] { ids[5], ids[7] }.Order(), "the person changed, and the person whose deal changed, once each");
        records.Single(r => r.Id == ids[5]).Properties[PipedrivePuller.DealStatus].ShouldBe("won");
        _h.Fake.Calls.Where(c => c.Path == "/api/v2/persons" && !c.Query.Contains("ids=")).ShouldAllBe(c => c.Query.Contains("updated_since=") && c.Query.Contains("sort_by=update_time"));
    }

    [Fact]
    public async Task Pulling_ids_reads_those_persons_only()
    {
        var ids = _h.Fake.Store.Seed(250);
        var wanted = ids.Where((_, i) => i % 2 == 0).ToList();
        var records = new List<CrmRecord>();
        string? cursor = null;
        do
        {
            var page = await _h.Connector.PullAsync(new CrmPullRequest("persons", null, cursor, Props, wanted), Ct);
            records.AddRange(page.Records);
            cursor = page.NextCursor;
        } while (cursor is not null);
        records.Select(r => r.Id).Order().ShouldBe(wanted.Order());
    }

    [Fact]
    public async Task Five_hundreds_and_429s_are_retried_and_malformed_answers_are_clear_errors()
    {
        _h.Fake.Store.Seed(5);
        _h.Fake.FailNext(2, 502);
        (await _h.PullAllAsync(Props, ct: Ct)).Records.Count.ShouldBe(5);

        _h.Fake.RateLimitNext(1, retryAfterSeconds: 1);
        (await _h.PullAllAsync(Props, ct: Ct)).Records.Count.ShouldBe(5);

        _h.Fake.MalformedNext(1);
        (await Should.ThrowAsync<CrmException>(() => _h.PullAllAsync(Props, ct: Ct))).Message.ShouldContain("not the JSON object");

        // The person fields are read first; then the persons page has a person without update_time.
        await _h.Connector.DescribeAsync(Ct);
        _h.Fake.WrongShapeNext(2);
        var wrong = await Should.ThrowAsync<CrmException>(() => _h.PullAllAsync(Props, ct: Ct));
        wrong.Message.ShouldContain("documented shape");
    }

    [Fact]
    public async Task A_slow_answer_times_out_and_is_retried()
    {
        await using var h = await PipedriveHarness.StartAsync(s => s["Crm:Pipedrive:AttemptTimeout"] = "00:00:00.500");
        h.Fake.Store.Seed(3);
        h.Fake.SlowNext(1, TimeSpan.FromSeconds(5));
        (await h.PullAllAsync(Props, ct: Ct)).Records.Count.ShouldBe(3);
    }

    [Fact]
    public async Task Webhooks_need_the_configured_basic_auth_and_name_the_person_or_the_deals_person()
    {
        static CrmWebhook Hook(string body, string? auth) =>
            new("POST", "https://gb.example/hooks/pipedrive", body, auth is null ? new Dictionary<string, string>() : new() { ["authorization"] = auth });
        var good = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{PipedriveHarness.WebhookUser}:{PipedriveHarness.WebhookPassword}"));
        var forged = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{PipedriveHarness.WebhookUser}:guess"));

        (await _h.Connector.ReadWebhookAsync(Hook("""{"meta":{"entity":"person","entity_id":"42","action":"change"},"data":{"id":42}}""", good), Ct))
            .ShouldBe([new CrmRecordRef("persons", "42")]);
        (await _h.Connector.ReadWebhookAsync(Hook("""{"meta":{"object":"person","id":43,"action":"updated"},"current":{"id":43}}""", good), Ct))
            .ShouldBe([new CrmRecordRef("persons", "43")]);
        (await _h.Connector.ReadWebhookAsync(Hook("""{"meta":{"entity":"deal","entity_id":"9","action":"change"},"data":{"id":9,"person_id":44},"previous":{"person_id":45}}""", good), Ct))
            .ShouldBe([new CrmRecordRef("persons", "44"), new CrmRecordRef("persons", "45")]);
        (await Should.ThrowAsync<CrmWebhookRejectedException>(() => _h.Connector.ReadWebhookAsync(Hook("{}", forged), Ct))).BadSignature.ShouldBeTrue();
        (await Should.ThrowAsync<CrmWebhookRejectedException>(() => _h.Connector.ReadWebhookAsync(Hook("{}", null), Ct))).BadSignature.ShouldBeTrue();
        (await Should.ThrowAsync<CrmWebhookRejectedException>(() => _h.Connector.ReadWebhookAsync(Hook("not json", good), Ct))).BadSignature.ShouldBeFalse();

        await using var open = await PipedriveHarness.StartAsync(s => { s["Crm:Pipedrive:WebhookUser"] = null; s["Crm:Pipedrive:WebhookPassword"] = null; });
        (await Should.ThrowAsync<CrmWebhookRejectedException>(() => open.Connector.ReadWebhookAsync(Hook("{}", good), Ct))).Message.ShouldContain("No Pipedrive webhook credentials");
    }
}
