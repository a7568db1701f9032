using System.Security.Claims;
using GrowthBrain.Accounts;
using Microsoft.AspNetCore.Authorization;

namespace GrowthBrain.Web.Accounts;

/// <summary>
/// Role policies, each allowing its role and those above it. A request made with an API key also
/// needs the key's admin scope for anything beyond a rep's work, so a read/write key handed to a
/// tool cannot retrain models or erase people even when its user could.
/// </summary>
public static class Policies
{
    public const string Manager = nameof(Manager);
    public const string Admin = nameof(Admin);
    public const string Owner = nameof(Owner);

    public static void Add(AuthorizationOptions options)
    {
        // Everything needs a signed-in user unless it says otherwise (sign-in, set-up, unsubscribe, health, assets).
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        options.AddPolicy(Manager, p => p.RequireAuthenticatedUser().RequireAssertion(c => Allows(c.User, UserRole.Manager)));
        options.AddPolicy(Admin, p => p.RequireAuthenticatedUser().RequireAssertion(c => Allows(c.User, UserRole.Admin)));
        options.AddPolicy(Owner, p => p.RequireAuthenticatedUser().RequireAssertion(c => Allows(c.User, UserRole.Owner)));
    }

    public static bool Allows(ClaimsPrincipal user, UserRole atLeast) =>
        Enum.TryParse<UserRole>(user.FindFirstValue(ClaimTypes.Role), out var role) && role >= atLeast
        && HasAdminScope(user);

    /// <summary>A signed-in session, or an API key with the 'admin' scope.</summary>
    public static bool HasAdminScope(ClaimsPrincipal user) => !IsApiKey(user) || user.HasClaim(TeamScope.ScopeClaim, "admin");

    public static bool IsApiKey(ClaimsPrincipal user) => user.HasClaim(c => c.Type == TeamScope.ScopeClaim);
}
