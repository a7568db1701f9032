using GrowthBrain.Audit;
using GrowthBrain.Data;
using GrowthBrain.Privacy;

namespace GrowthBrain.FollowUps;

public sealed record Unsubscribe(string Token);

/// <param name="MaskedEmail">The address, masked ("a•••@example.com"), for the confirmation page.</param>
public sealed record UnsubscribeResult(string MaskedEmail, bool AlreadyUnsubscribed);

/// <summary>
/// One-click unsubscribe (RFC 8058): the token says which address the team mailed; it goes on the team's
/// suppression list (reason Unsubscribed), so no send path mails it again. Repeating it changes nothing.
/// </summary>
public sealed class UnsubscribeHandler(GrowthBrainDb db, UnsubscribeTokens tokens, SuppressionList suppressions, AuditLog audit)
{
    public const string Actor = "unsubscribe-link";

    /// <summary>Reads the token without changing anything, for the confirmation page; null when the link is not valid.</summary>
    public UnsubscribeTarget? Peek(string token) => tokens.Read(token);

    /// <returns>
    /// Null when the link is not valid (not issued by this installation, or cut off): a normal answer for a link
    /// anyone can paste, which the endpoint shows as a page rather than an error.
    /// </returns>
    public async Task<UnsubscribeResult?> HandleAsync(Unsubscribe request, CancellationToken ct)
    {
        if (Peek(request.Token) is not { } target) return null;
        var added = await suppressions.AddAsync(db, target.TeamId, target.Email, SuppressionReason.Unsubscribed, Actor, ct);
        if (added)
        {
            await audit.RecordAsync(db, Actor, "lead.unsubscribed", target.TeamId, "lead", GetDraftHandler.Id(target.LeadId),
                "the person unsubscribed through the link in a follow-up", ct);
        }
        return new UnsubscribeResult(Mask(target.Email), !added);
    }

    public static string Mask(string email)
    {
        var at = email.IndexOf('@');
        return at <= 0 ? "your address" : $"{email[0]}•••{email[at..]}";
    }
}
