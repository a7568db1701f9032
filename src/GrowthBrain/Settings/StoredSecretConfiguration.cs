using GrowthBrain.Leads;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GrowthBrain.Settings;

internal sealed class StoredSecretConfiguration : IEntityTypeConfiguration<StoredSecret>
{
    public void Configure(EntityTypeBuilder<StoredSecret> e)
    {
        e.ToTable("stored_secrets");
        e.Property(s => s.Kind).HasConversion<string>().HasMaxLength(64);
        e.Property(s => s.UpdatedBy).HasMaxLength(Lead.ShortText);
        e.HasIndex(s => s.Kind).IsUnique();
    }
}
