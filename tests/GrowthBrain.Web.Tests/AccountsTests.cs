using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GrowthBrain.Accounts;

namespace GrowthBrain.Web.Tests;

/// <summary>Sign-in, roles, API keys and the security basics over real HTTP, on SQLite and PostgreSQL.</summary>
public abstract class AccountsTests<TFixture>(TFixture app) : IClassFixture<TFixture>
    where TFixture : WebAppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(status, body);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    [Fact]
    public async Task The_api_without_a_key_or_session_answers_401_with_what_to_do()
    {
        using var client = app.CreateClient(apiKey: null);

        using var response = await client.GetAsync("/api/leads", Ct);

        var problem = await ProblemAsync(response, HttpStatusCode.Unauthorized);
        problem.GetProperty("detail").GetString()!.ShouldContain("API key");
    }

    [Fact]
    public async Task A_made_up_or_malformed_api_key_is_refused()
    {
        foreach (var key in new[] { "gb_000000000000_" + new string('x', 43), "not-a-key", "gb_", app.OwnerApiKey + "x" })
        {
            using var client = app.CreateClient(key);
            using var response = await client.GetAsync("/api/leads", Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, key);
        }
    }

    [Fact]
    public async Task A_page_without_a_session_sends_the_browser_to_sign_in()
    {
        using var client = SignInForms.CookieClient(app.BaseAddress);

        using var response = await client.GetAsync("/leads", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().ShouldContain("/account/login");
    }

    [Fact]
    public async Task Signing_in_opens_the_app_and_a_wrong_password_says_so_without_telling_whether_the_account_exists()
    {
        using var client = SignInForms.CookieClient(app.BaseAddress);

        using var wrong = await SignInForms.SignInAsync(client, WebAppFixture.OwnerEmail, "not the password at all", Ct);
        var wrongHtml = await wrong.Content.ReadAsStringAsync(Ct);
        using var unknown = await SignInForms.SignInAsync(client, "nobody@example.com", "not the password at all", Ct);
        var unknownHtml = await unknown.Content.ReadAsStringAsync(Ct);
        wrongHtml.ShouldContain("That e-mail and password do not match");
        unknownHtml.ShouldContain("That e-mail and password do not match");

        using var right = await SignInForms.SignInAsync(client, WebAppFixture.OwnerEmail, WebAppFixture.OwnerPassword, Ct);
        right.StatusCode.ShouldBe(HttpStatusCode.Redirect, await right.Content.ReadAsStringAsync(Ct));
        using var page = await client.GetAsync("/leads", Ct);
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await page.Content.ReadAsStringAsync(Ct)).ShouldContain("Olivia Owner (Owner)");

        // The session works for the API too, as the browser's own calls need.
        var body = await client.GetFromJsonAsync<JsonElement>("/api/account", Ct);
        body.GetProperty("role").GetString().ShouldBe("Owner");
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_for_the_right_one()
    {
        var (user, _) = await app.AddUserAsync($"locked-{Guid.NewGuid():N}@example.com", UserRole.Rep, WebAppFixture.DefaultTeam);
        using var client = SignInForms.CookieClient(app.BaseAddress);
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await SignInForms.SignInAsync(client, user.Email, "wrong password " + i, Ct);
        }

        using var right = await SignInForms.SignInAsync(client, user.Email, WebAppFixture.UserPassword, Ct);

        right.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await right.Content.ReadAsStringAsync(Ct)).ShouldContain("locked for 15 minutes");
    }

    [Fact]
    public async Task A_read_only_key_can_read_but_not_change_anything()
    {
        var (_, key) = await app.AddUserAsync($"reader-{Guid.NewGuid():N}@example.com", UserRole.Owner, WebAppFixture.DefaultTeam, ApiKeyScopes.Read);
        using var client = app.CreateClient(key);

        using var read = await client.GetAsync("/api/leads", Ct);
        using var write = await client.PostAsJsonAsync("/api/models/train", new { }, Ct);

        read.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ProblemAsync(write, HttpStatusCode.Forbidden)).GetProperty("detail").GetString()!.ShouldContain("'write' scope");
    }

    [Fact]
    public async Task Revoking_someone_elses_key_needs_the_admin_scope_but_a_write_key_may_revoke_itself()
    {
        var (_, writerKey) = await app.AddUserAsync($"writer-{Guid.NewGuid():N}@example.com", UserRole.Owner, WebAppFixture.DefaultTeam,
            ApiKeyScopes.Read | ApiKeyScopes.Write);
        var (_, otherKey) = await app.AddUserAsync($"other-{Guid.NewGuid():N}@example.com", UserRole.Rep, WebAppFixture.DefaultTeam);
        using var writer = app.CreateClient(writerKey);
        using var other = app.CreateClient(otherKey);
        var otherKeyId = (await other.GetFromJsonAsync<JsonElement>("/api/account/api-keys", Ct))[0].GetProperty("id").GetInt64();
        var writerKeyId = (await writer.GetFromJsonAsync<JsonElement>("/api/account/api-keys", Ct))[0].GetProperty("id").GetInt64();

        using var refused = await writer.DeleteAsync($"/api/account/api-keys/{otherKeyId}", Ct);

        (await ProblemAsync(refused, HttpStatusCode.Forbidden)).GetProperty("detail").GetString()!.ShouldContain("'admin' scope");
        (await other.GetAsync("/api/leads", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var own = await writer.DeleteAsync($"/api/account/api-keys/{writerKeyId}", Ct);
        own.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await writer.GetAsync("/api/leads", Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_revoked_key_stops_working_at_once()
    {
        using var owner = app.CreateClient();
        using var created = await owner.PostAsJsonAsync("/api/account/api-keys", new { name = "to revoke", scopes = new[] { "read" } }, Ct);
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));
        var body = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var key = body.GetProperty("key").GetString()!;
        var id = body.GetProperty("id").GetInt64();
        using (var client = app.CreateClient(key))
        {
            (await client.GetAsync("/api/leads", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        using var revoked = await owner.DeleteAsync($"/api/account/api-keys/{id}", Ct);
        revoked.StatusCode.ShouldBe(HttpStatusCode.NoContent);

        using var after = app.CreateClient(key);
        (await after.GetAsync("/api/leads", Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        // The list shows the key as revoked and never its secret.
        var listed = await owner.GetStringAsync("/api/account/api-keys", Ct);
        listed.ShouldNotContain(key);
        listed.ShouldContain("\"revokedAt\":\"");
    }

    [Fact]
    public async Task A_rep_cannot_train_promote_manage_users_or_read_the_audit_log_but_an_owner_can()
    {
        var (_, repKey) = await app.AddUserAsync($"rep-{Guid.NewGuid():N}@example.com", UserRole.Rep, WebAppFixture.DefaultTeam);
        using var rep = app.CreateClient(repKey);
        using var owner = app.CreateClient();

        foreach (var (method, path) in new[] { ("POST", "/api/models/train"), ("POST", "/api/models/1/promote"), ("POST", "/api/models/rollback"),
                     ("GET", "/api/users"), ("POST", "/api/users"), ("GET", "/api/audit"), ("GET", "/api/audit/export") })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "POST" ? JsonContent.Create(new { }) : null };
            using var response = await rep.SendAsync(request, Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.Forbidden, $"{method} {path} as a rep");
        }

        (await owner.GetAsync("/api/audit", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await owner.GetAsync("/api/users", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Sign_ins_key_changes_and_user_changes_are_in_the_owners_audit_log()
    {
        using var cookie = SignInForms.CookieClient(app.BaseAddress);
        using (await SignInForms.SignInAsync(cookie, WebAppFixture.OwnerEmail, WebAppFixture.OwnerPassword, Ct)) { }
        using var owner = app.CreateClient();
        using (await owner.PostAsJsonAsync("/api/users", new { email = $"new-{Guid.NewGuid():N}@example.com", displayName = "New Rep", role = "Rep", password = "long enough password" }, Ct)) { }

        var log = await owner.GetFromJsonAsync<JsonElement>("/api/audit?pageSize=200", Ct);
        var actions = log.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        actions.ShouldContain("user.signed-in");
        actions.ShouldContain("user.created");
        actions.ShouldContain("apikey.created");

        var csv = await owner.GetStringAsync("/api/audit/export", Ct);
        csv.ShouldStartWith("id,at,actor,action,team_id,subject_kind,subject_id,detail");
        csv.ShouldContain("user.signed-in");
    }

    [Fact]
    public async Task Only_an_owner_adds_an_owner_and_bad_user_input_is_a_400_that_says_what_to_fix()
    {
        var (_, adminKey) = await app.AddUserAsync($"admin-{Guid.NewGuid():N}@example.com", UserRole.Admin, WebAppFixture.DefaultTeam);
        using var admin = app.CreateClient(adminKey);

        using var owner = await admin.PostAsJsonAsync("/api/users", new { email = "x@example.com", displayName = "X", role = "Owner", password = "long enough password" }, Ct);
        using var badEmail = await admin.PostAsJsonAsync("/api/users", new { email = "not an address", displayName = "X", role = "Rep", password = "long enough password" }, Ct);
        using var shortPassword = await admin.PostAsJsonAsync("/api/users", new { email = "short@example.com", displayName = "X", role = "Rep", password = "short" }, Ct);

        await ProblemAsync(owner, HttpStatusCode.Forbidden);
        (await ProblemAsync(badEmail, HttpStatusCode.BadRequest)).GetProperty("detail").GetString()!.ShouldContain("is not an e-mail address");
        (await ProblemAsync(shortPassword, HttpStatusCode.BadRequest)).GetProperty("detail").GetString()!.ShouldContain("12");
    }

    [Fact]
    public async Task Pages_and_the_api_carry_security_headers()
    {
        using var client = app.CreateClient();
        foreach (var path in new[] { "/api/leads", "/account/login" })
        {
            using var response = await client.GetAsync(path, Ct);
            response.Headers.GetValues("X-Content-Type-Options").ShouldContain("nosniff");
            response.Headers.GetValues("X-Frame-Options").ShouldContain("DENY");
            string.Join(";", response.Headers.GetValues("Content-Security-Policy")).ShouldContain("frame-ancestors 'none'");
        }
    }
}

public sealed class AccountsTests_Sqlite(SignInSqliteWebAppFixture app) : AccountsTests<SignInSqliteWebAppFixture>(app);

public sealed class AccountsTests_Postgres(SignInPostgresWebAppFixture app) : AccountsTests<SignInPostgresWebAppFixture>(app);

/// <summary>A fresh installation asks for its owner and nothing else works until then.</summary>
public sealed class FirstRunTests(FreshSqliteWebAppFixture app) : IClassFixture<FreshSqliteWebAppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_fresh_installation_sends_pages_to_set_up_answers_the_api_401_and_creates_the_owner_once()
    {
        using var client = SignInForms.CookieClient(app.BaseAddress);
        using var anonymousApi = app.CreateClient(apiKey: null);

        using var home = await client.GetAsync("/", Ct);
        home.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        home.Headers.Location!.ToString().ShouldBe("/setup");
        (await anonymousApi.GetAsync("/api/leads", Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        using var created = await SignInForms.PostFormAsync(client, "/setup", "setup", new Dictionary<string, string>
        {
            ["Input.Name"] = "First Owner", ["Input.Email"] = "first@example.com", ["Input.Password"] = "a long first password", ["Input.Team"] = "Sales EMEA",
        }, Ct);
        created.StatusCode.ShouldBe(HttpStatusCode.Redirect, await created.Content.ReadAsStringAsync(Ct));

        // Signed in straight away, as the owner of the renamed first team.
        var me = await client.GetFromJsonAsync<JsonElement>("/api/account", Ct);
        me.GetProperty("role").GetString().ShouldBe("Owner");

        // The page cannot be used again to make a second owner.
        using var other = SignInForms.CookieClient(app.BaseAddress);
        var again = await (await other.GetAsync("/setup", Ct)).Content.ReadAsStringAsync(Ct);
        again.ShouldContain("Already set up");
    }
}

/// <summary>Guessing passwords quickly hits the sign-in limit before the lockout even matters.</summary>
public sealed class SignInRateLimitTests(RateLimitedSqliteWebAppFixture app) : IClassFixture<RateLimitedSqliteWebAppFixture>
{
    [Fact]
    public async Task The_fourth_sign_in_attempt_in_a_minute_is_a_429_with_retry_after()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = SignInForms.CookieClient(app.BaseAddress);
        for (var i = 0; i < 3; i++)
        {
            using var attempt = await SignInForms.SignInAsync(client, "someone@example.com", "guess " + i, ct);
            attempt.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        using var limited = await SignInForms.SignInAsync(client, "someone@example.com", "guess 4", ct);

        limited.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        limited.Headers.RetryAfter.ShouldNotBeNull();
    }
}
