using GrowthBrain.Leads;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GrowthBrain.Scoring;

internal sealed class ScoreOverrideConfiguration : IEntityTypeConfiguration<ScoreOverride>
{
    public void Configure(EntityTypeBuilder<ScoreOverride> e)
    {
        e.ToTable("score_overrides");
        e.Property(o => o.Grade).HasMaxLength(2);
        e.Property(o => o.Reason).HasMaxLength(ScoreOverride.ReasonLength);
        e.Property(o => o.SetBy).HasMaxLength(Lead.ShortText);
        e.Property(o => o.ClearedBy).HasMaxLength(Lead.ShortText);
        e.Property(o => o.ClearReason).HasMaxLength(ScoreOverride.ReasonLength);
        e.HasIndex(o => new { o.LeadId, o.SetAt });
        e.HasOne<Lead>().WithMany().HasForeignKey(o => o.LeadId).OnDelete(DeleteBehavior.Cascade);
    }
}
