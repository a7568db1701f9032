using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace GrowthBrain.Data;

/// <summary>
/// Creates the provider-specific context for the configured database. Blazor components and
/// background work create short-lived contexts from here; requests get a scoped one.
/// </summary>
public sealed class GrowthBrainDbFactory : IDbContextFactory<GrowthBrainDb>
{
    private readonly DbContextOptions<SqliteGrowthBrainDb>? _sqlite;
    private readonly DbContextOptions<PostgresGrowthBrainDb>? _postgres;

    public GrowthBrainDbFactory(DatabaseSettings settings, ILoggerFactory? loggerFactory = null)
    {
        Settings = settings;
        if (settings.Provider == DatabaseProvider.Sqlite)
        {
            if (settings.SqliteFile is { } file)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            }
            var cs = new SqliteConnectionStringBuilder(settings.ConnectionString)
            {
                // Several writers (web app, import, jobs) share one file: wait for the lock instead of failing.
                DefaultTimeout = 60,
                Pooling = true,
            }.ToString();
            var b = new DbContextOptionsBuilder<SqliteGrowthBrainDb>().UseSqlite(cs)
                // A migration that adds a foreign key to an existing table makes EF rebuild the SQLite table with foreign
                // keys off, outside the migration's transaction, and warn on every fresh database after it (the baseline
                // has none yet). The rebuild is EF's own, not ours to split.
                .ConfigureWarnings(w => w.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.NonTransactionalMigrationOperationWarning));
            if (loggerFactory is not null) b.UseLoggerFactory(loggerFactory);
            _sqlite = b.Options;
        }
        else
        {
            var b = new DbContextOptionsBuilder<PostgresGrowthBrainDb>().UseNpgsql(settings.ConnectionString);
            if (loggerFactory is not null) b.UseLoggerFactory(loggerFactory);
            _postgres = b.Options;
        }
    }

    public DatabaseSettings Settings { get; }

    public GrowthBrainDb CreateDbContext() => Settings.Provider switch
    {
        DatabaseProvider.Sqlite => new SqliteGrowthBrainDb(_sqlite!),
        _ => new PostgresGrowthBrainDb(_postgres!),
    };
}
