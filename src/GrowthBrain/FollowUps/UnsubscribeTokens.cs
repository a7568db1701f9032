using System.Globalization;
using Microsoft.AspNetCore.DataProtection;

namespace GrowthBrain.FollowUps;

/// <summary>Who an unsubscribe link is for: the team that mailed, the lead, and the address the mail went to.</summary>
public sealed record UnsubscribeTarget(long TeamId, long LeadId, string Email);

/// <summary>
/// Unsubscribe tokens: the team, lead and address, encrypted and signed with ASP.NET Core Data Protection, so a
/// token can't be guessed or altered and the address is not readable in the link. The address is inside because
/// the person unsubscribes the address that was mailed, even if the lead's e-mail changed or the lead was deleted
/// since. Tokens don't expire: an old mail's link must keep working (RFC 8058).
/// </summary>
public sealed class UnsubscribeTokens(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("GrowthBrain.FollowUps.Unsubscribe.v1");

    public string Create(UnsubscribeTarget target) =>
        _protector.Protect(string.Join('\n', target.TeamId.ToString(CultureInfo.InvariantCulture), target.LeadId.ToString(CultureInfo.InvariantCulture), target.Email));

    public UnsubscribeTarget? Read(string? token)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 2000) return null;
        string plain;
        try
        {
            plain = _protector.Unprotect(token);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
        var parts = plain.Split('\n');
        return parts.Length == 3
               && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var team)
               && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var lead)
               && parts[2].Contains('@')
            ? new UnsubscribeTarget(team, lead, parts[2])
            : null;
    }
}
