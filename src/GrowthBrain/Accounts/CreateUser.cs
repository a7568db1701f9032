using GrowthBrain.Errors;
using System.Net.Mail;
using GrowthBrain.Audit;
using GrowthBrain.Data;
using Microsoft.AspNetCore.Identity;

namespace GrowthBrain.Accounts;

/// <summary>
/// Adds a person who can sign in. The team is an existing team's id or name; a new name creates the
/// team. Extra teams make the user a member of those too (a manager of two teams).
/// </summary>
/// <param name="ActingRole">The role of whoever adds the person: only an owner may add another owner.</param>
public sealed record CreateUser(string Email, string DisplayName, UserRole Role, string Password,
    string? Team = null, IReadOnlyList<string>? ExtraTeams = null, string Actor = "system", UserRole ActingRole = UserRole.Owner);

public sealed record CreatedUser(long Id, string Email, string DisplayName, UserRole Role, long TeamId, string TeamName);

public sealed class CreateUserHandler(GrowthBrainDb db, UserManager<User> users, AuditLog audit, TimeProvider clock)
{
    public async Task<CreatedUser> HandleAsync(CreateUser request, CancellationToken ct)
    {
        var email = request.Email?.Trim() ?? "";
        if (!MailAddress.TryCreate(email, out var parsed) || parsed.Address != email)
        {
            throw new AccountException($"'{request.Email}' is not an e-mail address; give the address the person signs in with, like ana@example.com.");
        }
        if (string.IsNullOrWhiteSpace(request.DisplayName) || request.DisplayName.Length > Leads.Lead.ShortText)
        {
            throw new AccountException("Give the person's name (1 to 256 characters); it is shown on leads they own and in the audit log.");
        }
        if (!Enum.IsDefined(request.Role))
        {
            throw new AccountException($"'{request.Role}' is not a role; use Owner, Admin, Manager or Rep.");
        }
        if (request.Role == UserRole.Owner && request.ActingRole != UserRole.Owner)
        {
            throw new AccountException("Only an owner can add another owner.", ErrorKind.Forbidden);
        }
        if (await users.FindByEmailAsync(email) is not null)
        {
            throw new AccountException($"There is already a user {email}.", ErrorKind.Conflict);
        }

        var team = await FindOrCreateTeamAsync(request.Team, ct);
        var user = new User
        {
            UserName = email, Email = email, EmailConfirmed = true, DisplayName = request.DisplayName.Trim(),
            Role = request.Role, TeamId = team.Id, CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        var created = await users.CreateAsync(user, request.Password ?? "");
        if (!created.Succeeded)
        {
            throw new AccountException(string.Join(" ", created.Errors.Select(e => e.Description)));
        }
        foreach (var extra in request.ExtraTeams ?? [])
        {
            var other = await FindOrCreateTeamAsync(extra, ct);
            if (other.Id != team.Id && !await db.TeamMembers.AnyAsync(m => m.UserId == user.Id && m.TeamId == other.Id, ct))
            {
                db.TeamMembers.Add(new TeamMember { UserId = user.Id, TeamId = other.Id });
            }
        }
        audit.Add(db, request.Actor, "user.created", team.Id, "user", user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{email} as {request.Role}");
        await db.SaveChangesAsync(ct);
        return new CreatedUser(user.Id, email, user.DisplayName, user.Role, team.Id, team.Name);
    }

    private async Task<Team> FindOrCreateTeamAsync(string? nameOrId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(nameOrId))
        {
            return await db.Teams.OrderBy(t => t.Id).FirstOrDefaultAsync(ct) ?? await AddTeamAsync(Data.MigrateDatabaseHandler.DefaultTeamName, ct);
        }
        var key = nameOrId.Trim();
        if (long.TryParse(key, out var id))
        {
            return await db.Teams.FirstOrDefaultAsync(t => t.Id == id, ct)
                ?? throw new AccountException($"There is no team {id}; give an existing team's id or a name (a new name creates the team).", ErrorKind.NotFound);
        }
        return await db.Teams.FirstOrDefaultAsync(t => t.Name == key, ct) ?? await AddTeamAsync(key, ct);
    }

    private async Task<Team> AddTeamAsync(string name, CancellationToken ct)
    {
        if (name.Length > Leads.Lead.ShortText) throw new AccountException("A team name has at most 256 characters.");
        var team = new Team { Name = name, CreatedAt = clock.GetUtcNow().UtcDateTime };
        db.Teams.Add(team);
        await db.SaveChangesAsync(ct);
        return team;
    }
}
