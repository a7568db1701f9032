using GrowthBrain.Integrations;
using GrowthBrain.Integrations.Salesforce;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBrain.Tests.Integrations.Salesforce;

/// <summary>Sessions that end, server errors, slow answers, the org's daily API limit and the concurrency limit.</summary>
public sealed class SalesforceResilienceTests
{
    private static readonly string[] Props = ["Email", "Status"];
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_session_that_ends_mid_sequence_is_refreshed_once_and_the_call_repeated()
    {
        await using var h = await SalesforceHarness.StartAsync();
        var ids = h.Fake.Store.Seed("Lead", 700);
        h.Fake.ExpireSessionsAfter(3);

        var (records, _) = await h.PullAllAsync("Lead", Props, pageSize: 200, ct: Ct);

        records.Select(r => r.Id).ShouldBe(ids);
        h.Fake.TokenRefreshes.ShouldBe(2);
        h.Fake.ApiCalls.Count(c => c.Status == 401).ShouldBe(1);
    }

    [Fact]
    public async Task Concurrent_callers_share_one_refresh()
    {
        await using var h = await SalesforceHarness.StartAsync();
        h.Fake.Store.Seed("Lead", 3);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => h.NewConnector().PullAsync(new CrmPullRequest("Lead", null, null, Props), Ct)));

        h.Fake.TokenRefreshes.ShouldBe(1);
    }

    [Fact]
    public async Task Server_errors_and_slow_answers_are_retried()
    {
        await using var h = await SalesforceHarness.StartAsync(s => s["Crm:Salesforce:AttemptTimeout"] = "00:00:00.500");
        var ids = h.Fake.Store.Seed("Lead", 5);
        await h.Connector.TestAsync(Ct);
        h.Fake.FailNext(2);
        h.Fake.SlowNext(1, TimeSpan.FromSeconds(3));

        var page = await h.Connector.PullAsync(new CrmPullRequest("Lead", null, null, Props), Ct);

        page.Records.Select(r => r.Id).ShouldBe(ids);
        h.Fake.ApiCalls.Count(c => c.Status == 503).ShouldBe(2);
    }

    [Fact]
    public async Task Request_limit_exceeded_stops_at_once_with_a_clear_retryable_error()
    {
        await using var h = await SalesforceHarness.StartAsync();
        h.Fake.Store.Seed("Lead", 5);
        await h.Connector.TestAsync(Ct);
        h.Fake.UseApiRequests(h.Fake.DailyApiMax);
        var before = h.Fake.ApiCalls.Count;

        var error = await Should.ThrowAsync<CrmException>(() => h.Connector.PullAsync(new CrmPullRequest("Lead", null, null, Props), Ct));

        error.Retryable.ShouldBeTrue();
        error.Message.ShouldContain("REQUEST_LIMIT_EXCEEDED");
        error.Message.ShouldContain("daily API request limit is used up");
        error.Message.ShouldContain("rolling 24 hours");
        h.Fake.ApiCalls.Count.ShouldBe(before + 1, "no retry loop against a spent day");
    }

    [Fact]
    public async Task The_daily_reserve_is_left_to_the_orgs_other_integrations()
    {
        await using var h = await SalesforceHarness.StartAsync(s => s["Crm:Salesforce:DailyApiReservePercent"] = "5");
        h.Fake.Store.Seed("Lead", 5);
        h.Fake.UseApiRequests(14_240);

        var pulled = await h.Connector.PullAsync(new CrmPullRequest("Lead", null, null, Props), Ct);
        h.Fake.UseApiRequests(14_260);
        await h.Connector.PullAsync(new CrmPullRequest("Lead", null, null, Props), Ct);
        var error = await Should.ThrowAsync<CrmException>(() => h.Connector.PullAsync(new CrmPullRequest("Lead", null, null, Props), Ct));

        pulled.Records.Count.ShouldBe(5);
        error.Retryable.ShouldBeTrue();
        error.Message.ShouldContain("GrowthBrain leaves 750 to the org's other integrations");
        error.Message.ShouldContain("Crm:Salesforce:DailyApiReservePercent=5");
        h.Fake.ApiUsed.ShouldBeLessThanOrEqualTo(15_000 - 739);
    }

    [Fact]
    public async Task Calls_in_flight_never_exceed_the_concurrency_limit()
    {
        await using var h = await SalesforceHarness.StartAsync(s => s["Crm:Salesforce:MaxConcurrentCalls"] = "3");
        h.Fake.Store.Seed("Lead", 3);
        await h.Connector.TestAsync(Ct);
        h.Fake.Latency = TimeSpan.FromMilliseconds(50);

        await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => h.NewConnector().PullAsync(new CrmPullRequest("Lead", null, null, Props), Ct)));

        h.Fake.MaxInFlight.ShouldBeLessThanOrEqualTo(3);
        h.Services.GetRequiredService<SalesforceLimits>().MaxInFlight.ShouldBeLessThanOrEqualTo(3);
    }
}
