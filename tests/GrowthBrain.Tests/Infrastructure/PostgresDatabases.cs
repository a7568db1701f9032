using GrowthBrain.Data;
using Npgsql;

namespace GrowthBrain.Tests.Infrastructure;

/// <summary>
/// Databases on the throwaway PostgreSQL server scripts/test.sh starts (GROWTHBRAIN_TEST_POSTGRES).
/// One migrated template per run; each test gets `CREATE DATABASE ... TEMPLATE`, a file copy on the server.
/// </summary>
public sealed class PostgresDatabases : IDatabaseProvider, IAsyncLifetime
{
    public const string ServerVariable = "GROWTHBRAIN_TEST_POSTGRES";
    private readonly string _prefix = "gbt_" + Guid.NewGuid().ToString("N")[..10];
    private string? _server;
    private string _template = "";

    public DatabaseProvider Provider => DatabaseProvider.Postgres;

    public async ValueTask InitializeAsync()
    {
        _server = Environment.GetEnvironmentVariable(ServerVariable);
        if (string.IsNullOrWhiteSpace(_server)) return;
        _template = _prefix + "_template";
        await ExecAsync($"CREATE DATABASE {_template}");
        var factory = new GrowthBrainDbFactory(new DatabaseSettings(DatabaseProvider.Postgres, ConnectionTo(_template, pooling: false)));
        await using (var db = factory.CreateDbContext())
        {
            await new MigrateDatabaseHandler(db, TimeProvider.System).HandleAsync(new MigrateDatabase(), CancellationToken.None);
        }
        NpgsqlConnection.ClearAllPools();
    }

    public async Task<TestDatabase> CreateAsync(CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(_server))
        {
            if (Environment.GetEnvironmentVariable("GROWTHBRAIN_REQUIRE_POSTGRES") == "1")
                throw new InvalidOperationException($"{ServerVariable} is not set but GROWTHBRAIN_REQUIRE_POSTGRES=1; run scripts/test.sh.");
            Assert.Skip($"PostgreSQL tests need {ServerVariable}; scripts/test.sh starts a server and sets it.");
        }
        var name = $"{_prefix}_{Guid.NewGuid():N}"[..40];
        await ExecAsync($"CREATE DATABASE {name} TEMPLATE {_template}", ct);
        var factory = new GrowthBrainDbFactory(new DatabaseSettings(DatabaseProvider.Postgres, ConnectionTo(name, pooling: true)));
        return new TestDatabase(factory, async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await ExecAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        });
    }

    private string ConnectionTo(string database, bool pooling) =>
        new NpgsqlConnectionStringBuilder(_server) { Database = database, Pooling = pooling }.ConnectionString;

    private async Task ExecAsync(string sql, CancellationToken ct = default)
    {
        await using var conn = new NpgsqlConnection(ConnectionTo("postgres", pooling: false));
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (string.IsNullOrWhiteSpace(_server)) return;
        NpgsqlConnection.ClearAllPools();
        await ExecAsync($"DROP DATABASE IF EXISTS {_template} WITH (FORCE)");
    }
}
