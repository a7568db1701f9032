using GrowthBrain.Leads;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GrowthBrain.Scoring;

internal sealed class LeadScoreConfiguration : IEntityTypeConfiguration<LeadScore>
{
    public void Configure(EntityTypeBuilder<LeadScore> e)
    {
        e.ToTable("lead_scores");
        e.Property(s => s.Grade).HasMaxLength(2);
        e.Property(s => s.Trigger).HasMaxLength(16);
        e.HasIndex(s => new { s.LeadId, s.ScoredAt });
        e.HasOne<Lead>().WithMany().HasForeignKey(s => s.LeadId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<ModelVersion>().WithMany().HasForeignKey(s => s.ModelVersionId).OnDelete(DeleteBehavior.Restrict);
    }
}
