using GrowthBrain.Accounts;
using GrowthBrain.Leads;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GrowthBrain.Privacy;

internal sealed class PendingCrmErasureConfiguration : IEntityTypeConfiguration<PendingCrmErasure>
{
    public void Configure(EntityTypeBuilder<PendingCrmErasure> e)
    {
        e.ToTable("pending_crm_erasures");
        e.Property(p => p.Crm).HasMaxLength(32);
        e.Property(p => p.RecordKind).HasMaxLength(32);
        e.Property(p => p.ExternalId).HasMaxLength(Lead.ShortText);
        e.Property(p => p.EmailHash).HasMaxLength(64);
        e.Property(p => p.LastError).HasMaxLength(1000);
        e.HasIndex(p => new { p.TeamId, p.Crm });
        e.HasOne<Team>().WithMany().HasForeignKey(p => p.TeamId).OnDelete(DeleteBehavior.Restrict);
    }
}
