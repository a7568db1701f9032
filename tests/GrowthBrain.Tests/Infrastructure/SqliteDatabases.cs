using GrowthBrain.Data;
using Microsoft.EntityFrameworkCore;

namespace GrowthBrain.Tests.Infrastructure;

/// <summary>Real SQLite files in a temp folder: a migrated template copied per test (faster than migrating each).</summary>
public sealed class SqliteDatabases : IDatabaseProvider, IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "growthbrain-tests", Guid.NewGuid().ToString("N"));
    private string _template = "";

    public DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _template = Path.Combine(_folder, "template.db");
        var factory = new GrowthBrainDbFactory(new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={_template};Pooling=false"));
        await using var db = factory.CreateDbContext();
        await new MigrateDatabaseHandler(db, TimeProvider.System).HandleAsync(new MigrateDatabase(), CancellationToken.None);
        // Fold the WAL back into the file so a plain file copy is a complete database.
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        await db.Database.OpenConnectionAsync();
        cmd.CommandText = "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE;";
        await cmd.ExecuteNonQueryAsync();
    }

    public Task<TestDatabase> CreateAsync(CancellationToken ct = default)
    {
        var file = Path.Combine(_folder, $"{Guid.NewGuid():N}.db");
        File.Copy(_template, file);
        var factory = new GrowthBrainDbFactory(new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={file}"));
        return Task.FromResult(new TestDatabase(factory, () =>
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var f in new[] { file, file + "-wal", file + "-shm" }) File.Delete(f);
            return Task.CompletedTask;
        }));
    }

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
        return ValueTask.CompletedTask;
    }
}
