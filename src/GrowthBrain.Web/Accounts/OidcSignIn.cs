using System.Security.Claims;
using GrowthBrain.Accounts;
using GrowthBrain.Audit;
using GrowthBrain.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;

namespace GrowthBrain.Web.Accounts;

/// <summary>
/// Single sign-on only signs in people an owner has added: the provider's e-mail must match a user here, and a
/// provider that says the address is unverified is not trusted with it. Nobody is created from an identity
/// provider, so a shared tenant cannot join by accident.
/// </summary>
internal static class OidcSignIn
{
    /// <summary>Why single sign-on did not sign someone in, as the code the sign-in page turns into words.</summary>
    public const string UnknownUser = "unknown-user", UnverifiedEmail = "unverified-email", ProviderFailed = "provider";

    private const string FailureKey = "gb:sso-failure";

    public static async Task MapToUserAsync(TokenValidatedContext context)
    {
        var email = context.Principal?.FindFirstValue(ClaimTypes.Email) ?? context.Principal?.FindFirstValue("email");
        var services = context.HttpContext.RequestServices;
        var db = services.GetRequiredService<GrowthBrainDb>();
        var audit = services.GetRequiredService<AuditLog>();
        // Providers that let people type any address (and say so) would otherwise let them take over its account.
        // Some (Microsoft Entra ID) send no email_verified at all; only an explicit "false" is refused.
        var verified = context.Principal?.FindFirstValue("email_verified");
        if (email is not null && string.Equals(verified, "false", StringComparison.OrdinalIgnoreCase))
        {
            await FailAsync(context, UnverifiedEmail, $"The identity provider says {email} is not verified.", email, db, audit);
            return;
        }
        var users = services.GetRequiredService<UserManager<User>>();
        var user = email is null ? null : await users.FindByEmailAsync(email);
        if (user is null || await users.IsLockedOutAsync(user))
        {
            await FailAsync(context, UnknownUser, $"No GrowthBrain user has the e-mail {email ?? "(none given)"}; ask an owner to add you.", email, db, audit);
            return;
        }
        var factory = services.GetRequiredService<IUserClaimsPrincipalFactory<User>>();
        context.Principal = await factory.CreateAsync(user);
        await audit.RecordAsync(db, email!, "user.signed-in", user.TeamId, "user", user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "single sign-on");
    }

    /// <summary>Back to the sign-in page with a reason, instead of the error page a failed remote sign-in ends on by default.</summary>
    public static Task RedirectToSignInAsync(RemoteFailureContext context)
    {
        var code = context.HttpContext.Items[FailureKey] as string ?? ProviderFailed;
        context.Response.Redirect($"/account/login?sso={code}");
        context.HandleResponse();
        return Task.CompletedTask;
    }

    public static string? Explain(string? code) => code switch
    {
        null or "" => null,
        UnknownUser => "Single sign-on worked, but no GrowthBrain user has that e-mail address. Ask an owner to add you, then try again.",
        UnverifiedEmail => "Your identity provider says your e-mail address is not verified. Verify it there, then try again.",
        _ => "Single sign-on did not complete (the identity provider refused or could not be reached). Try again, or sign in with your password.",
    };

    private static async Task FailAsync(TokenValidatedContext context, string code, string why, string? email, GrowthBrainDb db, AuditLog audit)
    {
        context.HttpContext.Items[FailureKey] = code;
        context.Fail(why);
        var who = email is { Length: > 256 } ? email[..256] : email ?? "(no e-mail)";
        await audit.RecordAsync(db, who, "user.sign-in-failed", null, "user", null, $"single sign-on: {code}");
    }
}
