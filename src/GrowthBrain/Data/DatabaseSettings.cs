using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace GrowthBrain.Data;

/// <summary>Which database GrowthBrain talks to, resolved from <see cref="DatabaseOptions"/>.</summary>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString)
{
    public const string DefaultSqlite = "Data Source=data/growthbrain.db";

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

/// <summary>
/// `Database:Provider` and `ConnectionStrings:GrowthBrain` (the connection string keeps its conventional home, so
/// `ConnectionStrings__GrowthBrain` works as every .NET tool expects). Provider is a string so that a typo gets our
/// message (see <see cref="DatabaseOptionsValidator"/>) rather than the binder's.
/// </summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";
    public const string ConnectionStringName = "GrowthBrain";

    public string? Provider { get; set; }

    /// <summary>Filled from `ConnectionStrings:GrowthBrain`, not from the `Database` section.</summary>
    public string? ConnectionString { get; set; }

    public DatabaseProvider ProviderKind => TryParseProvider(out var p) ? p : DatabaseProvider.Sqlite;

    /// <summary>False when Provider is set to something that is not a provider (the validator's refusal); unset is SQLite.</summary>
    internal bool TryParseProvider(out DatabaseProvider provider)
    {
        provider = DatabaseProvider.Sqlite;
        return string.IsNullOrWhiteSpace(Provider)
            || Enum.TryParse(Provider, ignoreCase: true, out provider) && Enum.IsDefined(provider);
    }

    public DatabaseSettings ToSettings() => new(ProviderKind,
        string.IsNullOrWhiteSpace(ConnectionString) ? DatabaseSettings.DefaultSqlite : ConnectionString);

    // The connection string may hold a password: only the provider is shown.
    public override string ToString() => $"Database:Provider={Provider ?? "(default)"}, ConnectionStrings:GrowthBrain={(string.IsNullOrWhiteSpace(ConnectionString) ? "(default)" : "(set)")}";
}

/// <summary>Checks the database settings at start-up, each message naming the setting and what to put there.</summary>
public sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions o)
    {
        if (!o.TryParseProvider(out _))
            return ValidateOptionsResult.Fail($"Database:Provider is '{o.Provider}'; set it to 'Sqlite' (the default) or 'Postgres'.");
        if (o.ProviderKind == DatabaseProvider.Postgres && string.IsNullOrWhiteSpace(o.ConnectionString))
            return ValidateOptionsResult.Fail(
                "Database:Provider is Postgres but ConnectionStrings:GrowthBrain is empty; set it, e.g. " +
                "ConnectionStrings__GrowthBrain='Host=127.0.0.1;Database=growthbrain;Username=growthbrain;Password=...'.");
        return ValidateOptionsResult.Success;
    }
}
