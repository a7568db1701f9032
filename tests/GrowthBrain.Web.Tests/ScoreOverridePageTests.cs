using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using GrowthBrain.Leads;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GrowthBrain.Web.Tests;

/// <summary>The lead page's score history and override panel, and the overridden mark in the leads table, in a real browser.</summary>
public sealed class ScoreOverridePageTests(ScoredSqliteWebAppFixture app, BrowserFixture browser)
    : IClassFixture<ScoredSqliteWebAppFixture>, IClassFixture<BrowserFixture>
{
    private const float Timeout = 45_000;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    static ScoreOverridePageTests() => SetDefaultExpectTimeout(Timeout);

    /// <summary>An open, scored lead with an e-mail only it has.</summary>
    private async Task<LeadRow> OpenLeadAsync(HttpClient client, int skip)
    {
        var ct = TestContext.Current.CancellationToken;
        var open = (await client.GetFromJsonAsync<LeadPage>("/api/leads?outcome=Open&sortBy=score&pageSize=100", Json, ct))!.Items;
        foreach (var lead in open.Where(l => l.Email is not null && l.Grade is not null && !l.Overridden).Skip(skip))
        {
            var same = (await client.GetFromJsonAsync<LeadPage>("/api/leads?search=" + Uri.EscapeDataString(lead.Email!), Json, ct))!;
            if (same.Total == 1) return lead;
        }
        throw new ShouldAssertException("No open scored lead with a unique e-mail among the 100 lowest.");
    }

    [Fact]
    public async Task An_override_shows_on_the_open_lead_page_and_in_the_leads_table_and_can_be_cleared_there()
    {
        using var client = app.CreateClient();
        var lead = await OpenLeadAsync(client, 0);

        await OnPageAsync($"/leads/{lead.Id}", async page =>
        {
            await Expect(page.Locator("#live-badge")).ToBeVisibleAsync();
            await Expect(page.Locator("#score-history-table tbody tr").First).ToContainTextAsync(lead.Grade!);
            await Expect(page.Locator("#active-override")).ToHaveCountAsync(0);

            // Someone else overrides the grade (another tab, the API): the open page shows it without a reload.
            using var set = await client.PostAsJsonAsync($"/api/leads/{lead.Id}/score/override",
                new { grade = "A", reason = "Asked for a contract draft" }, TestContext.Current.CancellationToken);
            set.EnsureSuccessStatusCode();
            await Expect(page.Locator("#active-override")).ToContainTextAsync("Overridden to A", new() { Timeout = 2_000 });
            await Expect(page.Locator("#active-override")).ToContainTextAsync("Asked for a contract draft");
            await Expect(page.Locator("#overridden-note")).ToContainTextAsync("grade A");

            await page.GotoAsync("/leads");
            await page.GetByPlaceholder("Search name, e-mail or company").FillAsync(lead.Email!);
            var row = page.Locator($"#leads-table tbody tr:has(a[href='/leads/{lead.Id}'])");
            await Expect(row).ToHaveCountAsync(1);
            await Expect(row.Locator(".grade-chip")).ToHaveTextAsync("A");
            await Expect(row.Locator(".overridden")).ToHaveCountAsync(1);

            await page.GotoAsync($"/leads/{lead.Id}");
            await page.Locator("#clear-override").ClickAsync();
            await Expect(page.Locator("#active-override")).ToHaveCountAsync(0);
            await Expect(page.Locator("#override-history")).ToContainTextAsync("cleared");
        });
    }

    [Fact]
    public async Task Setting_a_grade_without_a_reason_says_what_is_missing() => await OnPageAsync("/leads", async page =>
    {
        using var client = app.CreateClient();
        var lead = await OpenLeadAsync(client, 1);
        await page.GotoAsync($"/leads/{lead.Id}");
        await Expect(page.Locator("#save-override")).ToBeEnabledAsync();
        await page.Locator("#save-override").ClickAsync();
        await Expect(page.Locator("#override-error")).ToContainTextAsync("use A, B, C or D");
        await page.Locator("#override-reason").FillAsync("ok");
        await Expect(page.Locator("#active-override")).ToHaveCountAsync(0);
    });

    private Task OnPageAsync(string path, Func<IPage, Task> test, [CallerMemberName] string testName = "") =>
        browser.RunAsync(app.BaseAddress, path, Timeout, test, testName);
}
