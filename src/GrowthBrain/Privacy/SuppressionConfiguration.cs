using GrowthBrain.Leads;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GrowthBrain.Privacy;

internal sealed class SuppressionConfiguration : IEntityTypeConfiguration<Suppression>
{
    public void Configure(EntityTypeBuilder<Suppression> e)
    {
        e.ToTable("suppressions");
        e.Property(s => s.EmailHash).HasMaxLength(64);
        e.Property(s => s.Source).HasMaxLength(Lead.ShortText);
        e.HasIndex(s => s.EmailHash);
    }
}
