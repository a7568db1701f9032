using GrowthBrain.Accounts;
using GrowthBrain.Leads;

namespace GrowthBrain.Settings;

/// <summary>A team's own settings that are not part of its playbook. One row per team, made on first save.</summary>
public sealed class TeamSettings : ITeamOwned
{
    public long Id { get; set; }
    public long TeamId { get; set; }

    /// <summary>Column headings (one per line) that training must never use; null means the built-in list.</summary>
    public string? ProtectedAttributes { get; set; }

    public DateTime UpdatedAt { get; set; }
    public required string UpdatedBy { get; set; }
}

internal sealed class TeamSettingsConfiguration : IEntityTypeConfiguration<TeamSettings>
{
    public void Configure(EntityTypeBuilder<TeamSettings> e)
    {
        e.ToTable("team_settings");
        e.Property(s => s.UpdatedBy).HasMaxLength(Lead.ShortText);
        e.HasIndex(s => s.TeamId).IsUnique();
        e.HasOne<Team>().WithMany().HasForeignKey(s => s.TeamId).OnDelete(DeleteBehavior.Restrict);
    }
}
