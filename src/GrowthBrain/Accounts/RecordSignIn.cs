using GrowthBrain.Audit;
using GrowthBrain.Data;

namespace GrowthBrain.Accounts;

public enum SignInOutcome { SignedIn, Failed, LockedOut }

/// <summary>A password sign-in attempt, for the audit log. <paramref name="Email"/> is what was typed, known account or not.</summary>
public sealed record RecordSignIn(string Email, SignInOutcome Outcome, long? TeamId, long? UserId);

public sealed class RecordSignInHandler(GrowthBrainDb db, AuditLog audit)
{
    public Task HandleAsync(RecordSignIn request, CancellationToken ct)
    {
        var userId = request.UserId?.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return request.Outcome == SignInOutcome.SignedIn
            ? audit.RecordAsync(db, request.Email, "user.signed-in", request.TeamId, "user", userId, "password", ct)
            // Typed by anyone, so cut to the column's length.
            : audit.RecordAsync(db, request.Email.Length > 256 ? request.Email[..256] : request.Email,
                request.Outcome == SignInOutcome.LockedOut ? "user.locked-out" : "user.sign-in-failed", request.TeamId, "user", userId, null, ct);
    }
}
