using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;

namespace GrowthBrain.Data;

internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<DataProtectionKey> e) => e.ToTable("data_protection_keys");
}
