namespace GrowthBrain.Data;

/// <summary>
/// An index dropped for a bulk first load, with the statement that recreates it. Written in the same
/// transaction as the drop, so a crash mid-import can't leave the database without its indexes: the next
/// import or `db migrate` (which every start runs) recreates whatever is listed here.
/// </summary>
public sealed class PendingIndex
{
    public long Id { get; set; }
    public required string TableName { get; set; }
    public required string IndexName { get; set; }
    public required string CreateSql { get; set; }
}

internal sealed class PendingIndexConfiguration : IEntityTypeConfiguration<PendingIndex>
{
    public void Configure(EntityTypeBuilder<PendingIndex> e)
    {
        e.ToTable("pending_indexes");
        e.Property(p => p.TableName).HasMaxLength(64);
        e.Property(p => p.IndexName).HasMaxLength(128);
    }
}
