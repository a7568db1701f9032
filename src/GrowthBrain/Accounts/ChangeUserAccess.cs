using GrowthBrain.Errors;
using GrowthBrain.Audit;
using GrowthBrain.Data;

namespace GrowthBrain.Accounts;

/// <param name="HomeTeam">The team the person works in (id or name of an existing team).</param>
/// <param name="OtherTeams">Further teams they see (a manager of two teams); replaces the current list.</param>
public sealed record ChangeUserAccess(long UserId, UserRole Role, string HomeTeam, IReadOnlyList<string>? OtherTeams, UserRole ActorRole, string Actor);

public sealed record UserAccess(long UserId, UserRole Role, long TeamId, string TeamName, IReadOnlyList<string> OtherTeams);

/// <summary>
/// Changes what a person may do and see: their role and teams. Their open sessions pick it up within a minute (the
/// security stamp changes, and every instance re-checks cookies that often); API keys follow at once, because key
/// sign-in reads the user each time. Only an owner makes or unmakes an owner, nobody changes their own access, and
/// the last owner stays an owner, so an installation can never be left without one.
/// </summary>
public sealed class ChangeUserAccessHandler(GrowthBrainDb db, AuditLog audit)
{
    public async Task<UserAccess> HandleAsync(ChangeUserAccess request, CancellationToken ct)
    {
        if (!Enum.IsDefined(request.Role)) throw new AccountException($"'{request.Role}' is not a role; use Owner, Admin, Manager or Rep.");
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == request.UserId, ct)
            ?? throw new AccountException($"There is no user {request.UserId}.", ErrorKind.NotFound);
        if (string.Equals(user.Email, request.Actor, StringComparison.OrdinalIgnoreCase))
            throw new AccountException("You cannot change your own role or teams; ask another admin or an owner.");
        if ((user.Role == UserRole.Owner || request.Role == UserRole.Owner) && request.ActorRole != UserRole.Owner)
            throw new AccountException("Only an owner can make someone an owner or change an owner's access.");
        if (user.Role == UserRole.Owner && request.Role != UserRole.Owner
            && !await db.Users.AnyAsync(u => u.Id != user.Id && u.Role == UserRole.Owner, ct))
            throw new AccountException($"{user.Email} is the only owner; make someone else an owner first.");

        var teams = await db.Teams.AsNoTracking().ToListAsync(ct);
        Team Find(string nameOrId)
        {
            var key = nameOrId.Trim();
            return teams.FirstOrDefault(t => long.TryParse(key, out var id) ? t.Id == id : string.Equals(t.Name, key, StringComparison.OrdinalIgnoreCase))
                ?? throw new AccountException($"There is no team '{key}'; use one of: {string.Join(", ", teams.Select(t => t.Name))}.", ErrorKind.NotFound);
        }
        if (string.IsNullOrWhiteSpace(request.HomeTeam)) throw new AccountException("Give the person's home team (a team's name or id).");
        var home = Find(request.HomeTeam);
        var others = (request.OtherTeams ?? []).Where(t => !string.IsNullOrWhiteSpace(t)).Select(Find)
            .Where(t => t.Id != home.Id).DistinctBy(t => t.Id).ToList();

        var before = await DescribeAsync(user, teams, ct);
        user.Role = request.Role;
        user.TeamId = home.Id;
        var memberships = await db.TeamMembers.Where(m => m.UserId == user.Id).ToListAsync(ct);
        db.TeamMembers.RemoveRange(memberships.Where(m => others.All(o => o.Id != m.TeamId)));
        foreach (var other in others.Where(o => memberships.All(m => m.TeamId != o.Id)))
            db.TeamMembers.Add(new TeamMember { UserId = user.Id, TeamId = other.Id });
        // A new stamp makes every instance re-issue this person's cookie with the new role and teams at its next check.
        user.SecurityStamp = Guid.NewGuid().ToString("N");
        user.ConcurrencyStamp = Guid.NewGuid().ToString();
        var after = $"{request.Role} in {home.Name}" + (others.Count > 0 ? $" (also {string.Join(", ", others.Select(o => o.Name))})" : "");
        audit.Add(db, request.Actor, "user.access-changed", home.Id, "user", user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"{user.Email}: {before} → {after}");
        await db.SaveChangesAsync(ct);
        return new UserAccess(user.Id, user.Role, home.Id, home.Name, others.Select(o => o.Name).ToList());
    }

    private async Task<string> DescribeAsync(User user, IReadOnlyList<Team> teams, CancellationToken ct)
    {
        var memberOf = await db.TeamMembers.AsNoTracking().Where(m => m.UserId == user.Id).Select(m => m.TeamId).ToListAsync(ct);
        var others = teams.Where(t => memberOf.Contains(t.Id) && t.Id != user.TeamId).Select(t => t.Name).ToList();
        var home = teams.FirstOrDefault(t => t.Id == user.TeamId)?.Name ?? user.TeamId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return $"{user.Role} in {home}" + (others.Count > 0 ? $" (also {string.Join(", ", others)})" : "");
    }
}
