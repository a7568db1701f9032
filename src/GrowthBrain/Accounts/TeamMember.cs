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

internal sealed class TeamMemberConfiguration : IEntityTypeConfiguration<TeamMember>
{
    public void Configure(EntityTypeBuilder<TeamMember> e)
    {
        e.ToTable("team_members");
        e.HasKey(m => new { m.UserId, m.TeamId });
        e.HasOne<User>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<Team>().WithMany().HasForeignKey(m => m.TeamId).OnDelete(DeleteBehavior.Cascade);
    }
}
