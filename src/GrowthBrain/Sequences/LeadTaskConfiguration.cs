using GrowthBrain.Leads;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GrowthBrain.Sequences;

internal sealed class LeadTaskConfiguration : IEntityTypeConfiguration<LeadTask>
{
    public void Configure(EntityTypeBuilder<LeadTask> e)
    {
        e.ToTable("lead_tasks");
        e.Property(t => t.Title).HasMaxLength(Lead.ShortText);
        e.Property(t => t.DoneBy).HasMaxLength(Lead.ShortText);
        e.HasIndex(t => new { t.LeadId, t.DoneAt });
        e.HasOne<Lead>().WithMany().HasForeignKey(t => t.LeadId).OnDelete(DeleteBehavior.Cascade);
    }
}
