using System.Diagnostics;
using GrowthBrain.Integrations;

namespace GrowthBrain.Tests.Integrations.HubSpot;

/// <summary>Retries (5xx, timeouts, 429 with Retry-After) and the limiter, measured by the fake's own counters.</summary>
public sealed class HubSpotResilienceTests
{
    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    public async Task Server_errors_are_retried_until_hubspot_answers(int status)
    {
        await using var hub = await HubSpotHarness.StartAsync();
        hub.Fake.SeedContacts(5);
        hub.Fake.Fail(FakeHubSpotFault.Error(status), count: 2);

        var records = await hub.PullAllAsync(pageSize: 10);

        records.Count.ShouldBe(5);
        hub.Fake.Calls.Count(c => c.Status == status).ShouldBe(2);
    }

    [Fact]
    public async Task Server_errors_past_the_retries_are_a_retryable_crm_error()
    {
        await using var hub = await HubSpotHarness.StartAsync();
        hub.Fake.Fail(FakeHubSpotFault.Error(500), count: 10);

        var error = await Should.ThrowAsync<CrmException>(() => hub.PullAllAsync(pageSize: 10));

        error.Retryable.ShouldBeTrue();
        error.Message.ShouldContain("500");
        hub.Fake.Calls.Count.ShouldBe(4);
    }

    [Fact]
    public async Task A_call_that_times_out_is_retried()
    {
        await using var hub = await HubSpotHarness.StartAsync(new() { ["Crm:HubSpot:AttemptTimeoutSeconds"] = "1" });
        hub.Fake.SeedContacts(3);
        hub.Fake.Fail(FakeHubSpotFault.Slow(TimeSpan.FromSeconds(20)));

        var records = await hub.PullAllAsync(pageSize: 10);

        records.Count.ShouldBe(3);
        hub.Fake.Count("POST", "/crm/v3/objects/contacts/search").ShouldBeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public async Task A_note_create_that_timed_out_is_not_sent_twice()
    {
        await using var hub = await HubSpotHarness.StartAsync(new() { ["Crm:HubSpot:AttemptTimeoutSeconds"] = "1" });
        var id = hub.Fake.SeedContacts(1)[0];
        hub.Fake.Fail(FakeHubSpotFault.Slow(TimeSpan.FromSeconds(3), "/crm/v3/objects/notes"));

        await Should.ThrowAsync<CrmException>(() =>
            hub.Connector.WriteActivitiesAsync([new CrmActivityWrite("draft:1", CrmActivityKind.Note, "contacts", id, "s", "b", null)], HubSpotHarness.Ct));

        hub.Fake.Count("POST", "/crm/v3/objects/notes/batch/create").ShouldBe(1);
    }

    [Fact]
    public async Task A_429_is_retried_after_the_retry_after_hubspot_sent()
    {
        await using var hub = await HubSpotHarness.StartAsync();
        hub.Fake.SeedContacts(3);
        hub.Fake.Fail(FakeHubSpotFault.Error(429));

        var records = await hub.PullAllAsync(pageSize: 10);

        records.Count.ShouldBe(3);
        var calls = hub.Fake.Calls;
        calls[0].Status.ShouldBe(429);
        (calls[1].At - calls[0].At).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(0.95));
    }

    [Fact]
    public async Task Search_calls_never_exceed_the_search_limit()
    {
        await using var hub = await HubSpotHarness.StartAsync(new() { ["Crm:HubSpot:SearchPerSecond"] = "3" });
        hub.Fake.SearchPerSecond = 3;
        hub.Fake.SeedContacts(20);

        var records = await hub.PullAllAsync(pageSize: 2);

        records.Count.ShouldBe(20);
        hub.Fake.RateLimited.ShouldBe(0);
        hub.Fake.MaxObservedSearchPerSecond.ShouldBe(3);
    }

    [Fact]
    public async Task Concurrent_calls_never_exceed_the_burst_limit_of_a_rolling_10_seconds()
    {
        const int limit = 8;
        await using var hub = await HubSpotHarness.StartAsync(new() { ["Crm:HubSpot:BurstPer10Seconds"] = $"{limit}" });
        hub.Fake.BurstPer10Seconds = limit;
        var ids = hub.Fake.SeedContacts(12);
        var clock = Stopwatch.StartNew();

        var writes = ids.Select(id => hub.FreshConnector().WriteScoresAsync("contacts", [new CrmScoreWrite(id, 1, "D", "r")], HubSpotHarness.Ct));
        await Task.WhenAll(writes);

        hub.Fake.Count("POST", "/crm/v3/objects/contacts/batch/update").ShouldBe(12);
        hub.Fake.RateLimited.ShouldBe(0);
        hub.Fake.MaxObservedPer10Seconds.ShouldBe(limit);
        clock.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(10));
    }
}
