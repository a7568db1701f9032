using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using GrowthBrain.Accounts;
using GrowthBrain.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace GrowthBrain.Web.Accounts;

/// <summary><c>Authorization: Bearer gb_…</c>: the key's user, with the key's scopes as claims.</summary>
public sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();

        // The lookup runs before the request's user is known: it needs every user, whatever the scope.
        var db = Context.RequestServices.GetRequiredService<GrowthBrainDbFactory>().CreateDbContext();
        await using (db)
        {
            var handler = new AuthenticateApiKeyHandler(db, Context.RequestServices.GetRequiredService<TimeProvider>());
            if (await handler.HandleAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted) is not var (user, key))
            {
                // Never echo the key: it may be a real one pasted into the wrong place.
                return AuthenticateResult.Fail("The API key is unknown, revoked or expired; create a new one under your account.");
            }
            var identity = new ClaimsIdentity(SchemeName);
            identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, user.Id.ToString(CultureInfo.InvariantCulture)));
            identity.AddClaim(new Claim(ClaimTypes.Name, user.Email ?? ""));
            identity.AddClaim(new Claim(ClaimTypes.Email, user.Email ?? ""));
            identity.AddClaim(new Claim("gb:api-key", key.Name));
            identity.AddClaims(await UserClaims.GrowthBrainClaimsAsync(db, user, Context.RequestAborted));
            foreach (var scope in Enum.GetValues<ApiKeyScopes>().Where(s => s != ApiKeyScopes.None && key.Scopes.HasFlag(s)))
            {
                identity.AddClaim(new Claim(TeamScope.ScopeClaim, scope.ToString().ToLowerInvariant()));
            }
            return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
        }
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await Results.Problem(title: "Sign-in required",
            detail: "Send an API key as 'Authorization: Bearer gb_…' (create one under your account), or sign in.",
            statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        await Results.Problem(title: "Not allowed",
            detail: "Your role or this API key's scopes do not allow this; ask an owner or use a key with the needed scope.",
            statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(Context);
    }
}
