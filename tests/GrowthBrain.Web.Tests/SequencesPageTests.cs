using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using GrowthBrain.Accounts;
using GrowthBrain.Data;
using GrowthBrain.Sequences;
using GrowthBrain.Web.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GrowthBrain.Web.Tests;

/// <summary>/sequences in a real browser (SQLite): a manager creates and edits a sequence and reads the handlers' messages; the lead page's Done button.</summary>
public sealed class SequencesPageTests(SqliteWebAppFixture app, BrowserFixture browser) : IClassFixture<SqliteWebAppFixture>, IClassFixture<BrowserFixture>
{
    private const float Timeout = 45_000;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    static SequencesPageTests() => SetDefaultExpectTimeout(Timeout);

    [Fact]
    public async Task A_manager_creates_a_sequence_sees_what_to_fix_adds_a_step_reorders_by_keyboard_and_pauses_it()
    {
        await browser.RunAsync(app.BaseAddress, "/sequences", Timeout, async page =>
        {
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sequences" })).ToBeVisibleAsync();
            await Expect(page.Locator("#sequences-empty")).ToContainTextAsync("Create one with New sequence");
            await Expect(page.Locator("#new-sequence")).ToBeEnabledAsync();
            await page.Locator("#new-sequence").ClickAsync();

            // No name: the handler's message, in the editor.
            await page.Locator("#save-sequence").ClickAsync();
            await Expect(page.Locator("#editor-message")).ToContainTextAsync("name is empty; give the sequence a name reps will recognise.");

            await page.GetByLabel("Name").FillAsync("Webinar follow-up");
            await page.Locator("#add-step").ClickAsync();
            await page.GetByLabel("Step 2 kind").SelectOptionAsync("CallTask");
            await page.Locator("#step-2-delay").FillAsync("400");
            await page.Locator("#step-2-title").FillAsync("Call about the webinar");
            // Every control of the editor (both step kinds) has a name a screen reader can read.
            var problems = await page.EvaluateAsync<string[]>(AccessibilityTests.Audit);
            problems.ShouldBeEmpty(string.Join("\n", problems));
            await page.Locator("#save-sequence").ClickAsync();
            await Expect(page.Locator("#editor-message")).ToContainTextAsync("step 2: delayDays is 400; use 0 to 365 days after the previous step.");

            await page.Locator("#step-2-delay").FillAsync("2");
            await page.Locator("#save-sequence").ClickAsync();
            await Expect(page.Locator("#sequence-editor")).ToHaveCountAsync(0);
            var card = page.Locator(".sequence-card", new() { HasText = "Webinar follow-up" });
            var rows = card.Locator("tr.step");
            await Expect(rows).ToHaveCountAsync(2);
            await Expect(rows.Nth(0)).ToContainTextAsync("E-mail");
            await Expect(rows.Nth(1)).ToContainTextAsync("Call about the webinar");
            await Expect(rows.Nth(1)).ToContainTextAsync("2 days after the previous step");
            await Expect(card.Locator(".sequence-counts")).ToContainTextAsync("0 enrolled");

            // Edit: the call goes first, moved with the keyboard.
            await card.Locator(".edit-sequence").ClickAsync();
            var up = page.GetByRole(AriaRole.Button, new() { Name = "Move step 2 up" });
            await up.FocusAsync();
            await page.Keyboard.PressAsync("Enter");
            await Expect(page.Locator("#step-1-title")).ToHaveValueAsync("Call about the webinar");
            await page.Locator("#save-sequence").ClickAsync();
            await Expect(rows.Nth(0)).ToContainTextAsync("Call task");
            await Expect(rows.Nth(1)).ToContainTextAsync("E-mail");

            await card.Locator(".pause-sequence").ClickAsync();
            await Expect(card.Locator(".sequence-paused")).ToBeVisibleAsync();
        }, nameof(A_manager_creates_a_sequence_sees_what_to_fix_adds_a_step_reorders_by_keyboard_and_pauses_it));

        // What the page saved: the same two steps, moved (ids kept), and paused.
        using var client = app.CreateClient();
        var saved = (await client.GetFromJsonAsync<List<SequenceView>>("/api/sequences", Json, Ct))!.Single(s => s.Name == "Webinar follow-up");
        saved.Steps.Select(s => (s.Id, s.Kind)).ShouldBe([(2, StepKind.CallTask), (1, StepKind.Email)]);
        saved.Paused.ShouldBeTrue();
    }

    [Fact]
    public async Task A_rep_marks_a_call_task_done_on_the_lead_page()
    {
        var lead = app.KnownLead;
        await using (var scope = app.Services.CreateSystemScope("tests"))
        {
            var db = scope.ServiceProvider.GetRequiredService<GrowthBrainDb>();
            db.LeadTasks.Add(new LeadTask { TeamId = lead.TeamId, LeadId = lead.Id, Kind = StepKind.CallTask, Title = "Call about the pilot", DueAt = DateTime.UtcNow, CreatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync(Ct);
        }
        await browser.RunAsync(app.BaseAddress, $"/leads/{lead.Id}", Timeout, async page =>
        {
            var done = page.GetByRole(AriaRole.Button, new() { Name = "Mark done: Call about the pilot" });
            await Expect(done).ToBeEnabledAsync();
            await done.ClickAsync();
            await Expect(page.GetByText("Done: Call about the pilot.")).ToBeVisibleAsync();
            await Expect(page.Locator("#sequence-tasks")).ToHaveCountAsync(0);
        }, nameof(A_rep_marks_a_call_task_done_on_the_lead_page));
    }

}

/// <summary>A rep signed in through the real form sees the sequences but no editing controls.</summary>
public sealed class SequencesPageRoleTests(SignInSqliteWebAppFixture app, BrowserFixture browser)
    : IClassFixture<SignInSqliteWebAppFixture>, IClassFixture<BrowserFixture>
{
    private const float Timeout = 45_000;

    [Fact]
    public async Task A_rep_sees_the_steps_but_cannot_edit()
    {
        var ct = TestContext.Current.CancellationToken;
        SetDefaultExpectTimeout(Timeout);
        await using (var scope = app.Services.CreateSystemScope("tests"))
        {
            await scope.ServiceProvider.GetRequiredService<CreateSequenceHandler>().HandleAsync(new CreateSequence(1, "Visible to reps",
                [new SequenceStep(0, StepKind.Email), new SequenceStep(3, StepKind.Task, Title: "Send the brochure")], "manager@example.com"), ct);
        }
        var (user, _) = await app.AddUserAsync($"rep-sequences-{Guid.NewGuid():N}@example.com", UserRole.Rep, WebAppFixture.DefaultTeam);
        await browser.RunAsync(app.BaseAddress, "/sequences", Timeout, async page =>
        {
            await page.WaitForURLAsync("**/account/login**");
            await page.GetByLabel("E-mail").FillAsync(user.Email);
            await page.GetByLabel("Password", new() { Exact = true }).FillAsync(WebAppFixture.UserPassword);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

            var card = page.Locator(".sequence-card", new() { HasText = "Visible to reps" });
            await Expect(card.Locator("tr.step").Nth(1)).ToContainTextAsync("Send the brochure");
            await Expect(page.Locator("#read-only-note")).ToBeVisibleAsync();
            await Expect(page.Locator("#new-sequence")).ToHaveCountAsync(0);
            await Expect(card.Locator(".edit-sequence")).ToHaveCountAsync(0);
        }, nameof(A_rep_sees_the_steps_but_cannot_edit));
    }
}
