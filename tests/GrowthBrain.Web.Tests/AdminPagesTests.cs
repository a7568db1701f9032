using System.Net;
using GrowthBrain.Accounts;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GrowthBrain.Web.Tests;

/// <summary>The owner's admin pages in a real browser (auto-signed-in as the owner on loopback), SQLite.</summary>
public sealed class AdminPagesTests(SqliteWebAppFixture app, BrowserFixture browser)
    : IClassFixture<SqliteWebAppFixture>, IClassFixture<BrowserFixture>
{
    private const float Timeout = 45_000;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    static AdminPagesTests() => SetDefaultExpectTimeout(Timeout);

    [Fact]
    public async Task An_admin_adds_a_user_sees_the_one_time_password_once_and_the_person_can_sign_in_with_it()
    {
        var email = $"new-rep-{Guid.NewGuid():N}@example.com";
        string password = "";
        await browser.RunAsync(app.BaseAddress, "/admin/users", Timeout, async page =>
        {
            await Expect(page.Locator("#add-user-button")).ToBeEnabledAsync();
            await page.Locator("#new-user-email").FillAsync(email);
            await page.Locator("#new-user-name").FillAsync("Nia Newcomer");
            await page.Locator("#add-user-button").ClickAsync();

            await Expect(page.Locator("#one-time-password")).ToContainTextAsync(email);
            password = (await page.GetByTestId("generated-password").TextContentAsync())!.Trim();
            await Expect(page.Locator("#users-table")).ToContainTextAsync("Nia Newcomer");

            // Shown only once: a fresh visit to the page has no password on it.
            await page.ReloadAsync();
            await Expect(page.Locator("#users-table")).ToContainTextAsync(email);
            await Expect(page.GetByTestId("generated-password")).ToHaveCountAsync(0);
        }, nameof(An_admin_adds_a_user_sees_the_one_time_password_once_and_the_person_can_sign_in_with_it));

        password.Length.ShouldBe(20);
        using var client = SignInForms.CookieClient(app.BaseAddress);
        using var signIn = await SignInForms.SignInAsync(client, email, password, Ct);
        signIn.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        signIn.Headers.Location!.ToString().ShouldNotContain("login");
    }

    [Fact]
    public async Task The_owner_erases_a_person_from_the_privacy_page_and_the_leads_name_disappears_from_the_leads_page()
    {
        var lead = app.KnownLead;
        var name = $"{lead.FirstName} {lead.LastName}";
        await browser.RunAsync(app.BaseAddress, "/leads", Timeout, async page =>
        {
            var rows = page.Locator("#leads-table tbody tr");
            await Expect(rows).ToHaveCountAsync(25);
            await page.GetByPlaceholder("Search name, e-mail or company").FillAsync(lead.Email!);
            await Expect(rows).ToHaveCountAsync(1);
            await Expect(page.Locator("#leads-table")).ToContainTextAsync(name);

            await page.GotoAsync("/admin/privacy");
            await Expect(page.Locator("#privacy-find")).ToBeEnabledAsync();
            await page.Locator("#privacy-email").FillAsync(lead.Email!);
            await page.Locator("#privacy-find").ClickAsync();
            await Expect(page.Locator("#privacy-held")).ToContainTextAsync("1 lead(s)");
            await page.Locator("#privacy-erase").ClickAsync();
            await Expect(page.Locator("#erase-confirm-button")).ToBeDisabledAsync();
            await page.Locator("#erase-confirm-email").FillAsync(lead.Email!);
            await Expect(page.Locator("#erase-confirm-button")).ToBeEnabledAsync();
            await page.Locator("#erase-confirm-button").ClickAsync();
            await Expect(page.Locator("#erase-result")).ToContainTextAsync("Erased: 1 lead(s)");

            await page.GotoAsync("/leads");
            await Expect(rows).ToHaveCountAsync(25);
            await page.GetByPlaceholder("Search name, e-mail or company").FillAsync(lead.Email!);
            await Expect(page.GetByText("No leads match.")).ToBeVisibleAsync();
            await page.GetByPlaceholder("Search name, e-mail or company").FillAsync(lead.LastName!);
            await Expect(page.Locator("#leads-table")).Not.ToContainTextAsync(name);
        }, nameof(The_owner_erases_a_person_from_the_privacy_page_and_the_leads_name_disappears_from_the_leads_page));
    }

    [Fact]
    public async Task A_csv_uploaded_on_the_integrations_page_shows_its_summary_and_a_rejects_download()
    {
        var csv = "Email,First Name,Last Name,Company\n" +
                  "uploaded-1@upload.example,Uma,Upload,Upload Co\n" +
                  "uploaded-2@upload.example,Ulf,Upload,Upload Co\n" +
                  "not-an-address,Bad,Row,Nowhere\n";
        await browser.RunAsync(app.BaseAddress, "/integrations", Timeout, async page =>
        {
            await Expect(page.Locator("#crm-connectors")).ToContainTextAsync("HubSpot");
            await Expect(page.Locator("#csv-file")).ToBeEnabledAsync();
            await page.Locator("#csv-file").SetInputFilesAsync(new FilePayload { Name = "upload.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(csv) });

            await Expect(page.Locator("#import-summary")).ToContainTextAsync("upload.csv: 2 imported, 0 updated, 0 unchanged, 1 rejected");
            await Expect(page.Locator("#last-import")).ToContainTextAsync("2 imported");
            var href = await page.Locator("#rejects-link").GetAttributeAsync("href");
            var rejects = await page.APIRequest.GetAsync(href!);
            rejects.Status.ShouldBe(200);
            (await rejects.TextAsync()).ShouldContain("not-an-address");
        }, nameof(A_csv_uploaded_on_the_integrations_page_shows_its_summary_and_a_rejects_download));
    }

    [Fact]
    public async Task The_settings_page_shows_the_writer_without_its_key_and_saves_the_playbook()
    {
        await browser.RunAsync(app.BaseAddress, "/settings", Timeout, async page =>
        {
            await Expect(page.Locator("#pb-save")).ToBeEnabledAsync();
            await page.Locator("#pb-signature").FillAsync("Sam Carter, Northwind (settings test)");
            await page.Locator("#pb-save").ClickAsync();
            await Expect(page.Locator("#settings-message")).ToContainTextAsync("Playbook saved as version 2");

            await page.GetByRole(AriaRole.Tab, new() { Name = "Writer" }).ClickAsync();
            await Expect(page.Locator("#writer-key")).ToHaveTextAsync("not set");
            await page.Locator("#test-draft").ClickAsync();
            await Expect(page.Locator("#test-draft-result")).ToContainTextAsync("tokens");
        }, nameof(The_settings_page_shows_the_writer_without_its_key_and_saves_the_playbook));
    }
}

/// <summary>Admin pages refuse people whose role does not allow them, behind the real sign-in form.</summary>
public sealed class AdminPagesRoleTests(SignInSqliteWebAppFixture app, BrowserFixture browser)
    : IClassFixture<SignInSqliteWebAppFixture>, IClassFixture<BrowserFixture>
{
    private const float Timeout = 45_000;

    [Fact]
    public async Task A_rep_who_signs_in_is_not_allowed_on_the_users_page()
    {
        var (user, _) = await app.AddUserAsync($"rep-admin-page-{Guid.NewGuid():N}@example.com", UserRole.Rep, WebAppFixture.DefaultTeam);
        SetDefaultExpectTimeout(Timeout);

        await browser.RunAsync(app.BaseAddress, "/admin/users", Timeout, async page =>
        {
            await page.WaitForURLAsync("**/account/login**");
            await page.GetByLabel("E-mail").FillAsync(user.Email);
            await page.GetByLabel("Password", new() { Exact = true }).FillAsync(WebAppFixture.UserPassword);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

            await Expect(page.GetByText("does not give access")).ToBeVisibleAsync();
            await Expect(page.Locator("#users-table")).ToHaveCountAsync(0);
            await Expect(page.Locator("body")).Not.ToContainTextAsync(WebAppFixture.OwnerEmail);
        }, nameof(A_rep_who_signs_in_is_not_allowed_on_the_users_page));
    }
}
