using GrowthBrain.Accounts;
using GrowthBrain.Leads;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GrowthBrain.Scoring;

internal sealed class ModelVersionConfiguration : IEntityTypeConfiguration<ModelVersion>
{
    public void Configure(EntityTypeBuilder<ModelVersion> e)
    {
        e.ToTable("model_versions");
        e.Property(m => m.Kind).HasMaxLength(32);
        e.Property(m => m.Description).HasMaxLength(1000);
        e.Property(m => m.PromotedBy).HasMaxLength(Lead.ShortText);
        e.Property(m => m.PromotionNote).HasMaxLength(1000);
        e.Ignore(m => m.Label);
        e.HasIndex(m => new { m.TeamId, m.Number }).IsUnique();
        e.HasIndex(m => new { m.TeamId, m.Status });
        // Only one active model per team, even when two instances promote at the same moment.
        e.HasIndex(m => m.TeamId).IsUnique().HasFilter("status = 1").HasDatabaseName("IX_model_versions_one_active");
        e.HasOne<Team>().WithMany().HasForeignKey(m => m.TeamId).OnDelete(DeleteBehavior.Restrict);
    }
}
