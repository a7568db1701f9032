using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text.Json.Serialization;
using GrowthBrain.Leads;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GrowthBrain.Web.Tests;

/// <summary>The leads page in a real browser against the real app on a loopback port (SQLite).</summary>
public sealed class LeadsPageTests(SqliteWebAppFixture app, BrowserFixture browser)
    : IClassFixture<SqliteWebAppFixture>, IClassFixture<BrowserFixture>
{
    // A loaded 2-core machine can take a while to start a circuit and render; wait for conditions, never sleep.
    // The prerendered table is empty (MudTable asks for ServerData after its first interactive render), so once
    // rows or the "1-25 of N" caption show, the circuit is live and typing and clicks reach the server.
    private const float Timeout = 45_000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    // The table opens sorted by score, highest first (unscored leads last, then by id), with Score as its first column.
    private const string InitialOrder = "?sortBy=score&descending=true";

    static LeadsPageTests() => SetDefaultExpectTimeout(Timeout);

    [Fact]
    public async Task Leads_page_shows_the_seeded_leads() => await OnLeadsPageAsync(async page =>
    {
        var expected = await ApiPageAsync(InitialOrder);

        await Expect(Rows(page)).ToHaveCountAsync(25);
        await Expect(Cell(Rows(page).First, 1)).ToHaveTextAsync(expected.Items[0].Name);
        await Expect(Caption(page)).ToContainTextAsync($"of {app.SeededCount}");
    });

    [Fact]
    public async Task Typing_in_the_search_box_filters_the_table_to_the_matching_lead() => await OnLeadsPageAsync(async page =>
    {
        var lead = app.KnownLead;
        await Expect(Rows(page)).ToHaveCountAsync(25);

        await page.GetByPlaceholder("Search name, e-mail or company").FillAsync(lead.Email!);

        await Expect(Rows(page)).ToHaveCountAsync(1);
        await Expect(Cell(Rows(page).First, 1)).ToHaveTextAsync($"{lead.FirstName} {lead.LastName}");
        await Expect(Cell(Rows(page).First, 2)).ToHaveTextAsync(lead.Email!);
    });

    [Fact]
    public async Task Clicking_the_company_label_sorts_the_table_by_company() => await OnLeadsPageAsync(async page =>
    {
        var before = await ApiPageAsync(InitialOrder);
        var sorted = await ApiPageAsync("?sortBy=company");
        sorted.Items.Select(i => i.Company).ShouldNotBe(before.Items.Select(i => i.Company), "the seeded data should not already be in company order");
        await Expect(Cell(Rows(page).First, 1)).ToHaveTextAsync(before.Items[0].Name);

        await page.Locator("#leads-table th .mud-table-sort-label").Filter(new() { HasText = "Company" }).ClickAsync();

        await Expect(Cell(Rows(page).First, 3)).ToHaveTextAsync(sorted.Items[0].Company ?? "");
        await Expect(Rows(page).Locator("td:nth-child(4)")).ToHaveTextAsync(sorted.Items.Select(i => i.Company ?? "").ToArray());
    });

    [Fact]
    public async Task The_pager_goes_to_the_second_page() => await OnLeadsPageAsync(async page =>
    {
        var second = await ApiPageAsync(InitialOrder + "&page=2");
        await Expect(Caption(page)).ToContainTextAsync($"1-25 of {app.SeededCount}");

        await page.Locator(".mud-table-pagination-next-button").ClickAsync();

        await Expect(Caption(page)).ToContainTextAsync($"26-50 of {app.SeededCount}");
        await Expect(Rows(page).Locator("td:nth-child(2)")).ToHaveTextAsync(second.Items.Select(i => i.Name).ToArray());
    });

    [Fact]
    public async Task Filtering_by_source_and_stage_shows_only_matching_leads_with_the_exact_count()
    {
        using var client = app.CreateClient();
        var options = (await client.GetFromJsonAsync<LeadFilterOptions>("/api/leads/filters", Json, TestContext.Current.CancellationToken))!;
        options.Sources.ShouldNotBeEmpty();
        options.Stages.ShouldNotBeEmpty();
        var source = options.Sources[0];
        var stage = options.Stages[0];
        var expected = await ApiPageAsync($"?source={Uri.EscapeDataString(source)}&stage={Uri.EscapeDataString(stage)}&pageSize=100");
        expected.Items.ShouldNotBeEmpty();
        expected.Items.ShouldAllBe(l => l.Source == source && l.Stage == stage);

        await OnLeadsPageAsync(async page =>
        {
            await Expect(Caption(page)).ToBeVisibleAsync();
            // The filters are disabled while the page is only prerendered (a click then would do nothing): wait for the circuit.
            await Expect(page.Locator("#filter-stage")).ToBeEnabledAsync();
            // MudSelect keeps its id on a hidden input; the visible field around it opens the list.
            async Task ChooseAsync(string id, string value)
            {
                await page.Locator(".mud-select").Filter(new() { Has = page.Locator($"#{id}") }).Last.ClickAsync();
                await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasTextRegex = new Regex($"^{Regex.Escape(value)}$") }).ClickAsync();
            }
            await ChooseAsync("filter-source", source);
            await ChooseAsync("filter-stage", stage);

            await Expect(Caption(page)).ToHaveTextAsync(new Regex($@"of {expected.Total}$"));
            var rows = Rows(page);
            var count = await rows.CountAsync();
            count.ShouldBe(Math.Min(25, expected.Total));
            for (var i = 0; i < count; i++)
            {
                await Expect(Cell(rows.Nth(i), 5)).ToHaveTextAsync(source);
                await Expect(Cell(rows.Nth(i), 7)).ToHaveTextAsync(stage);
            }
            // The export links carry the same filters.
            (await page.Locator("a[href*='/api/leads/export']").First.GetAttributeAsync("href"))!
                .ShouldContain($"stage={Uri.EscapeDataString(stage)}");
        });
    }

    // The pager has two captions ("Rows per page:" and "1-25 of 300"); this is the second.
    private static ILocator Caption(IPage page) =>
        page.Locator(".mud-table-pagination-caption").Filter(new() { HasTextRegex = new Regex(@"\d+-\d+ of \d+") });

    private static ILocator Rows(IPage page) => page.Locator("#leads-table tbody tr");

    private static ILocator Cell(ILocator row, int column) => row.Locator("td").Nth(column);

    private async Task<LeadPage> ApiPageAsync(string query)
    {
        using var client = app.CreateClient();
        return (await client.GetFromJsonAsync<LeadPage>("/api/leads" + query, Json, TestContext.Current.CancellationToken))!;
    }

    /// <summary>Opens /leads in a fresh browser context, runs the test, and keeps a screenshot when it fails.</summary>
    private Task OnLeadsPageAsync(Func<IPage, Task> test, [CallerMemberName] string testName = "") =>
        browser.RunAsync(app.BaseAddress, "/leads", Timeout, test, testName);
}
