using Microsoft.EntityFrameworkCore.Design;

namespace GrowthBrain.Data;

public sealed class PostgresGrowthBrainDb(DbContextOptions<PostgresGrowthBrainDb> options) : GrowthBrainDb(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
}

/// <summary>Lets `dotnet ef migrations add` build the PostgreSQL model without a server.</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresGrowthBrainDb>
{
    public PostgresGrowthBrainDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresGrowthBrainDb>().UseNpgsql("Host=localhost;Database=design").Options);
}
