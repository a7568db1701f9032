using System.Security.Claims;
using GrowthBrain.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace GrowthBrain.Accounts;

/// <summary>Identity's claims (id, name, e-mail, security stamp) plus role and teams for the query filters.</summary>
public sealed class GrowthBrainClaimsFactory(UserManager<User> users, IOptions<IdentityOptions> options, GrowthBrainDb db)
    : UserClaimsPrincipalFactory<User>(users, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(User user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaims(await UserClaims.GrowthBrainClaimsAsync(db, user, CancellationToken.None));
        return identity;
    }
}
