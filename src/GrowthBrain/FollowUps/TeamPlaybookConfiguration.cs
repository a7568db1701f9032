using GrowthBrain.Leads;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GrowthBrain.FollowUps;

internal sealed class TeamPlaybookConfiguration : IEntityTypeConfiguration<TeamPlaybook>
{
    public void Configure(EntityTypeBuilder<TeamPlaybook> e)
    {
        e.ToTable("team_playbooks");
        e.Property(p => p.UpdatedBy).HasMaxLength(Lead.ShortText);
        e.HasIndex(p => p.TeamId).IsUnique();
    }
}
