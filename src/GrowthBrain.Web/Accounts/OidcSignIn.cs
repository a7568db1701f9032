using System.Security.Claims;
using GrowthBrain.Accounts;
using GrowthBrain.Audit;
using GrowthBrain.Data;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;

namespace GrowthBrain.Web.Accounts;

/// <summary>
/// Single sign-on only signs in people an owner has added: the provider's verified e-mail must match a
/// user here. Nobody is created from an identity provider, so a shared tenant cannot join by accident.
/// </summary>
internal static class OidcSignIn
{
    public static async Task MapToUserAsync(TokenValidatedContext context)
    {
        var email = context.Principal?.FindFirstValue(ClaimTypes.Email) ?? context.Principal?.FindFirstValue("email");
        var users = context.HttpContext.RequestServices.GetRequiredService<UserManager<User>>();
        var user = email is null ? null : await users.FindByEmailAsync(email);
        if (user is null || await users.IsLockedOutAsync(user))
        {
            context.Fail($"No GrowthBrain user has the e-mail {email ?? "(none given)"}; ask an owner to add you.");
            return;
        }
        var factory = context.HttpContext.RequestServices.GetRequiredService<IUserClaimsPrincipalFactory<User>>();
        context.Principal = await factory.CreateAsync(user);
        var db = context.HttpContext.RequestServices.GetRequiredService<GrowthBrainDb>();
        await context.HttpContext.RequestServices.GetRequiredService<AuditLog>()
            .RecordAsync(db, email!, "user.signed-in", user.TeamId, "user", user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "single sign-on");
    }
}
