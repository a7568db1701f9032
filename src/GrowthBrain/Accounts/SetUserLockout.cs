using GrowthBrain.Errors;
using GrowthBrain.Audit;
using GrowthBrain.Data;
using Microsoft.AspNetCore.Identity;

namespace GrowthBrain.Accounts;

/// <param name="Locked">True locks the user out until unlocked; false lifts any lockout (also one from failed sign-ins).</param>
public sealed record SetUserLockout(long UserId, bool Locked, UserRole ActorRole, string Actor);

/// <summary>
/// Locks a person out (someone left, a laptop was lost) or lets them back in. Their API keys stop working
/// too, because key sign-in checks lockout. Nobody locks themselves out, and only an owner touches an owner.
/// </summary>
public sealed class SetUserLockoutHandler(GrowthBrainDb db, UserManager<User> users, AuditLog audit)
{
    public async Task<bool> HandleAsync(SetUserLockout request, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(request.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture))
            ?? throw new AccountException($"There is no user {request.UserId}.", ErrorKind.NotFound);
        if (string.Equals(user.Email, request.Actor, StringComparison.OrdinalIgnoreCase) && request.Locked)
            throw new AccountException("You cannot lock yourself out; ask another admin.");
        if (user.Role == UserRole.Owner && request.ActorRole != UserRole.Owner)
            throw new AccountException("Only an owner can lock or unlock an owner.");
        await users.SetLockoutEnabledAsync(user, true);
        await users.SetLockoutEndDateAsync(user, request.Locked ? DateTimeOffset.MaxValue : null);
        if (!request.Locked) await users.ResetAccessFailedCountAsync(user);
        // Ends sessions that are open now: their cookies carry the old stamp.
        if (request.Locked) await users.UpdateSecurityStampAsync(user);
        await audit.RecordAsync(db, request.Actor, request.Locked ? "user.locked" : "user.unlocked", user.TeamId, "user",
            user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), user.Email, ct);
        return request.Locked;
    }
}
