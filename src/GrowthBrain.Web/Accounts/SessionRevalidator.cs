using System.Security.Claims;
using GrowthBrain.Accounts;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace GrowthBrain.Web.Accounts;

/// <summary>
/// An open page (a Blazor circuit) keeps the user it started with; without this, someone locked out or given another
/// role would keep their old access in a tab left open for hours. Every <see cref="Interval"/> it checks that the
/// person still exists, is not locked out and has the security stamp their sign-in carried (a lockout or a change of
/// role or teams renews it); if not, the page loses its user and asks them to sign in again.
/// </summary>
internal sealed class SessionRevalidator(ILoggerFactory logs, IServiceScopeFactory scopes, IOptions<IdentityOptions> identity)
    : RevalidatingServerAuthenticationStateProvider(logs)
{
    /// <summary>The same as the cookie's own check (SignInServices), so a change reaches pages and requests alike.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override TimeSpan RevalidationInterval => Interval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await IsStillValidAsync(scope.ServiceProvider.GetRequiredService<UserManager<User>>(), state.User, identity.Value);
    }

    internal static async Task<bool> IsStillValidAsync(UserManager<User> users, ClaimsPrincipal principal, IdentityOptions identity)
    {
        if (principal.Identity?.IsAuthenticated != true) return true;
        var user = await users.GetUserAsync(principal);
        if (user is null || await users.IsLockedOutAsync(user)) return false;
        var stamp = principal.FindFirstValue(identity.ClaimsIdentity.SecurityStampClaimType);
        return stamp is null || stamp == await users.GetSecurityStampAsync(user);
    }
}
