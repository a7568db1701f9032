using System.Security.Claims;

namespace GrowthBrain.Accounts;

/// <summary>
/// Who is acting and which teams they may see, for one request, circuit or command. GrowthBrainDb's
/// query filters read it, so every query is limited to these teams without each query saying so.
/// A scope that was never set sees nothing: a missing sign-in fails closed, never open.
/// </summary>
public sealed class TeamScope
{
    public const string TeamClaim = "gb:team";
    public const string ScopeClaim = "gb:scope";

    private static readonly long[] Nothing = [];

    /// <summary>The teams visible, or null for every team (owners, admins, the CLI and jobs).</summary>
    public IReadOnlyList<long>? VisibleTeamIds { get; private set; } = Nothing;

    /// <summary>The team new records go to; null when the actor has none (the CLI picks the first team).</summary>
    public long? HomeTeamId { get; private set; }

    /// <summary>How the actor appears in the audit log.</summary>
    public string Actor { get; private set; } = "anonymous";

    public UserRole? Role { get; private set; }

    public bool AllTeams => VisibleTeamIds is null;

    /// <summary>For the CLI, jobs and start-up work: every team.</summary>
    public static TeamScope System(string actor = "system") => new() { VisibleTeamIds = null, Actor = actor, Role = UserRole.Owner };

    public void SetSystem(string actor)
    {
        VisibleTeamIds = null;
        HomeTeamId = null;
        Actor = actor;
        Role = UserRole.Owner;
    }

    /// <summary>Reads the claims put on the principal at sign-in (see UserClaims) or by an API key.</summary>
    public void SetUser(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true || !Enum.TryParse<UserRole>(user.FindFirstValue(ClaimTypes.Role), out var role))
        {
            VisibleTeamIds = Nothing;
            HomeTeamId = null;
            Actor = "anonymous";
            Role = null;
            return;
        }
        var teams = user.FindAll(TeamClaim).Select(c => long.Parse(c.Value, global::System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Role = role;
        HomeTeamId = teams.Length > 0 ? teams[0] : null;
        VisibleTeamIds = role >= UserRole.Admin ? null : teams;
        Actor = user.FindFirstValue(ClaimTypes.Email) ?? user.Identity.Name ?? "unknown";
    }

    /// <summary>The same actor and teams in another service scope (a component that makes a scope per operation).</summary>
    public void CopyFrom(TeamScope other)
    {
        VisibleTeamIds = other.VisibleTeamIds;
        HomeTeamId = other.HomeTeamId;
        Actor = other.Actor;
        Role = other.Role;
    }
}
