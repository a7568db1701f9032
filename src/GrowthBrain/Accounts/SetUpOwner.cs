using GrowthBrain.Errors;
using GrowthBrain.Data;

namespace GrowthBrain.Accounts;

/// <summary>
/// The first sign-in of a fresh installation: creates the owner and names the first team. Refused
/// once any user exists, so the set-up page cannot be used to take over an installation.
/// </summary>
public sealed record SetUpOwner(string Email, string DisplayName, string Password, string? TeamName = null);

public sealed class SetUpOwnerHandler(GrowthBrainDb db, CreateUserHandler createUser)
{
    public Task<bool> IsSetUpAsync(CancellationToken ct) => db.Users.AnyAsync(ct);

    public async Task<CreatedUser> HandleAsync(SetUpOwner request, CancellationToken ct)
    {
        if (await IsSetUpAsync(ct))
        {
            throw new AccountException("GrowthBrain is already set up; sign in, or ask an owner to add you.", ErrorKind.Conflict);
        }
        var team = await db.Teams.OrderBy(t => t.Id).FirstOrDefaultAsync(ct);
        if (team is not null && !string.IsNullOrWhiteSpace(request.TeamName))
        {
            team.Name = request.TeamName.Trim();
            await db.SaveChangesAsync(ct);
        }
        return await createUser.HandleAsync(new CreateUser(request.Email, request.DisplayName, UserRole.Owner, request.Password,
            Team: team?.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? request.TeamName, Actor: "setup"), ct);
    }
}
