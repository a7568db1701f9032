using System.Data.Common;
using Microsoft.EntityFrameworkCore.Storage;

namespace GrowthBrain.Data;

/// <summary>
/// The one home of the schema that EF's migrations do not hold: the triggers that keep the dashboard aggregates and
/// the leads page's expression index. <c>db migrate</c> installs and upgrades them after the migrations; the bulk
/// import suspends a set's triggers on one table for a first load and restores them through the same methods. They
/// stay out of the migration files so that a migration regenerated from the model cannot lose them
/// (docs/adr/0011-dashboard-aggregates-in-triggers.md).
/// </summary>
public static class DatabaseObjects
{
    public static IReadOnlyList<TriggerSet> TriggerSets { get; } = [GrowthBrain.Insights.LeadStatsTriggers.Set];

    /// <summary>
    /// The leads list's default sort (score, highest first, unscored last, then id) is an expression EF's model cannot
    /// index. Without this index the first page sorts every visible lead; with it, it reads 25. Not led by team_id: the
    /// owner's query has no team condition, and a rep's team is a filter on the walk.
    /// </summary>
    private const string ScoreOrderIndex =
        "CREATE INDEX IF NOT EXISTS ix_leads_score_order ON leads ((score_probability IS NULL), score_probability DESC, id)";

    /// <summary>Installs every trigger set that is missing or at another version, and the expression indexes; a no-op when all are in place.</summary>
    public static async Task EnsureAsync(GrowthBrainDb db, CancellationToken ct)
    {
        foreach (var set in TriggerSets) await EnsureAsync(db, set, ct);
        await db.Database.ExecuteSqlRawAsync(ScoreOrderIndex, ct);
    }

    /// <summary>
    /// Installs the set when any of its triggers is missing (fresh database, older version, a table rebuilt, a
    /// suspended load that never finished) and rebuilds what it keeps in the same transaction. True when it installed.
    /// </summary>
    public static async Task<bool> EnsureAsync(GrowthBrainDb db, TriggerSet set, CancellationToken ct)
    {
        var postgres = db.Provider == DatabaseProvider.Postgres;
        var tables = string.Join(", ", set.Tables.Select(t => postgres ? $"'{t}'::regclass" : $"'{t}'"));
        var count = postgres
            ? $"SELECT COUNT(*) FROM pg_trigger WHERE tgname LIKE '{set.Tag}\\_%' AND tgrelid IN ({tables})"
            : $"SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE '{set.Tag}\\_%' ESCAPE '\\' AND tbl_name IN ({tables})";
        var statements = set.Statements(db.Provider);
        var expected = statements.Count(sql => sql.StartsWith("CREATE TRIGGER", StringComparison.Ordinal));
        var connection = db.Database.GetDbConnection();
        // Looked at outside any transaction first, so a start-up while an import writes does not wait for the import
        // when there is nothing to do (the usual case).
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            if (await ScalarAsync(connection, null, count, ct) == expected) return false;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var dbTx = tx.GetDbTransaction();
        if (postgres) await LockAsync(db, set, dbTx, ct);
        if (await ScalarAsync(connection, dbTx, count, ct) == expected) // another instance installed them meanwhile
        {
            await tx.RollbackAsync(ct);
            return false;
        }
        foreach (var old in await NamesAsync(connection, dbTx, postgres
                     ? $"SELECT tgname || ' ON ' || tgrelid::regclass::text FROM pg_trigger WHERE tgname LIKE '{Like(set.Prefix)}\\_%'"
                     : $"SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '{Like(set.Prefix)}\\_%' ESCAPE '\\'", ct))
            await ExecAsync(connection, dbTx, $"DROP TRIGGER {old}", ct);
        foreach (var sql in statements) await ExecAsync(connection, dbTx, sql, ct);
        await set.Rebuild(db, dbTx, ct);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>
    /// Drops the set's triggers on one table for a first load into it, where per-row upkeep costs more than one
    /// set-based rebuild at the end. Nothing is lost if the load stops half way: <see cref="EnsureAsync(GrowthBrainDb, TriggerSet, CancellationToken)"/>
    /// finds them missing at the load's end, the next import or the next migrate, puts them back and rebuilds.
    /// </summary>
    public static async Task SuspendAsync(GrowthBrainDb db, TriggerSet set, string table, CancellationToken ct)
    {
        var postgres = db.Provider == DatabaseProvider.Postgres;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var connection = db.Database.GetDbConnection();
        var dbTx = tx.GetDbTransaction();
        foreach (var name in await NamesAsync(connection, dbTx, postgres
                     ? $"SELECT tgname FROM pg_trigger WHERE tgname LIKE '{Like(set.Prefix)}\\_%' AND tgrelid = '{table}'::regclass"
                     : $"SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = '{table}' AND name LIKE '{Like(set.Prefix)}\\_%' ESCAPE '\\'", ct))
            await ExecAsync(connection, dbTx, postgres ? $"DROP TRIGGER {name} ON {table}" : $"DROP TRIGGER {name}", ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>PostgreSQL: holds writers of the set's tables off until the transaction ends (readers go on).</summary>
    internal static Task LockAsync(GrowthBrainDb db, TriggerSet set, DbTransaction tx, CancellationToken ct) =>
        ExecAsync(db.Database.GetDbConnection(), tx, $"LOCK TABLE {string.Join(", ", set.Tables)} IN SHARE ROW EXCLUSIVE MODE", ct);

    internal static async Task ExecAsync(DbConnection connection, DbTransaction tx, string sql, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.CommandTimeout = 0;
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static string Like(string prefix) => prefix.Replace("_", "\\_", StringComparison.Ordinal);

    private static async Task<long> ScalarAsync(DbConnection connection, DbTransaction? tx, string sql, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<List<string>> NamesAsync(DbConnection connection, DbTransaction tx, string sql, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        var names = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) names.Add(reader.GetString(0));
        return names;
    }
}
