namespace GrowthBrain.Accounts;

/// <summary>A sales team: the unit that owns leads, playbooks and settings.</summary>
public sealed class Team
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public DateTime CreatedAt { get; set; }
}

// The team filter (a person sees only their teams) needs the context's scope, so it is set in GrowthBrainDb.
internal sealed class TeamConfiguration : IEntityTypeConfiguration<Team>
{
    public void Configure(EntityTypeBuilder<Team> e)
    {
        e.ToTable("teams");
        e.Property(t => t.Name).HasMaxLength(Leads.Lead.ShortText);
    }
}
