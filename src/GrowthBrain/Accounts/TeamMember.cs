namespace GrowthBrain.Accounts;

/// <summary>
/// A further team a user belongs to besides their home team (a manager of two teams, a rep who
/// covers for another team). Reps and managers see the leads of their home team and these.
/// </summary>
public sealed class TeamMember
{
    public long UserId { get; set; }
    public long TeamId { get; set; }
}
