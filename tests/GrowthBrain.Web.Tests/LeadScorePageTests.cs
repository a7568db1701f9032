using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using GrowthBrain.Leads;
using GrowthBrain.Scoring;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GrowthBrain.Web.Tests;

/// <summary>Scores on the leads page and the lead page, in a real browser against the real app (SQLite, model trained).</summary>
public sealed class LeadScorePageTests(ScoredSqliteWebAppFixture app, BrowserFixture browser)
    : IClassFixture<ScoredSqliteWebAppFixture>, IClassFixture<BrowserFixture>
{
    // A loaded 2-core machine can take a while to start a circuit and render; wait for conditions, never sleep.
    private const float Timeout = 45_000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    static LeadScorePageTests() => SetDefaultExpectTimeout(Timeout);

    private static ILocator Rows(IPage page) => page.Locator("#leads-table tbody tr");

    [Fact]
    public async Task The_leads_page_shows_a_score_column_with_grade_chips() => await OnPageAsync("/leads", async page =>
    {
        await Expect(page.Locator("#leads-table thead th").First).ToHaveTextAsync("Score");
        await Expect(Rows(page)).ToHaveCountAsync(25);

        // Sorted by score, highest first, so the first page is all scored leads.
        var chips = Rows(page).Locator(".grade-chip");
        await Expect(chips).ToHaveCountAsync(25);
        await Expect(chips.First).ToHaveTextAsync(new Regex("^[ABCD]$"));
        await Expect(Rows(page).First.Locator(".score")).ToHaveTextAsync(new Regex(@"^\d+\s?%$"));
    });

    [Fact]
    public async Task Clicking_an_open_lead_opens_its_page_with_the_probability_the_reasons_and_what_would_raise_it()
    {
        var (lead, score) = await OpenLeadWithActionsAsync();

        await OnPageAsync("/leads", async page =>
        {
            await Expect(Rows(page)).ToHaveCountAsync(25);
            await page.GetByPlaceholder("Search name, e-mail or company").FillAsync(lead.Email!);
            var row = page.Locator($"#leads-table tbody tr:has(a[href='/leads/{lead.Id}'])");
            await Expect(row).ToHaveCountAsync(1);

            await row.Locator("td").Nth(2).ClickAsync(); // the e-mail cell: the row itself navigates, not only the name link

            await Expect(page).ToHaveURLAsync(new Regex($"/leads/{lead.Id}$"));
            await Expect(page.Locator("#lead-name")).ToHaveTextAsync(lead.Name);
            await Expect(page.Locator("#probability")).ToHaveTextAsync(new Regex(@"^\d+\s?%$"));
            await Expect(page.Locator("#score-card")).ToContainTextAsync("Why");
            await Expect(page.Locator("#factors .mud-list-item")).ToHaveCountAsync(score.For.Count + score.Against.Count);
            await Expect(page.Locator("#factors")).ToContainTextAsync((score.For.Count > 0 ? score.For : score.Against)[0].Text);
            await Expect(page.Locator("#score-card")).ToContainTextAsync("What would raise it");
            await Expect(page.Locator("#raise .mud-list-item")).ToHaveCountAsync(score.WhatWouldRaiseIt.Count);
            await Expect(page.Locator("#raise")).ToContainTextAsync(score.WhatWouldRaiseIt[0].Action);
        });
    }

    /// <summary>An open lead with an e-mail only it has, whose score has at least one action that would raise it.</summary>
    [Fact]
    public async Task Writing_a_draft_on_the_lead_page_shows_it_with_its_writer_and_guardrail_check()
    {
        var (lead, _) = await OpenLeadWithActionsAsync();

        await OnPageAsync($"/leads/{lead.Id}", async page =>
        {
            await Expect(page.Locator("#probability")).ToBeVisibleAsync();
            await page.Locator("#write-draft").ClickAsync();

            await Expect(page.Locator("#draft-writer")).ToContainTextAsync("template writer");
            await Expect(page.Locator("#draft-subject")).Not.ToBeEmptyAsync();
            await Expect(page.Locator("#draft-check")).ToContainTextAsync("Passes every guardrail");
        });
    }

    private async Task<(LeadRow Lead, LeadScoreView Score)> OpenLeadWithActionsAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = app.CreateClient();
        var lowest = (await client.GetFromJsonAsync<LeadPage>("/api/leads?outcome=Open&sortBy=score&pageSize=50", Json, ct))!.Items;
        foreach (var lead in lowest.Where(l => l.Email is not null))
        {
            var same = (await client.GetFromJsonAsync<LeadPage>("/api/leads?search=" + Uri.EscapeDataString(lead.Email!), Json, ct))!;
            if (same.Total != 1) continue;
            var score = (await client.GetFromJsonAsync<LeadScoreView>($"/api/leads/{lead.Id}/score", Json, ct))!;
            if (score.WhatWouldRaiseIt.Count > 0 && score.For.Count + score.Against.Count > 0) return (lead, score);
        }
        throw new ShouldAssertException("None of the 50 lowest-scored open leads has an action that would raise its score.");
    }

    /// <summary>Opens a page in a fresh browser context, runs the test, and keeps a screenshot when it fails.</summary>
    private Task OnPageAsync(string path, Func<IPage, Task> test, [CallerMemberName] string testName = "") =>
        browser.RunAsync(app.BaseAddress, path, Timeout, test, testName);
}
