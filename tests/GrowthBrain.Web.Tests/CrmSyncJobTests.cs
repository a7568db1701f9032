using System.Globalization;
using System.Net;
using System.Text.Json;
using GrowthBrain.Data;
using GrowthBrain.Tests.Integrations.HubSpot;
using GrowthBrain.Web.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBrain.Web.Tests;

/// <summary>The Quartz job (Sync:*) in the running app: it syncs a connected CRM by itself and pulls what webhooks queued.</summary>
public sealed class CrmSyncJobTests(ScheduledHubSpotSqliteWebAppFixture app) : IClassFixture<ScheduledHubSpotSqliteWebAppFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_scheduler_syncs_the_connected_crm_then_pulls_a_contact_a_webhook_names()
    {
        using var client = app.CreateClient();

        var first = await UntilAsync(async () => await LastRunAsync(client) is { } r && r.GetProperty("status").GetString() != "Running" ? r : (JsonElement?)null);
        first.GetProperty("trigger").GetString().ShouldBe("schedule");
        first.GetProperty("status").GetString().ShouldBe("Succeeded", first.GetProperty("error").ToString());
        first.GetProperty("pulled").GetInt32().ShouldBe(HubSpotAppSettings.SeededContacts);

        var contact = app.HubSpot.SeedContacts(1).Single();
        var body = FakeHubSpotWebhooks.Events(("contact.creation", long.Parse(contact, CultureInfo.InvariantCulture)));
        using (var anonymous = app.CreateClient(apiKey: null))
        using (var hook = await HubSpotAppSettings.PostWebhookAsync(anonymous, "/hooks/hubspot", body, HubSpotAppSettings.ClientSecret, DateTimeOffset.UtcNow, false, Ct))
            hook.StatusCode.ShouldBe(HttpStatusCode.OK, await hook.Content.ReadAsStringAsync(Ct));

        await UntilAsync(async () =>
        {
            await using var scope = app.Services.CreateSystemScope("tests");
            var db = scope.ServiceProvider.GetRequiredService<GrowthBrainDb>();
            var linked = await db.CrmLinks.AnyAsync(l => l.Crm == "hubspot" && l.RecordKind == "lead" && l.ExternalId == contact, Ct);
            var queued = await db.CrmWebhookEvents.AnyAsync(Ct);
            return linked && !queued ? true : (bool?)null;
        });
    }

    private static async Task<JsonElement?> LastRunAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/api/sync/hubspot", Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        var runs = JsonDocument.Parse(text).RootElement.GetProperty("lastRuns");
        return runs.GetArrayLength() == 0 ? null : runs[0].Clone();
    }

    /// <summary>Asks until the state is there (the scheduler ticks every 5 s); gives up after a minute on a busy machine.</summary>
    private static async Task<T> UntilAsync<T>(Func<Task<T?>> state) where T : struct
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            if (await state() is { } value) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Still not there after {Patience.TotalSeconds:0} s.");
            await Task.Delay(100, Ct);
        }
    }
}
