using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GrowthBrain.Accounts;
using GrowthBrain.Data;
using GrowthBrain.Tests.Integrations.HubSpot;
using GrowthBrain.Web.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBrain.Web.Tests;

/// <summary>/api/sync/{crm} and /hooks/hubspot over HTTP, on an app connected by configuration to a loopback HubSpot.</summary>
public abstract class CrmSyncWebTests<TFixture>(TFixture app) : IClassFixture<TFixture>
    where TFixture : WebAppFixture, IHubSpotApp
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> JsonOf(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(expected, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static async Task<JsonElement> ProblemOf(HttpResponseMessage response, HttpStatusCode expected)
    {
        var problem = await JsonOf(response, expected);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        problem.GetProperty("status").GetInt32().ShouldBe((int)expected);
        return problem;
    }

    /// <summary>Calls that change something in HubSpot: everything but reads (GET, search and batch read are POSTs there).</summary>
    private int HubSpotWrites() => app.HubSpot.Calls.Count(c => c.Method != "GET"
        && !c.Path.EndsWith("/search", StringComparison.Ordinal) && !c.Path.EndsWith("/batch/read", StringComparison.Ordinal));

    private async Task<(int Leads, int Links, int Queued)> RowsAsync()
    {
        await using var scope = app.Services.CreateSystemScope("tests");
        var db = scope.ServiceProvider.GetRequiredService<GrowthBrainDb>();
        return (await db.Leads.CountAsync(Ct), await db.CrmLinks.CountAsync(l => l.Crm == "hubspot", Ct), await db.CrmWebhookEvents.CountAsync(Ct));
    }

    private async Task<bool> QueuedAsync(long contactId)
    {
        var id = contactId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var scope = app.Services.CreateSystemScope("tests");
        var db = scope.ServiceProvider.GetRequiredService<GrowthBrainDb>();
        return await db.CrmWebhookEvents.AnyAsync(e => e.Crm == "hubspot" && e.CrmObject == "contacts" && e.ExternalId == id, Ct);
    }

    [Fact]
    public async Task A_dry_run_answers_counts_and_writes_nothing_then_a_sync_writes_and_its_run_shows_in_the_status()
    {
        using var client = app.CreateClient();
        var before = await RowsAsync();
        var writesBefore = HubSpotWrites();

        using var dry = await client.PostAsync("/api/sync/hubspot?dryRun=true", null, Ct);
        var preview = await JsonOf(dry, HttpStatusCode.OK);

        preview.GetProperty("dryRun").GetBoolean().ShouldBeTrue();
        preview.GetProperty("pulled").GetInt32().ShouldBe(HubSpotAppSettings.SeededContacts);
        preview.GetProperty("created").GetInt32().ShouldBe(HubSpotAppSettings.SeededContacts);
        preview.GetProperty("failed").GetInt32().ShouldBe(0);
        (await RowsAsync()).ShouldBe(before);
        HubSpotWrites().ShouldBe(writesBefore);

        using var run = await client.PostAsync("/api/sync/hubspot", null, Ct);
        var summary = await JsonOf(run, HttpStatusCode.OK);

        summary.GetProperty("dryRun").GetBoolean().ShouldBeFalse();
        summary.GetProperty("pulled").GetInt32().ShouldBe(HubSpotAppSettings.SeededContacts);
        summary.GetProperty("created").GetInt32().ShouldBe(HubSpotAppSettings.SeededContacts);
        summary.GetProperty("failed").GetInt32().ShouldBe(0);
        var after = await RowsAsync();
        after.Leads.ShouldBe(before.Leads + HubSpotAppSettings.SeededContacts);
        after.Links.ShouldBe(before.Links + HubSpotAppSettings.SeededContacts);

        using var get = await client.GetAsync("/api/sync/hubspot", Ct);
        var status = await JsonOf(get, HttpStatusCode.OK);
        status.GetProperty("configured").GetBoolean().ShouldBeTrue();
        status.GetProperty("running").GetBoolean().ShouldBeFalse();
        var last = status.GetProperty("lastRuns")[0];
        last.GetProperty("id").GetInt64().ShouldBe(summary.GetProperty("runId").GetInt64());
        last.GetProperty("trigger").GetString().ShouldBe("api");
        last.GetProperty("status").GetString().ShouldBe("Succeeded");
        last.GetProperty("dryRun").GetBoolean().ShouldBeFalse();
        last.GetProperty("pulled").GetInt32().ShouldBe(HubSpotAppSettings.SeededContacts);
        last.GetProperty("created").GetInt32().ShouldBe(HubSpotAppSettings.SeededContacts);
    }

    [Fact]
    public async Task The_connection_test_says_the_fake_accepts_the_token()
    {
        using var client = app.CreateClient();

        using var test = await client.PostAsync("/api/sync/hubspot/test", null, Ct);

        var check = await JsonOf(test, HttpStatusCode.OK);
        check.GetProperty("ok").GetBoolean().ShouldBeTrue(check.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Someone_who_is_not_an_admin_is_refused_every_sync_call()
    {
        var (_, key) = await app.AddUserAsync($"rep-sync-{Guid.NewGuid():N}@example.com", UserRole.Rep, WebAppFixture.DefaultTeam);
        using var client = app.CreateClient(key);
        var writes = HubSpotWrites();

        using var get = await client.GetAsync("/api/sync/hubspot", Ct);
        using var post = await client.PostAsync("/api/sync/hubspot", null, Ct);
        using var connect = await client.PutAsJsonAsync("/api/sync/hubspot/connection", new { settings = new { AccessToken = "pat-stolen" } }, Ct);

        get.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        post.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        connect.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        HubSpotWrites().ShouldBe(writes);
    }

    [Fact]
    public async Task An_unknown_crm_is_a_400_problem_naming_the_crms_there_are()
    {
        using var client = app.CreateClient();

        using var post = await client.PostAsync("/api/sync/sugarcrm", null, Ct);
        using var get = await client.GetAsync("/api/sync/sugarcrm", Ct);

        foreach (var response in new[] { post, get })
        {
            var problem = await ProblemOf(response, HttpStatusCode.BadRequest);
            var detail = problem.GetProperty("detail").GetString()!;
            detail.ShouldContain("sugarcrm");
            detail.ShouldContain("hubspot");
            detail.ShouldContain("CSV");
        }
    }

    [Fact]
    public async Task A_crm_that_is_not_connected_is_a_409_problem_saying_where_to_connect_it()
    {
        using var client = app.CreateClient();

        using var post = await client.PostAsync("/api/sync/zoho", null, Ct);

        var problem = await ProblemOf(post, HttpStatusCode.Conflict);
        problem.GetProperty("detail").GetString()!.ShouldContain("Zoho CRM is not connected", Case.Insensitive);
        problem.GetProperty("detail").GetString()!.ShouldContain("Integrations page");
    }

    [Fact]
    public async Task A_mapping_with_a_property_hubspot_does_not_have_is_a_400_problem_naming_it()
    {
        using var client = app.CreateClient();
        var mapping = new
        {
            fields = new[] { new { @object = "contacts", property = "email", field = "Email" }, new { @object = "contacts", property = "favourite_colour_xyz", field = "Custom" } },
            outcomeProperty = (string?)null,
            won = Array.Empty<string>(),
            lost = Array.Empty<string>(),
        };

        using var put = await client.PutAsJsonAsync("/api/sync/hubspot/mapping", mapping, Ct);

        var problem = await ProblemOf(put, HttpStatusCode.BadRequest);
        problem.GetProperty("detail").GetString()!.ShouldContain("favourite_colour_xyz");
        using var get = await client.GetAsync("/api/sync/hubspot/mapping", Ct);
        (await JsonOf(get, HttpStatusCode.OK)).GetProperty("saved").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task A_signed_webhook_is_taken_without_sign_in_and_queues_the_contact()
    {
        const long contact = 9_000_001;
        var body = FakeHubSpotWebhooks.Events(("contact.propertyChange", contact));

        using var response = await PostHookAsync(body, HubSpotAppSettings.ClientSecret, DateTimeOffset.UtcNow);

        (await JsonOf(response, HttpStatusCode.OK)).GetProperty("queued").GetInt32().ShouldBe(1);
        (await QueuedAsync(contact)).ShouldBeTrue();
    }

    [Fact]
    public async Task A_webhook_with_a_forged_signature_is_a_403_problem_and_queues_nothing()
    {
        const long contact = 9_000_002;
        var body = FakeHubSpotWebhooks.Events(("contact.creation", contact));

        using var response = await PostHookAsync(body, "not-the-app's-client-secret", DateTimeOffset.UtcNow);

        (await ProblemOf(response, HttpStatusCode.Forbidden)).GetProperty("detail").GetString()!.ShouldContain("does not match");
        (await QueuedAsync(contact)).ShouldBeFalse();
    }

    [Fact]
    public async Task A_webhook_older_than_5_minutes_is_a_403_problem_and_queues_nothing()
    {
        const long contact = 9_000_003;
        var body = FakeHubSpotWebhooks.Events(("contact.creation", contact));

        using var response = await PostHookAsync(body, HubSpotAppSettings.ClientSecret, DateTimeOffset.UtcNow.AddMinutes(-6));

        (await ProblemOf(response, HttpStatusCode.Forbidden)).GetProperty("detail").GetString()!.ShouldContain("stale");
        (await QueuedAsync(contact)).ShouldBeFalse();
    }

    [Fact]
    public async Task A_webhook_body_over_the_limit_is_refused_even_when_it_is_sent_without_a_length()
    {
        // Signed correctly, so only the size can refuse it; chunked, so no Content-Length announces the size.
        var events = Enumerable.Range(0, 8_000).Select(i => ("contact.propertyChange", 8_000_000L + i)).ToArray();
        var body = FakeHubSpotWebhooks.Events(events);
        Encoding.UTF8.GetByteCount(body).ShouldBeGreaterThan(GrowthBrain.Web.Integrations.CrmWebhookEndpoints.MaxBodyBytes);

        using var response = await PostHookAsync(body, HubSpotAppSettings.ClientSecret, DateTimeOffset.UtcNow, chunked: true);

        await ProblemOf(response, HttpStatusCode.RequestEntityTooLarge);
        (await QueuedAsync(8_000_000)).ShouldBeFalse();
    }

    [Fact]
    public async Task A_webhook_for_a_crm_that_is_not_connected_says_so_without_sign_in()
    {
        using var zoho = await PostHookAsync("{}", HubSpotAppSettings.ClientSecret, DateTimeOffset.UtcNow, "/hooks/zoho");
        using var unknown = await PostHookAsync("{}", HubSpotAppSettings.ClientSecret, DateTimeOffset.UtcNow, "/hooks/sugarcrm");

        (await ProblemOf(zoho, HttpStatusCode.Conflict)).GetProperty("detail").GetString()!.ShouldContain("Zoho");
        (await ProblemOf(unknown, HttpStatusCode.BadRequest)).GetProperty("detail").GetString()!.ShouldContain("sugarcrm");
    }

    private async Task<HttpResponseMessage> PostHookAsync(string body, string secret, DateTimeOffset at, string path = "/hooks/hubspot", bool chunked = false)
    {
        using var client = app.CreateClient(apiKey: null);
        return await HubSpotAppSettings.PostWebhookAsync(client, path, body, secret, at, chunked, Ct);
    }
}

public sealed class CrmSyncWebTests_Sqlite(HubSpotSqliteWebAppFixture app) : CrmSyncWebTests<HubSpotSqliteWebAppFixture>(app);

public sealed class CrmSyncWebTests_Postgres(HubSpotPostgresWebAppFixture app) : CrmSyncWebTests<HubSpotPostgresWebAppFixture>(app);
