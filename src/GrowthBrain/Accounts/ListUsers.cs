using GrowthBrain.Data;

namespace GrowthBrain.Accounts;

/// <summary>Everyone who can sign in, for admins and owners.</summary>
public sealed record ListUsers;

/// <summary>A person and their access: home team (by name), the other teams they belong to, and whether they are locked out.</summary>
public sealed record UserSummary(long Id, string Email, string DisplayName, UserRole Role, long TeamId, string Team,
    IReadOnlyList<string> OtherTeams, bool LockedOut, DateTime CreatedAt);

/// <summary>The people, oldest account first, and the names of the teams the caller sees (to assign them to).</summary>
public sealed record UserList(IReadOnlyList<UserSummary> Users, IReadOnlyList<string> Teams);

public sealed class ListUsersHandler(GrowthBrainDb db, TimeProvider clock)
{
    public async Task<UserList> HandleAsync(ListUsers request, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var teams = await db.Teams.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name, ct);
        var users = await db.Users.AsNoTracking().OrderBy(u => u.Id).ToListAsync(ct);
        var memberships = await db.TeamMembers.AsNoTracking().ToListAsync(ct);
        return new UserList(
            users.Select(u => new UserSummary(u.Id, u.Email ?? "", u.DisplayName, u.Role, u.TeamId, teams.GetValueOrDefault(u.TeamId, $"team {u.TeamId}"),
                memberships.Where(m => m.UserId == u.Id && m.TeamId != u.TeamId && teams.ContainsKey(m.TeamId)).Select(m => teams[m.TeamId]).ToList(),
                u.LockoutEnd > now, u.CreatedAt)).ToList(),
            teams.Values.Order(StringComparer.OrdinalIgnoreCase).ToList());
    }
}
