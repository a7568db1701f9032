using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GrowthBrain.Data;

internal sealed class PendingIndexConfiguration : IEntityTypeConfiguration<PendingIndex>
{
    public void Configure(EntityTypeBuilder<PendingIndex> e)
    {
        e.ToTable("pending_indexes");
        e.Property(p => p.TableName).HasMaxLength(64);
        e.Property(p => p.IndexName).HasMaxLength(128);
    }
}
