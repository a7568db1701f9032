using System.Net;
using GrowthBrain.Accounts;
using GrowthBrain.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace GrowthBrain.Web.Accounts;

/// <summary>
/// Sign-in for the web app: Identity cookies for people, API keys for tools, optional OpenID Connect,
/// and the team scope every database query is filtered by.
/// </summary>
public static class SignInServices
{
    public const string Scheme = "GrowthBrain";
    public const string SignedOutCookie = "gb-signed-out";

    public static void AddGrowthBrainSignIn(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        // The user manager and account use cases come with AddGrowthBrainCore; the web app adds signing in on top.
        new IdentityBuilder(typeof(User), services).AddSignInManager().AddClaimsPrincipalFactory<GrowthBrainClaimsFactory>();

        // Every context the web app hands out is limited to the caller's teams (fail closed until set): the data
        // registration stamps this scope on each context.
        services.AddScoped<TeamScope>();
        services.AddScoped<CircuitHandler, TeamScopeCircuitHandler>();
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, SessionRevalidator>();
        // Cookies are re-checked against the user every minute (default 30): a lockout or a change of role or teams
        // ends old sessions within a minute on every instance.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = SessionRevalidator.Interval);

        var auth = services.AddAuthentication(o =>
            {
                o.DefaultScheme = Scheme;
                o.DefaultChallengeScheme = Scheme;
                o.DefaultForbidScheme = Scheme;
            })
            .AddPolicyScheme(Scheme, "Cookie or API key", o => o.ForwardDefaultSelector = c =>
                c.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? ApiKeyAuthenticationHandler.SchemeName
                    : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        auth.AddIdentityCookies();
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "growthbrain";
            o.Cookie.HttpOnly = true;
            // Lax keeps the cookie off cross-site POSTs, so a foreign page cannot make a signed-in browser call the API
            // (the API takes JSON or no body; Blazor forms carry an anti-forgery token as well).
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.LoginPath = "/account/login";
            o.AccessDeniedPath = "/account/denied";
            o.ExpireTimeSpan = TimeSpan.FromHours(12);
            o.SlidingExpiration = true;
            // An API call without a session gets a 401 problem, not a redirect to an HTML page.
            o.Events.OnRedirectToLogin = c => IsApi(c.Request) ? ProblemAsync(c.HttpContext, 401) : Redirect(c);
            o.Events.OnRedirectToAccessDenied = c => IsApi(c.Request) ? ProblemAsync(c.HttpContext, 403) : Redirect(c);
        });

        services.AddOptions<AccountsOptions>().Bind(builder.Configuration.GetSection(AccountsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        var oidcSection = builder.Configuration.GetSection(OidcOptions.Section);
        services.AddOptions<OidcOptions>().Bind(oidcSection).ValidateDataAnnotations().ValidateOnStart();
        // Whether the scheme exists is decided while services are registered, before any IOptions can be resolved:
        // the same binding, read once here; everything else reads IOptions<OidcOptions>.
        var oidc = oidcSection.Get<OidcOptions>() ?? new OidcOptions();
        if (oidc.Enabled)
        {
            auth.AddOpenIdConnect("oidc", oidc.DisplayName ?? "Single sign-on", _ => { });
            services.AddOptions<OpenIdConnectOptions>("oidc").Configure<IOptions<OidcOptions>>((o, options) =>
            {
                var settings = options.Value;
                o.Authority = settings.Authority;
                o.ClientId = settings.ClientId;
                o.ClientSecret = settings.ClientSecret;
                o.ResponseType = "code";
                o.UsePkce = true;
                o.Scope.Add("email");
                o.SignInScheme = IdentityConstants.ApplicationScheme;
                o.RequireHttpsMetadata = settings.RequireHttpsMetadata;
                o.Events.OnTokenValidated = OidcSignIn.MapToUserAsync;
                o.Events.OnRemoteFailure = OidcSignIn.RedirectToSignInAsync;
            });
        }

        services.AddAuthorization(Policies.Add);
    }

    /// <summary>Authentication, the caller's team scope, API-key scopes, demo sign-in and the set-up redirect.</summary>
    public static void UseGrowthBrainSignIn(this WebApplication app)
    {
        app.UseAuthentication();
        app.Use(async (context, next) =>
        {
            context.RequestServices.GetRequiredService<TeamScope>().SetUser(context.User);
            // A read-only key may only read.
            if (Policies.IsApiKey(context.User) && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method)
                && !context.User.HasClaim(TeamScope.ScopeClaim, "write") && !context.User.HasClaim(TeamScope.ScopeClaim, "admin"))
            {
                await Results.Problem(title: "Not allowed", detail: "This API key may only read (scope 'read'); use a key with the 'write' scope to change data.",
                    statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(context);
                return;
            }
            await next();
        });
        app.UseMiddleware<FirstRunMiddleware>();
        app.UseAuthorization();
    }

    private static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api");

    private static Task Redirect(RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> c)
    {
        c.Response.Redirect(c.RedirectUri);
        return Task.CompletedTask;
    }

    private static Task ProblemAsync(HttpContext context, int status) =>
        Results.Problem(
            title: status == 401 ? "Sign-in required" : "Not allowed",
            detail: status == 401
                ? "Send an API key as 'Authorization: Bearer gb_…' (create one under your account), or sign in."
                : "Your role does not allow this; ask an owner.",
            statusCode: status).ExecuteAsync(context);

    internal static bool IsLoopback(HttpContext context) => context.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip);

    internal static string PathAndQuery(HttpRequest request) => UriHelper.BuildRelative(request.PathBase, request.Path, request.QueryString);
}
