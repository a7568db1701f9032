using GrowthBrain.Leads;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GrowthBrain.Integrations;

internal sealed class CrmLinkConfiguration : IEntityTypeConfiguration<CrmLink>
{
    public void Configure(EntityTypeBuilder<CrmLink> e)
    {
        e.ToTable("crm_links");
        e.Property(c => c.Crm).HasMaxLength(32);
        e.Property(c => c.RecordKind).HasMaxLength(32);
        e.Property(c => c.ExternalId).HasMaxLength(Lead.ShortText);
        e.HasIndex(c => new { c.TeamId, c.Crm, c.RecordKind, c.ExternalId }).IsUnique();
        e.HasIndex(c => new { c.RecordKind, c.LocalId });
    }
}
