using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GrowthBrain.Web.Tests;

/// <summary>"Who do I call next, and why?" answered at the top of the Overview and the Leads page, in a real browser.</summary>
public sealed class CallNextPageTests(ScoredSqliteWebAppFixture app, BrowserFixture browser)
    : IClassFixture<ScoredSqliteWebAppFixture>, IClassFixture<BrowserFixture>
{
    private const float Timeout = 45_000;

    static CallNextPageTests() => SetDefaultExpectTimeout(Timeout);

    private sealed record QueueItem(long Id, string Name, double Probability, string Grade);

    [Fact]
    public async Task The_overview_opens_with_five_leads_to_call_each_with_why_and_the_first_opens_its_lead_page()
    {
        using var client = app.CreateClient();
        var queue = (await client.GetFromJsonAsync<List<QueueItem>>("/api/leads/call-next", TestContext.Current.CancellationToken))!;
        queue.Count.ShouldBe(5);

        await OnPageAsync("/", async page =>
        {
            var items = page.Locator("#call-next .call-next-item");
            await Expect(items).ToHaveCountAsync(5);
            for (var i = 0; i < queue.Count; i++)
            {
                await Expect(items.Nth(i)).ToHaveAttributeAsync("data-lead", queue[i].Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
                await Expect(items.Nth(i).Locator(".call-next-name")).ToHaveTextAsync(queue[i].Name);
                await Expect(items.Nth(i).Locator(".grade-chip")).ToHaveTextAsync(queue[i].Grade);
            }
            await Expect(items.First.Locator(".call-next-why")).ToContainTextAsync("Why:");

            await items.First.Locator(".call-next-name").ClickAsync();
            await page.WaitForURLAsync($"**/leads/{queue[0].Id}");
            await Expect(page.Locator("#lead-name")).ToHaveTextAsync(queue[0].Name);
        });
    }

    [Fact]
    public async Task The_leads_page_shows_the_same_queue_above_the_table()
    {
        await OnPageAsync("/leads", async page =>
        {
            await Expect(page.Locator("#call-next .call-next-item")).ToHaveCountAsync(5);
            await Expect(page.Locator("#leads-table tbody tr").First).ToBeVisibleAsync();
        });
    }

    [Fact]
    public async Task A_count_outside_1_to_25_is_a_problem_saying_the_range()
    {
        using var client = app.CreateClient();
        using var response = await client.GetAsync("/api/leads/call-next?count=500", TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("1 to 25");
    }

    private Task OnPageAsync(string path, Func<IPage, Task> test, [CallerMemberName] string name = "") =>
        browser.RunAsync(app.BaseAddress, path, Timeout, test, name);
}
