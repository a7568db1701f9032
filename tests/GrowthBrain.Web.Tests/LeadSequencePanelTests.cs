using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using GrowthBrain.Data;
using GrowthBrain.Leads;
using GrowthBrain.Web.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GrowthBrain.Web.Tests;

/// <summary>The sequence section of the lead page in a real browser: state, next step, pause, resume and stop.</summary>
public sealed class LeadSequencePanelTests(SqliteWebAppFixture app, BrowserFixture browser) : IClassFixture<SqliteWebAppFixture>, IClassFixture<BrowserFixture>
{
    private const float Timeout = 45_000;

    static LeadSequencePanelTests() => SetDefaultExpectTimeout(Timeout);

    [Fact]
    public async Task The_lead_page_shows_the_sequence_and_a_rep_pauses_resumes_and_stops_it_there()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = app.CreateClient();
        var created = await client.PostAsJsonAsync("/api/sequences", new
        {
            name = "Demo follow-up",
            steps = new object[] { new { delayDays = 0, kind = "Email" }, new { delayDays = 7, kind = "CallTask", title = "Call" } },
        }, ct);
        created.EnsureSuccessStatusCode();
        var sequenceId = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(ct)).GetProperty("id").GetInt64();
        long leadId;
        await using (var scope = app.Services.CreateSystemScope("tests"))
        {
            var db = scope.ServiceProvider.GetRequiredService<GrowthBrainDb>();
            leadId = await db.Leads.Where(l => l.Outcome == LeadOutcome.Open && l.Email != null).OrderByDescending(l => l.Id).Select(l => l.Id).FirstAsync(ct);
        }
        (await client.PostAsJsonAsync($"/api/leads/{leadId}/sequence", new { sequenceId }, ct)).EnsureSuccessStatusCode();

        await OnPageAsync($"/leads/{leadId}", async page =>
        {
            await Expect(page.Locator("#sequence-state")).ToContainTextAsync("Demo follow-up: running");
            await Expect(page.Locator("#sequence-next")).ToContainTextAsync("Step 1 of 2: Email");
            await Expect(page.Locator("#sequence-pause")).ToBeEnabledAsync();
            await page.Locator("#sequence-pause").ClickAsync();
            await Expect(page.Locator("#sequence-state")).ToContainTextAsync("paused");
            await page.Locator("#sequence-resume").ClickAsync();
            await Expect(page.Locator("#sequence-state")).ToContainTextAsync("running");
            await page.Locator("#sequence-stop").ClickAsync();
            await Expect(page.Locator("#sequence-last")).ToContainTextAsync("stopped (Manual)");
            await Expect(page.Locator("#sequence-enrol")).ToBeVisibleAsync();
        });
    }

    private Task OnPageAsync(string path, Func<IPage, Task> test, [CallerMemberName] string testName = "") =>
        browser.RunAsync(app.BaseAddress, path, Timeout, test, testName);
}
