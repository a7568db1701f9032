using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;

namespace GrowthBrain.Data;

/// <summary>Which database GrowthBrain talks to: `Database:Provider` and `ConnectionStrings:GrowthBrain`.</summary>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString)
{
    public const string DefaultSqlite = "Data Source=data/growthbrain.db";

    public static DatabaseSettings From(IConfiguration configuration)
    {
        var raw = configuration["Database:Provider"];
        DatabaseProvider provider;
        if (string.IsNullOrWhiteSpace(raw))
        {
            provider = DatabaseProvider.Sqlite;
        }
        else if (!Enum.TryParse(raw, ignoreCase: true, out provider) || !Enum.IsDefined(provider))
        {
            throw new InvalidOperationException(
                $"Database:Provider is '{raw}'; set it to 'Sqlite' (the default) or 'Postgres'.");
        }

        var connectionString = configuration.GetConnectionString("GrowthBrain");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            if (provider == DatabaseProvider.Postgres)
            {
                throw new InvalidOperationException(
                    "Database:Provider is Postgres but ConnectionStrings:GrowthBrain is empty; set it, e.g. " +
                    "ConnectionStrings__GrowthBrain='Host=127.0.0.1;Database=growthbrain;Username=growthbrain;Password=...'.");
            }
            connectionString = DefaultSqlite;
        }
        return new DatabaseSettings(provider, connectionString);
    }

    /// <summary>For SQLite, the file the connection string points at (null for in-memory or other providers).</summary>
    public string? SqliteFile =>
        Provider == DatabaseProvider.Sqlite && new SqliteConnectionStringBuilder(ConnectionString).DataSource is { Length: > 0 } file
            && file != ":memory:" ? Path.GetFullPath(file) : null;

    public override string ToString() => Provider == DatabaseProvider.Sqlite
        ? $"SQLite at {SqliteFile}"
        : $"PostgreSQL at {Redacted()}";

    private string Redacted()
    {
        var b = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString);
        return $"{b.Host}:{b.Port}/{b.Database}";
    }
}
