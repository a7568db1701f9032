using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GrowthBrain.Web.Tests;

/// <summary>/sources, /team and /model in a real browser against the real app (SQLite, model trained, open leads scored).</summary>
public sealed class DashboardPagesTests(ScoredSqliteWebAppFixture app, BrowserFixture browser)
    : IClassFixture<ScoredSqliteWebAppFixture>, IClassFixture<BrowserFixture>
{
    // A loaded 2-core machine can take a while to start a circuit and render; wait for conditions, never sleep.
    private const float Timeout = 45_000;

    static DashboardPagesTests() => SetDefaultExpectTimeout(Timeout);

    /// <summary>Plotly draws into an SVG of class main-svg once its script (served by the app, not a CDN) has loaded.</summary>
    private static ILocator Plot(IPage page, string container) => page.Locator($"{container} svg.main-svg").First;

    [Fact]
    public async Task Sources_show_a_conversion_chart_and_a_table_that_sorts_and_switches_to_campaigns() => await OnPageAsync("/sources", async page =>
    {
        await Expect(Plot(page, "#sources-chart")).ToBeVisibleAsync();
        await Expect(page.Locator("#sources-chart .bars path").First).ToBeAttachedAsync();
        var rows = page.Locator("#sources-table tbody tr");
        await Expect(rows.First).ToContainTextAsync("%");
        (await rows.CountAsync()).ShouldBeGreaterThan(1);

        // Sorting by conversion, with the keyboard: Tab to the header's button and press Enter.
        var conversion = page.Locator("#sources-table th", new() { HasText = "Conversion" });
        await conversion.Locator("button").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(conversion).ToHaveAttributeAsync("aria-sort", "descending");
        var rates = await page.Locator("#sources-table tbody tr td .rate-value").AllInnerTextsAsync();
        var values = rates.Select(r => double.Parse(r.TrimEnd('%'), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        values.ShouldBe(values.OrderByDescending(v => v).ToList());

        await page.Locator("#by-campaign").ClickAsync();
        await Expect(page.Locator("#sources-table thead th").First).ToHaveTextAsync("Campaign");
        await Expect(page.Locator("#by-campaign")).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(Plot(page, "#sources-chart")).ToBeVisibleAsync();
    });

    [Fact]
    public async Task Team_shows_each_rep_and_changes_with_the_period() => await OnPageAsync("/team", async page =>
    {
        await Expect(page.Locator("#team-table tbody tr").First).ToBeVisibleAsync();
        (await page.Locator("#team-table tbody tr").CountAsync()).ShouldBeGreaterThan(1);
        await Expect(page.Locator("#team-table caption")).ToContainTextAsync("Last 90 days");
        await Expect(page.Locator("#period-90")).ToHaveAttributeAsync("aria-pressed", "true");

        await Expect(page.Locator("#period-365")).ToBeEnabledAsync();
        await page.Locator("#period-365").ClickAsync();
        await Expect(page.Locator("#team-table caption")).ToContainTextAsync("Last 365 days");
        await Expect(page.Locator("#period-365")).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(Plot(page, "#team-chart")).ToBeVisibleAsync();
        await Expect(page.Locator("#team-chart .bars path").First).ToBeAttachedAsync();
    });

    [Fact]
    public async Task Model_shows_its_charts_retrains_with_progress_and_promotes_a_version() => await OnPageAsync("/model", async page =>
    {
        await Expect(page.Locator("#active-model")).ToContainTextAsync("Active: v1");
        foreach (var chart in new[] { "#reliability-chart", "#lift-chart", "#importance-chart", "#drift-chart" })
            await Expect(Plot(page, chart)).ToBeVisibleAsync();
        await Expect(page.Locator("#drift-verdict")).ToContainTextAsync("PSI on the score");
        await Expect(page.Locator("#versions-table tbody tr")).ToHaveCountAsync(1);

        await Expect(page.Locator("#retrain")).ToBeEnabledAsync();
        await page.Locator("#retrain").ClickAsync();
        await Expect(page.Locator("#model-progress")).ToBeVisibleAsync();
        // Training searches for up to a minute on a busy machine.
        await Expect(page.Locator("#model-message")).ToContainTextAsync("Trained v2", new() { Timeout = 180_000 });
        await Expect(page.Locator("#versions-table tbody tr")).ToHaveCountAsync(2);

        // Whichever version is not active now gets promoted.
        var promote = page.Locator("#versions-table button.promote");
        await Expect(promote).ToHaveCountAsync(1);
        var target = (await promote.GetAttributeAsync("aria-label"))!.Replace("Promote ", "", StringComparison.Ordinal);
        await promote.ClickAsync();
        await Expect(page.Locator("#model-message")).ToContainTextAsync($"{target} is now active");
        await Expect(page.Locator("#active-model")).ToContainTextAsync($"Active: {target}");
        await Expect(page.Locator($"#version-{target[1..]} .version-status")).ToHaveTextAsync("Active");
        await Expect(page.Locator("#model-message")).ToContainTextAsync("Rescored");
    });

    /// <summary>Opens a page at a laptop's 1366×768 in a fresh browser context, runs the test, and keeps a screenshot when it fails.</summary>
    private Task OnPageAsync(string path, Func<IPage, Task> test, [CallerMemberName] string testName = "") =>
        browser.RunAsync(app.BaseAddress, path, Timeout, async page =>
        {
            await page.SetViewportSizeAsync(1366, 768);
            await test(page);
        }, testName);
}
