using GrowthBrain.Accounts;

namespace GrowthBrain.Live;

/// <summary>
/// One row per team whose <see cref="Version"/> goes up whenever something a page shows has changed
/// (an import batch, a rescoring, an activity, an override). Open pages in every instance poll it, so
/// a change made by the CLI or another instance reaches them too. See docs/adr/0006-live-updates-by-polling-a-change-marker.md.
/// </summary>
public sealed class TeamChange : GrowthBrain.Accounts.ITeamOwned
{
    public long TeamId { get; set; }
    public long Version { get; set; }
    public DateTime ChangedAt { get; set; }
    /// <summary>What changed last (import, score, activity, override...), for logs and the page's "updated" note.</summary>
    public string? What { get; set; }
}

internal sealed class TeamChangeConfiguration : IEntityTypeConfiguration<TeamChange>
{
    public void Configure(EntityTypeBuilder<TeamChange> e)
    {
        e.ToTable("team_changes");
        e.HasKey(c => c.TeamId);
        e.Property(c => c.TeamId).ValueGeneratedNever();
        e.Property(c => c.What).HasMaxLength(ChangeMarker.WhatLength);
        e.HasOne<Team>().WithMany().HasForeignKey(c => c.TeamId).OnDelete(DeleteBehavior.Cascade);
    }
}
