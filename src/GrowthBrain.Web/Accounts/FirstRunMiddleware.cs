using GrowthBrain.Accounts;
using GrowthBrain.Audit;
using GrowthBrain.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace GrowthBrain.Web.Accounts;

/// <summary>
/// Two conveniences around sign-in. A fresh installation (no user yet) sends every page to /setup.
/// The demo (Accounts:AutoSignInEmail, set only by `./growthbrain demo`, which listens on loopback
/// only) signs a browser on this machine in as the demo owner, so a new user sees the product at once;
/// after signing out, the browser stays signed out so the other demo users can be tried.
/// </summary>
public sealed class FirstRunMiddleware(RequestDelegate next, IOptions<AccountsOptions> options)
{
    // Once a user exists one always will: only the positive answer is remembered, so an instance that
    // saw an empty database still notices the owner another instance created.
    private volatile bool _setUp;

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.User.Identity?.IsAuthenticated == true || !IsPage(context.Request))
        {
            await next(context);
            return;
        }
        if (!_setUp)
        {
            var db = context.RequestServices.GetRequiredService<GrowthBrainDb>();
            _setUp = await db.Users.AnyAsync(context.RequestAborted);
            if (!_setUp && !context.Request.Path.StartsWithSegments("/setup"))
            {
                context.Response.Redirect("/setup");
                return;
            }
        }
        if (options.Value.AutoSignInEmail is { Length: > 0 } email && SignInServices.IsLoopback(context)
            && !context.Request.Cookies.ContainsKey(SignInServices.SignedOutCookie) && !context.Request.Path.StartsWithSegments("/account"))
        {
            var user = await context.RequestServices.GetRequiredService<UserManager<User>>().FindByEmailAsync(email);
            if (user is not null)
            {
                await context.RequestServices.GetRequiredService<SignInManager<User>>().SignInAsync(user, isPersistent: false);
                var db = context.RequestServices.GetRequiredService<GrowthBrainDb>();
                await context.RequestServices.GetRequiredService<AuditLog>()
                    .RecordAsync(db, email, "user.signed-in", user.TeamId, "user", user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "demo sign-in on loopback");
                context.Response.Redirect(SignInServices.PathAndQuery(context.Request));
                return;
            }
        }
        await next(context);
    }

    /// <summary>A browser asking for a page: GET, not the API, not an asset, not the Blazor connection.</summary>
    private static bool IsPage(HttpRequest request) =>
        HttpMethods.IsGet(request.Method)
        && !request.Path.StartsWithSegments("/api") && !request.Path.StartsWithSegments("/_framework")
        && !request.Path.StartsWithSegments("/_content") && !request.Path.StartsWithSegments("/_blazor")
        && !request.Path.StartsWithSegments("/health") && !request.Path.StartsWithSegments("/openapi")
        && !request.Path.StartsWithSegments("/unsubscribe") && !Path.HasExtension(request.Path.Value);
}
