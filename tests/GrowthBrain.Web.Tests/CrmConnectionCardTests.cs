using GrowthBrain.Tests.Integrations.HubSpot;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GrowthBrain.Web.Tests;

/// <summary>The HubSpot card on /integrations in real Chromium, as the owner (auto-signed-in on loopback).</summary>
public sealed class CrmConnectionCardTests(HubSpotSqliteWebAppFixture connected, SqliteWebAppFixture unconnected, BrowserFixture browser)
    : IClassFixture<HubSpotSqliteWebAppFixture>, IClassFixture<SqliteWebAppFixture>, IClassFixture<BrowserFixture>
{
    private const float Timeout = 30_000;

    static CrmConnectionCardTests() => SetDefaultExpectTimeout(Timeout);

    [Fact]
    public async Task A_connected_hubspot_card_runs_a_dry_run_then_a_sync_and_lists_the_run()
    {
        await browser.RunAsync(connected.BaseAddress, "/integrations", Timeout, async page =>
        {
            await Expect(page.Locator("#crm-hubspot-status")).ToContainTextAsync("Connected");
            // Disabled until the circuit is interactive: a click before would be lost.
            await Expect(page.Locator("#crm-hubspot-dry-run")).ToBeEnabledAsync();
            // The mapping is read from HubSpot when its section is opened.
            await page.Locator("#crm-hubspot summary", new() { HasText = "Field mapping" }).ClickAsync();
            await Expect(page.Locator("#crm-hubspot-mapping select[data-property='email']")).ToHaveValueAsync("Email");
            await page.Locator("#crm-hubspot-dry-run").ClickAsync();
            await Expect(page.Locator("#crm-hubspot-summary")).ToContainTextAsync("Dry run, nothing written");
            await Expect(page.Locator("#crm-hubspot-summary")).ToContainTextAsync($"{HubSpotAppSettings.SeededContacts} pulled");

            await Expect(page.Locator("#crm-hubspot-sync")).ToBeEnabledAsync();
            await page.Locator("#crm-hubspot-sync").ClickAsync();
            await Expect(page.Locator("#crm-hubspot-summary")).ToContainTextAsync("Synced:");
            await Expect(page.Locator("#crm-hubspot-summary")).ToContainTextAsync($"{HubSpotAppSettings.SeededContacts} created");
            var run = page.Locator("#crm-hubspot-runs tbody tr").First;
            await Expect(run).ToContainTextAsync("page");
            await Expect(run).ToContainTextAsync("Succeeded");
            await Expect(page.Locator("#crm-hubspot-status")).ToContainTextAsync("Last sync");
        }, nameof(A_connected_hubspot_card_runs_a_dry_run_then_a_sync_and_lists_the_run));
    }

    [Fact]
    public async Task An_unconnected_hubspot_card_asks_for_credentials_and_says_what_the_connection_test_answered()
    {
        await using var hub = await FakeHubSpotServer.StartAsync();
        await browser.RunAsync(unconnected.BaseAddress, "/integrations", Timeout, async page =>
        {
            await Expect(page.Locator("#crm-hubspot-status")).ToContainTextAsync("Not connected");
            await Expect(page.Locator("#crm-hubspot-AccessToken")).ToBeVisibleAsync();
            // A field a person can see, not only one Playwright can find: MudBlazor's reset leaves bare inputs borderless.
            await Expect(page.Locator("#crm-hubspot-AccessToken")).ToHaveCSSAsync("border-top-style", "solid");
            await Expect(page.Locator("#crm-hubspot-dry-run")).ToHaveCountAsync(0);

            await Expect(page.Locator("#crm-hubspot-connect")).ToBeEnabledAsync();
            await page.Locator("#crm-hubspot-AccessToken").FillAsync("pat-na1-not-the-right-token");
            await page.Locator("#crm-hubspot-BaseUrl").FillAsync(hub.BaseUrl);
            await page.Locator("#crm-hubspot-connect").ClickAsync();
            await Expect(page.Locator("#crm-hubspot-message")).ToContainTextAsync("401");
            await Expect(page.Locator("#crm-hubspot-status")).ToContainTextAsync("Not working");

            await Expect(page.Locator("#crm-hubspot-connect")).ToBeEnabledAsync();
            await page.Locator("#crm-hubspot-AccessToken").FillAsync(hub.Token);
            await page.Locator("#crm-hubspot-BaseUrl").FillAsync(hub.BaseUrl);
            await page.Locator("#crm-hubspot-connect").ClickAsync();
            await Expect(page.Locator("#crm-hubspot-message")).ToContainTextAsync($"Connected to HubSpot portal {FakeHubSpotServer.PortalId}");
            await Expect(page.Locator("#crm-hubspot-status")).ToContainTextAsync("Connected");
            await Expect(page.Locator("#crm-hubspot-dry-run")).ToBeEnabledAsync();
        }, nameof(An_unconnected_hubspot_card_asks_for_credentials_and_says_what_the_connection_test_answered));
    }
}
