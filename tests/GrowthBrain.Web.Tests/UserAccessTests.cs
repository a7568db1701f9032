using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using GrowthBrain.Accounts;
using GrowthBrain.Web.Accounts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GrowthBrain.Web.Tests;

/// <summary>Changing a person's role and teams from the API and the users page, and what their existing sign-ins can do afterwards.</summary>
public sealed class UserAccessTests(SqliteWebAppFixture app, BrowserFixture browser)
    : IClassFixture<SqliteWebAppFixture>, IClassFixture<BrowserFixture>
{
    private const float Timeout = 45_000;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    static UserAccessTests() => SetDefaultExpectTimeout(Timeout);

    private HttpClient KeyClient(string key)
    {
        var client = new HttpClient { BaseAddress = app.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    [Fact]
    public async Task A_rep_made_manager_can_use_manager_endpoints_with_the_same_api_key_at_once()
    {
        var (rep, key) = await app.AddUserAsync($"promoted-{Guid.NewGuid():N}@example.com", UserRole.Rep, WebAppFixture.DefaultTeam);
        using var repClient = KeyClient(key);
        var teamId = rep.TeamId;
        using (var before = await repClient.GetAsync($"/api/teams/{teamId}/protected-attributes", Ct))
            before.StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        using var owner = app.CreateClient();
        using (var change = await owner.PutAsJsonAsync($"/api/users/{rep.Id}/access", new { role = "Manager", homeTeam = WebAppFixture.DefaultTeam }, Ct))
        {
            var text = await change.Content.ReadAsStringAsync(Ct);
            change.StatusCode.ShouldBe(HttpStatusCode.OK, text);
            JsonDocument.Parse(text).RootElement.GetProperty("role").GetString().ShouldBe("Manager");
        }

        using var after = await repClient.GetAsync($"/api/teams/{teamId}/protected-attributes", Ct);
        after.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Bad_changes_are_problems_that_say_what_to_do()
    {
        var (rep, _) = await app.AddUserAsync($"stays-{Guid.NewGuid():N}@example.com", UserRole.Rep, WebAppFixture.DefaultTeam);
        var (_, adminKey) = await app.AddUserAsync($"admin-{Guid.NewGuid():N}@example.com", UserRole.Admin, WebAppFixture.DefaultTeam);
        using var admin = KeyClient(adminKey);
        using var owner = app.CreateClient();

        using (var toOwner = await admin.PutAsJsonAsync($"/api/users/{rep.Id}/access", new { role = "Owner", homeTeam = WebAppFixture.DefaultTeam }, Ct))
        {
            toOwner.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await toOwner.Content.ReadAsStringAsync(Ct)).ShouldContain("Only an owner");
        }
        using (var noTeam = await owner.PutAsJsonAsync($"/api/users/{rep.Id}/access", new { role = "Rep", homeTeam = "Atlantis" }, Ct))
        {
            noTeam.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            (await noTeam.Content.ReadAsStringAsync(Ct)).ShouldContain("There is no team 'Atlantis'; use one of:");
        }
        using (var noUser = await owner.PutAsJsonAsync("/api/users/987654321/access", new { role = "Rep", homeTeam = WebAppFixture.DefaultTeam }, Ct))
            noUser.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var (repUser, repKey) = await app.AddUserAsync($"rep-{Guid.NewGuid():N}@example.com", UserRole.Rep, WebAppFixture.DefaultTeam);
        using var repClient = KeyClient(repKey);
        using (var byRep = await repClient.PutAsJsonAsync($"/api/users/{repUser.Id}/access", new { role = "Owner", homeTeam = WebAppFixture.DefaultTeam }, Ct))
            byRep.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_owner_changes_a_role_on_the_users_page_and_the_table_shows_it()
    {
        var email = $"page-{Guid.NewGuid():N}@example.com";
        await app.AddUserAsync(email, UserRole.Rep, WebAppFixture.DefaultTeam);

        await browser.RunAsync(app.BaseAddress, "/admin/users", Timeout, async page =>
        {
            var row = page.Locator($"#users-table tr[data-email='{email}']");
            await Expect(row).ToContainTextAsync("Rep");
            await row.GetByRole(AriaRole.Button, new() { Name = $"Change role or teams of {email}" }).ClickAsync();
            // MudSelect keeps its id on a hidden input; the visible field around it opens the list.
            await page.Locator(".mud-select").Filter(new() { Has = page.Locator("#edit-role") }).Last.ClickAsync();
            await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "Manager" }).ClickAsync();
            await page.Locator("#save-access").ClickAsync();

            await Expect(page.Locator(".access-editor")).ToHaveCountAsync(0);
            await Expect(row.Locator("td").Nth(2)).ToHaveTextAsync("Manager");
        }, nameof(The_owner_changes_a_role_on_the_users_page_and_the_table_shows_it));
    }
}

/// <summary>What an open page (a circuit) checks every minute: the sign-in still matches the person.</summary>
public sealed class SessionRevalidatorTests(SqliteWebAppFixture app) : IClassFixture<SqliteWebAppFixture>
{
    [Fact]
    public async Task A_page_signed_in_before_a_change_of_access_or_a_lockout_loses_its_user_and_an_untouched_one_keeps_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var (changed, _) = await app.AddUserAsync($"changed-{Guid.NewGuid():N}@example.com", UserRole.Rep, WebAppFixture.DefaultTeam);
        var (untouched, _) = await app.AddUserAsync($"untouched-{Guid.NewGuid():N}@example.com", UserRole.Rep, WebAppFixture.DefaultTeam);
        var (locked, _) = await app.AddUserAsync($"locked-{Guid.NewGuid():N}@example.com", UserRole.Rep, WebAppFixture.DefaultTeam);

        await using var scope = app.Services.CreateSystemScope("tests");
        var services = scope.ServiceProvider;
        var users = services.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<User>>();
        var signIn = services.GetRequiredService<Microsoft.AspNetCore.Identity.IUserClaimsPrincipalFactory<User>>();
        var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Identity.IdentityOptions>>().Value;
        async Task<System.Security.Claims.ClaimsPrincipal> PrincipalAsync(long id) => await signIn.CreateAsync((await users.FindByIdAsync(id.ToString(System.Globalization.CultureInfo.InvariantCulture)))!);
        var pages = new[] { await PrincipalAsync(changed.Id), await PrincipalAsync(untouched.Id), await PrincipalAsync(locked.Id) };

        await services.GetRequiredService<ChangeUserAccessHandler>()
            .HandleAsync(new ChangeUserAccess(changed.Id, UserRole.Manager, WebAppFixture.DefaultTeam, null, UserRole.Owner, "owner@tests.example"), ct);
        await services.GetRequiredService<SetUserLockoutHandler>()
            .HandleAsync(new SetUserLockout(locked.Id, true, UserRole.Owner, "owner@tests.example"), ct);

        // Fresh managers, as each check gets its own scope.
        await using var check = app.Services.CreateSystemScope("tests");
        var fresh = check.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<User>>();
        (await Web.Accounts.SessionRevalidator.IsStillValidAsync(fresh, pages[0], options)).ShouldBeFalse("the role changed");
        (await Web.Accounts.SessionRevalidator.IsStillValidAsync(fresh, pages[1], options)).ShouldBeTrue();
        (await Web.Accounts.SessionRevalidator.IsStillValidAsync(fresh, pages[2], options)).ShouldBeFalse("locked out");
    }
}
