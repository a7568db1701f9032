using System.Data.Common;

namespace GrowthBrain.Data;

/// <summary>
/// Drops a table's secondary indexes for a bulk first load and builds them again afterwards: building
/// an index once by sorting is several times faster than updating it for every inserted row.
/// </summary>
public static class IndexRebuild
{
    public static async Task DropSecondaryIndexesAsync(GrowthBrainDb db, string table, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        await using var tx = await connection.BeginTransactionAsync(ct);
        var indexes = new List<(string Name, string Sql)>();
        await using (var read = connection.CreateCommand())
        {
            read.Transaction = tx;
            read.CommandText = db.Provider == DatabaseProvider.Postgres
                ? $"SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = '{table}' AND indexname NOT LIKE 'PK\\_%'"
                : $"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = '{table}' AND sql IS NOT NULL";
            await using var reader = await read.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) indexes.Add((reader.GetString(0), reader.GetString(1)));
        }
        foreach (var (name, sql) in indexes)
        {
            await ExecAsync(connection, tx, "INSERT INTO pending_indexes (table_name, index_name, create_sql) VALUES (@t, @n, @s)", ct,
                ("@t", table), ("@n", name), ("@s", sql));
            await ExecAsync(connection, tx, $"DROP INDEX \"{name}\"", ct);
        }
        await tx.CommitAsync(ct);
    }

    /// <summary>Recreates every index listed as pending; safe to call at any time, and quick when none is.</summary>
    public static async Task<int> RestoreAsync(GrowthBrainDb db, CancellationToken ct)
    {
        var pending = await db.Set<PendingIndex>().AsNoTracking().OrderBy(p => p.Id).ToListAsync(ct);
        if (pending.Count == 0) return 0;
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened) await db.Database.OpenConnectionAsync(ct);
        try
        {
            foreach (var index in pending)
            {
                await using var tx = await connection.BeginTransactionAsync(ct);
                if (!await ExistsAsync(db, connection, tx, index.IndexName, ct)) await ExecAsync(connection, tx, index.CreateSql, ct);
                await ExecAsync(connection, tx, "DELETE FROM pending_indexes WHERE id = @id", ct, ("@id", index.Id));
                await tx.CommitAsync(ct);
            }
            if (db.Provider == DatabaseProvider.Postgres)
            {
                // Fresh statistics, or the planner would still think the bulk-loaded table is empty.
                foreach (var table in pending.Select(p => p.TableName).Distinct()) await ExecAsync(connection, null, $"ANALYZE {table}", ct);
            }
        }
        finally
        {
            if (opened) await db.Database.CloseConnectionAsync();
        }
        return pending.Count;
    }

    private static async Task<bool> ExistsAsync(GrowthBrainDb db, DbConnection connection, DbTransaction tx, string name, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = db.Provider == DatabaseProvider.Postgres
            ? "SELECT COUNT(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname = @n"
            : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = @n";
        var p = cmd.CreateParameter();
        p.ParameterName = "@n";
        p.Value = name;
        cmd.Parameters.Add(p);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct)) > 0;
    }

    private static async Task ExecAsync(DbConnection connection, DbTransaction? tx, string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.CommandTimeout = 0;
        foreach (var (name, value) in parameters)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            cmd.Parameters.Add(p);
        }
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
