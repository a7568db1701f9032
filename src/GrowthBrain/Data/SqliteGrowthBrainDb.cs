using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace GrowthBrain.Data;

public sealed class SqliteGrowthBrainDb(DbContextOptions<SqliteGrowthBrainDb> options) : GrowthBrainDb(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    protected override void ConfigureConventions(ModelConfigurationBuilder conventions)
    {
        // SQLite has no decimal type and EF cannot sort or compare decimals stored as text;
        // money as REAL keeps ORDER BY and SUM working (cents-level precision is plenty here).
        conventions.Properties<decimal>().HaveConversion<double>();
        conventions.Properties<decimal?>().HaveConversion<double?>();
        // SQLite stores DateTime as text without a kind; everything GrowthBrain stores is UTC.
        conventions.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        conventions.Properties<DateTime?>().HaveConversion<NullableUtcDateTimeConverter>();
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    private sealed class NullableUtcDateTimeConverter() : ValueConverter<DateTime?, DateTime?>(
        v => v.HasValue ? (v.Value.Kind == DateTimeKind.Utc ? v : v.Value.ToUniversalTime()) : v,
        v => v.HasValue ? DateTime.SpecifyKind(v.Value, DateTimeKind.Utc) : v);
}

/// <summary>Lets `dotnet ef migrations add` build the SQLite model without the app's configuration.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteGrowthBrainDb>
{
    public SqliteGrowthBrainDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteGrowthBrainDb>().UseSqlite("Data Source=design.db").Options);
}
