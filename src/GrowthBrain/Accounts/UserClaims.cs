using System.Globalization;
using System.Security.Claims;
using GrowthBrain.Data;

namespace GrowthBrain.Accounts;

/// <summary>
/// The claims GrowthBrain adds to a signed-in user (Identity adds id, name and e-mail): role, display
/// name and teams, home team first. Teams travel
/// in the cookie so no request needs a lookup to know what it may see; a change of teams or role
/// takes effect at the next sign-in or security-stamp check.
/// </summary>
public static class UserClaims
{
    public static async Task<List<Claim>> GrowthBrainClaimsAsync(GrowthBrainDb db, User user, CancellationToken ct)
    {
        var extraTeams = await db.TeamMembers.AsNoTracking().Where(m => m.UserId == user.Id && m.TeamId != user.TeamId)
            .OrderBy(m => m.TeamId).Select(m => m.TeamId).ToListAsync(ct);
        var claims = new List<Claim>
        {
            new(ClaimTypes.Role, user.Role.ToString()),
            new("gb:display-name", user.DisplayName),
            new(TeamScope.TeamClaim, user.TeamId.ToString(CultureInfo.InvariantCulture)),
        };
        claims.AddRange(extraTeams.Select(t => new Claim(TeamScope.TeamClaim, t.ToString(CultureInfo.InvariantCulture))));
        return claims;
    }
}
