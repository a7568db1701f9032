using GrowthBrain.Accounts;
using GrowthBrain.Leads;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GrowthBrain.Sequences;

internal sealed class SequenceConfiguration : IEntityTypeConfiguration<Sequence>
{
    public void Configure(EntityTypeBuilder<Sequence> e)
    {
        e.ToTable("sequences");
        e.Property(s => s.Name).HasMaxLength(Lead.ShortText);
        e.Property(s => s.CreatedBy).HasMaxLength(Lead.ShortText);
        e.Property(s => s.UpdatedBy).HasMaxLength(Lead.ShortText);
        e.Ignore(s => s.StepList);
        e.HasIndex(s => new { s.TeamId, s.Name });
        e.HasOne<Team>().WithMany().HasForeignKey(s => s.TeamId).OnDelete(DeleteBehavior.Restrict);
    }
}
