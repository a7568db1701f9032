using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GrowthBrain.Web.Tests;

/// <summary>The overview at "/", in a real browser against the real app (SQLite, model trained).</summary>
public sealed class OverviewPageTests(ScoredSqliteWebAppFixture app, BrowserFixture browser)
    : IClassFixture<ScoredSqliteWebAppFixture>, IClassFixture<BrowserFixture>
{
    // A loaded 2-core machine can take a while to start a circuit and render; wait for conditions, never sleep.
    private const float Timeout = 45_000;

    static OverviewPageTests() => SetDefaultExpectTimeout(Timeout);

    [Fact]
    public async Task The_front_page_shows_the_conversion_rate_and_how_each_grade_converted() => await OnPageAsync("/", async page =>
    {
        await Expect(page).ToHaveURLAsync(new Regex("/$"));
        await Expect(page.Locator("#kpi-conversion .kpi-value")).ToHaveTextAsync(new Regex(@"^\d+(\.\d)?%$"));
        await Expect(page.Locator("#kpi-conversion")).ToContainTextAsync("vs the 90 before");
        await Expect(page.Locator("#kpi-reply")).ToContainTextAsync("Since GrowthBrain");
        await Expect(page.Locator("#kpi-reply .reply-basis")).ToContainTextAsync("Since ");
        // Conversion and cycle before GrowthBrain against since, each with its interval (the app was just installed).
        await Expect(page.Locator("#conversion-since")).ToContainTextAsync(new Regex(@"^Since GrowthBrain \(\d{4}-\d\d-\d\d\): "));
        await Expect(page.Locator("#cycle-since")).ToContainTextAsync("Since GrowthBrain (");
        await Expect(page.Locator("#kpi-cycle")).ToContainTextAsync("95% CI");
        // The browser signed in as the owner, which the audit log records: at least one active user.
        await Expect(page.Locator("#kpi-users .kpi-value")).ToHaveTextAsync(new Regex(@"^[1-9]\d* of [1-9]\d*$"));
        await Expect(page.Locator("#by-grade tbody tr")).ToHaveCountAsync(4);
        await Expect(page.Locator("#by-grade tbody tr").First).ToContainTextAsync("A");
        await Expect(page.Locator("#stale-leads")).ToContainTextAsync("Stale leads");
        await Expect(page.Locator("#monthly tbody tr")).ToHaveCountAsync(12);
    });

    /// <summary>Opens a page in a fresh browser context, runs the test, and keeps a screenshot when it fails.</summary>
    private Task OnPageAsync(string path, Func<IPage, Task> test, [CallerMemberName] string testName = "") =>
        browser.RunAsync(app.BaseAddress, path, Timeout, test, testName);
}
