using System.Text;
using GrowthBrain.Tests.Integrations.HubSpot;

namespace GrowthBrain.Web.Tests;

/// <summary>An app fixture connected to a loopback HubSpot.</summary>
public interface IHubSpotApp
{
    FakeHubSpotServer HubSpot { get; }
}

/// <summary>
/// The settings that connect an app to a loopback HubSpot: its address and token, a client secret for webhook
/// signatures, HubSpot's limits off (the tests are about the hosts, not pacing), and no scheduled sync, so what the
/// tests see comes from the calls they make (webhook records stay queued instead of being pulled at the next tick).
/// </summary>
public static class HubSpotAppSettings
{
    public const string ClientSecret = "hubspot-app-client-secret-for-web-tests";
    public const int SeededContacts = 5;

    public static async Task<FakeHubSpotServer> StartFakeAsync()
    {
        var hub = await FakeHubSpotServer.StartAsync();
        hub.SeedContacts(SeededContacts, i => DateTimeOffset.UtcNow.AddHours(-1).AddMinutes(i));
        return hub;
    }

    public static IEnumerable<KeyValuePair<string, string?>> For(FakeHubSpotServer hub, bool scheduled = false) =>
    [
        new("Crm:HubSpot:BaseUrl", hub.BaseUrl),
        new("Crm:HubSpot:AccessToken", hub.Token),
        new("Crm:HubSpot:ClientSecret", ClientSecret),
        new("Crm:HubSpot:BurstPer10Seconds", "0"),
        new("Crm:HubSpot:SearchPerSecond", "0"),
        new("Crm:HubSpot:MaxRetries", "0"),
        new("Sync:Enabled", scheduled ? "true" : "false"),
        new("Sync:TickSeconds", "5"),
    ];

    /// <summary>
    /// Posts as HubSpot does: no cookie, no API key, no antiforgery token, signed over the URL the app is called at.
    /// Give an anonymous client; a sign-in redirect would end on the login page, which the callers' JSON checks refuse.
    /// </summary>
    public static async Task<HttpResponseMessage> PostWebhookAsync(HttpClient anonymous, string path, string body, string secret, DateTimeOffset at,
        bool chunked, CancellationToken ct)
    {
        var url = new Uri(anonymous.BaseAddress!, path);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (chunked) request.Headers.TransferEncodingChunked = true;
        foreach (var (name, value) in FakeHubSpotWebhooks.Headers(secret, "POST", url.ToString(), body, at))
            if (!name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)) request.Headers.Add(name, value);
        return await anonymous.SendAsync(request, ct);
    }
}

/// <summary>SQLite, with HubSpot connected by configuration to a loopback fake holding a few contacts.</summary>
public sealed class HubSpotSqliteWebAppFixture : SqliteWebAppFixture, IHubSpotApp
{
    public FakeHubSpotServer HubSpot { get; } = HubSpotAppSettings.StartFakeAsync().GetAwaiter().GetResult();

    protected override IEnumerable<KeyValuePair<string, string?>> Settings => HubSpotAppSettings.For(HubSpot);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await HubSpot.DisposeAsync();
    }
}

/// <summary>PostgreSQL, with HubSpot connected by configuration to a loopback fake holding a few contacts.</summary>
public sealed class HubSpotPostgresWebAppFixture : PostgresWebAppFixture, IHubSpotApp
{
    public FakeHubSpotServer HubSpot { get; } = HubSpotAppSettings.StartFakeAsync().GetAwaiter().GetResult();

    protected override IEnumerable<KeyValuePair<string, string?>> Settings => HubSpotAppSettings.For(HubSpot);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await HubSpot.DisposeAsync();
    }
}

/// <summary>SQLite and a loopback HubSpot, with the scheduled sync on and ticking every 5 seconds.</summary>
public sealed class ScheduledHubSpotSqliteWebAppFixture : SqliteWebAppFixture, IHubSpotApp
{
    public FakeHubSpotServer HubSpot { get; } = HubSpotAppSettings.StartFakeAsync().GetAwaiter().GetResult();

    protected override IEnumerable<KeyValuePair<string, string?>> Settings => HubSpotAppSettings.For(HubSpot, scheduled: true);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await HubSpot.DisposeAsync();
    }
}
