using System.Runtime.CompilerServices;
using GrowthBrain.Accounts;
using GrowthBrain.Audit;
using GrowthBrain.Data;
using GrowthBrain.Web.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GrowthBrain.Web.Tests;

/// <summary>The app with OpenID Connect pointed at a loopback provider, and no automatic sign-in.</summary>
public sealed class OidcSqliteWebAppFixture : SqliteWebAppFixture
{
    public FakeOidcProvider Oidc { get; } = FakeOidcProvider.StartAsync().GetAwaiter().GetResult();

    protected override bool AutoSignIn => false;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Accounts:Oidc:Authority", Oidc.Authority),
        new("Accounts:Oidc:ClientId", FakeOidcProvider.ClientId),
        new("Accounts:Oidc:ClientSecret", FakeOidcProvider.ClientSecret),
        new("Accounts:Oidc:DisplayName", "Example SSO"),
        // The provider listens on plain http on loopback; a real one must be https.
        new("Accounts:Oidc:RequireHttpsMetadata", "false"),
    ];

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Oidc.DisposeAsync();
    }
}

/// <summary>
/// Single sign-on end to end in Chromium: the sign-in page's link, the provider's form_post, the code exchange with
/// PKCE and the id_token check, then GrowthBrain's own rule — only people an owner added get in, and a provider that
/// calls the address unverified is not trusted with it. Each case is audited. Tests share one provider, so they run in order.
/// </summary>
[Collection(nameof(SingleSignOnTests))]
public sealed class SingleSignOnTests(OidcSqliteWebAppFixture app, BrowserFixture browser)
    : IClassFixture<OidcSqliteWebAppFixture>, IClassFixture<BrowserFixture>
{
    private const float Timeout = 45_000;

    static SingleSignOnTests() => SetDefaultExpectTimeout(Timeout);

    private async Task<List<AuditEntry>> AuditAsync(string action)
    {
        await using var scope = app.Services.CreateSystemScope("tests");
        var db = scope.ServiceProvider.GetRequiredService<GrowthBrainDb>();
        return await db.AuditEntries.AsNoTracking().Where(a => a.Action == action).OrderBy(a => a.Id).ToListAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_person_an_owner_added_signs_in_through_the_provider_and_lands_where_they_were_going()
    {
        await app.AddUserAsync("sso.rep@example.com", UserRole.Rep, WebAppFixture.DefaultTeam);
        app.Oidc.SignedInEmail = "sso.rep@example.com";
        app.Oidc.EmailVerified = true;
        var tokens = app.Oidc.TokensIssued;

        await OnPageAsync("/leads", async page =>
        {
            await page.WaitForURLAsync("**/account/login**");
            await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Example SSO" }).ClickAsync();
            await page.WaitForURLAsync("**/leads");
            await Expect(page.GetByTestId("signed-in-as")).ToContainTextAsync("(Rep)");
        });

        app.Oidc.TokensIssued.ShouldBe(tokens + 1);
        (await AuditAsync("user.signed-in")).ShouldContain(a => a.Actor == "sso.rep@example.com" && a.Detail == "single sign-on");
    }

    [Fact]
    public async Task Someone_no_owner_added_is_sent_back_to_the_sign_in_page_with_what_to_do()
    {
        app.Oidc.SignedInEmail = "stranger@example.com";
        app.Oidc.EmailVerified = true;

        await OnPageAsync("/account/login", async page =>
        {
            await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Example SSO" }).ClickAsync();
            await page.WaitForURLAsync("**/account/login?sso=unknown-user");
            await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("no GrowthBrain user has that e-mail address. Ask an owner to add you");
            await Expect(page.GetByTestId("signed-in-as")).ToHaveCountAsync(0);
        });

        (await AuditAsync("user.sign-in-failed")).ShouldContain(a => a.Actor == "stranger@example.com" && a.Detail == $"single sign-on: {OidcSignIn.UnknownUser}");
    }

    [Fact]
    public async Task An_address_the_provider_calls_unverified_does_not_open_the_account_that_has_it()
    {
        await app.AddUserAsync("sso.owner.lookalike@example.com", UserRole.Owner, WebAppFixture.DefaultTeam);
        app.Oidc.SignedInEmail = "sso.owner.lookalike@example.com";
        app.Oidc.EmailVerified = false;

        await OnPageAsync("/account/login", async page =>
        {
            await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Example SSO" }).ClickAsync();
            await page.WaitForURLAsync("**/account/login?sso=unverified-email");
            await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not verified");
        });

        (await AuditAsync("user.sign-in-failed")).ShouldContain(a => a.Actor == "sso.owner.lookalike@example.com" && a.Detail == $"single sign-on: {OidcSignIn.UnverifiedEmail}");
    }

    [Fact]
    public async Task A_provider_that_sends_no_email_verified_claim_is_trusted_as_Entra_ID_is()
    {
        await app.AddUserAsync("entra.user@example.com", UserRole.Manager, WebAppFixture.DefaultTeam);
        app.Oidc.SignedInEmail = "entra.user@example.com";
        app.Oidc.EmailVerified = null;

        await OnPageAsync("/account/login?returnUrl=%2Fteam", async page =>
        {
            await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Example SSO" }).ClickAsync();
            await page.WaitForURLAsync("**/team");
            await Expect(page.GetByTestId("signed-in-as")).ToContainTextAsync("(Manager)");
        });
    }

    private Task OnPageAsync(string path, Func<IPage, Task> test, [CallerMemberName] string name = "") =>
        browser.RunAsync(app.BaseAddress, path, Timeout, test, name);
}
