using System.Globalization;
using System.Security.Claims;
using GrowthBrain.Accounts;
using GrowthBrain.Audit;
using GrowthBrain.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace GrowthBrain.Web.Accounts;

public sealed record Me(long Id, string Email, string DisplayName, UserRole Role, IReadOnlyList<long> Teams, string? ApiKey);

public sealed record ApiKeyView(long Id, string Name, string Prefix, IReadOnlyList<string> Scopes, DateTime CreatedAt,
    DateTime? ExpiresAt, DateTime? LastUsedAt, DateTime? RevokedAt);

public sealed record NewApiKey(string Name, IReadOnlyList<string>? Scopes, int? ExpiresInDays);

public sealed record AccessBody(UserRole Role, string? HomeTeam, IReadOnlyList<string>? OtherTeams);

public sealed record UserView(long Id, string Email, string DisplayName, UserRole Role, long TeamId, bool LockedOut, DateTime CreatedAt);

public sealed record NewUser(string Email, string DisplayName, UserRole Role, string Password, string? Team, IReadOnlyList<string>? ExtraTeams);

public static class AccountsApi
{
    public static void MapAccountsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/account/logout", async (SignInManager<User> signIn, HttpContext http, AuditLog audit, GrowthBrainDb db, TeamScope scope) =>
        {
            await audit.RecordAsync(db, scope.Actor, "user.signed-out", scope.HomeTeamId, "user", http.User.FindFirstValue(ClaimTypes.NameIdentifier), ct: http.RequestAborted);
            await signIn.SignOutAsync();
            // Keeps the demo's automatic sign-in from signing this browser straight back in.
            http.Response.Cookies.Append(SignInServices.SignedOutCookie, "1", new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax });
            return TypedResults.LocalRedirect("/account/login");
        }).ExcludeFromDescription();

        var account = app.MapGroup("/api/account").WithTags("Accounts");
        account.MapGet("/", (ClaimsPrincipal user, TeamScope scope) => TypedResults.Ok(new Me(
            long.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!, CultureInfo.InvariantCulture), user.FindFirstValue(ClaimTypes.Email) ?? "",
            user.FindFirstValue("gb:display-name") ?? "", scope.Role ?? UserRole.Rep,
            user.FindAll(TeamScope.TeamClaim).Select(c => long.Parse(c.Value, CultureInfo.InvariantCulture)).ToList(), user.FindFirstValue("gb:api-key"))))
            .WithSummary("Who is signed in: role and teams");

        account.MapGet("/api-keys", async (ClaimsPrincipal user, ListApiKeysHandler handler, CancellationToken ct) =>
        {
            var keys = await handler.HandleAsync(new ListApiKeys(UserId(user)), ct);
            return TypedResults.Ok(keys.Select(View).ToList());
        }).WithSummary("Your API keys (never the secrets)");

        account.MapPost("/api-keys", async Task<Results<Created<CreatedApiKey>, ProblemHttpResult>> (
            NewApiKey body, ClaimsPrincipal user, TeamScope scope, CreateApiKeyHandler handler, CancellationToken ct) =>
        {
            if (!TryParseScopes(body.Scopes, out var scopes, out var error)) return Invalid(error);
            // A key cannot carry more than the session that creates it: a read-only key cannot mint a write key.
            if (Policies.IsApiKey(user) && !user.HasClaim(TeamScope.ScopeClaim, "admin"))
            {
                return TypedResults.Problem("Create API keys signed in, or with a key that has the 'admin' scope.", statusCode: 403, title: "Not allowed");
            }
            var created = await handler.HandleAsync(new CreateApiKey(UserId(user), body.Name, scopes, body.ExpiresInDays, scope.Actor), ct);
            return TypedResults.Created($"/api/account/api-keys/{created.Id}", created);
        }).WithSummary("Creates an API key; the key is in this response only");

        account.MapDelete("/api-keys/{id:long}", async Task<NoContent> (
            long id, ClaimsPrincipal user, TeamScope scope, RevokeApiKeyHandler handler, CancellationToken ct) =>
        {
            await handler.HandleAsync(new RevokeApiKey(id, UserId(user), scope.Role ?? UserRole.Rep, scope.Actor, Policies.HasAdminScope(user)), ct);
            return TypedResults.NoContent();
        }).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
        .WithSummary("Revokes an API key at once");

        var users = app.MapGroup("/api/users").WithTags("Accounts").RequireAuthorization(Policies.Admin);
        users.MapGet("/", async (ListUsersHandler handler, CancellationToken ct) =>
        {
            var all = await handler.HandleAsync(new ListUsers(), ct);
            return TypedResults.Ok(all.Users.Select(u => new UserView(u.Id, u.Email, u.DisplayName, u.Role, u.TeamId, u.LockedOut, u.CreatedAt)).ToList());
        }).WithSummary("Everyone who can sign in (admins and owners)");

        users.MapPost("/", async Task<Created<CreatedUser>> (NewUser body, TeamScope scope, CreateUserHandler handler, CancellationToken ct) =>
        {
            var created = await handler.HandleAsync(
                new CreateUser(body.Email, body.DisplayName, body.Role, body.Password, body.Team, body.ExtraTeams, scope.Actor, scope.Role ?? UserRole.Rep), ct);
            return TypedResults.Created($"/api/users/{created.Id}", created);
        }).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict)
        .WithSummary("Adds a person who can sign in");

        users.MapPost("/{id:long}/lock", async Task<NoContent> (long id, TeamScope scope, SetUserLockoutHandler handler, CancellationToken ct) =>
        {
            await handler.HandleAsync(new SetUserLockout(id, true, scope.Role ?? UserRole.Rep, scope.Actor), ct);
            return TypedResults.NoContent();
        }).WithSummary("Locks a person out (their sessions and API keys stop working) until unlocked");

        users.MapPut("/{id:long}/access", async Task<Ok<UserAccess>> (long id, AccessBody body, TeamScope scope, ChangeUserAccessHandler handler, CancellationToken ct) =>
            TypedResults.Ok(await handler.HandleAsync(
                new ChangeUserAccess(id, body.Role, body.HomeTeam ?? "", body.OtherTeams, scope.Role ?? UserRole.Rep, scope.Actor), ct)))
            .WithSummary("Changes a person's role and teams; their sessions end within a minute and they sign in again with the new access");

        users.MapPost("/{id:long}/unlock", async Task<NoContent> (long id, TeamScope scope, SetUserLockoutHandler handler, CancellationToken ct) =>
        {
            await handler.HandleAsync(new SetUserLockout(id, false, scope.Role ?? UserRole.Rep, scope.Actor), ct);
            return TypedResults.NoContent();
        }).WithSummary("Lets a locked-out person sign in again");
    }

    internal static long UserId(ClaimsPrincipal user) => long.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!, CultureInfo.InvariantCulture);

    private static ApiKeyView View(ApiKey k) => new(k.Id, k.Name, k.Prefix,
        Enum.GetValues<ApiKeyScopes>().Where(s => s != ApiKeyScopes.None && k.Scopes.HasFlag(s)).Select(s => s.ToString().ToLowerInvariant()).ToList(),
        k.CreatedAt, k.ExpiresAt, k.LastUsedAt, k.RevokedAt);

    internal static bool TryParseScopes(IReadOnlyList<string>? names, out ApiKeyScopes scopes, out string error)
    {
        scopes = ApiKeyScopes.None;
        error = "";
        foreach (var name in names is { Count: > 0 } ? names : ["read"])
        {
            if (!Enum.TryParse<ApiKeyScopes>(name, ignoreCase: true, out var s) || s == ApiKeyScopes.None || !Enum.IsDefined(s))
            {
                error = $"'{name}' is not a scope; use read, write or admin.";
                return false;
            }
            scopes |= s;
        }
        return true;
    }

    private static ProblemHttpResult Invalid(string detail) => TypedResults.Problem(detail, statusCode: 400, title: "Invalid request");
}
