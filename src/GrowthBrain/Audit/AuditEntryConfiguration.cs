using GrowthBrain.Leads;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GrowthBrain.Audit;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> e)
    {
        e.ToTable("audit_entries");
        e.Property(a => a.Actor).HasMaxLength(Lead.ShortText);
        e.Property(a => a.Action).HasMaxLength(64);
        e.Property(a => a.SubjectKind).HasMaxLength(32);
        e.Property(a => a.SubjectId).HasMaxLength(64);
        e.Property(a => a.Detail).HasMaxLength(2000);
        e.HasIndex(a => new { a.TeamId, a.At });
        // The overview's adoption date (the first entry) and active users (who acted in the last 30 days).
        e.HasIndex(a => a.At);
        e.HasIndex(a => new { a.SubjectKind, a.SubjectId });
    }
}
