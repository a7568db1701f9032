using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using SQLitePCL;

namespace GrowthBrain.Data;

public enum StagingType { Text, Int, Long, Decimal, Double, DateTime }

public sealed record StagingColumn(string Name, StagingType Type);

/// <summary>
/// A temporary table that bulk data is loaded into before one set-based merge: binary COPY on
/// PostgreSQL, a prepared insert reused for every row on SQLite. EF's SaveChanges tracks every
/// entity and sends one statement per row, which is far too slow for CRM-sized files.
/// </summary>
public sealed class StagingTable
{
    private readonly DbConnection _connection;
    private readonly DatabaseProvider _provider;

    private StagingTable(DbConnection connection, DatabaseProvider provider, string name, IReadOnlyList<StagingColumn> columns)
    {
        _connection = connection;
        _provider = provider;
        Name = name;
        Columns = columns;
    }

    public string Name { get; }
    public IReadOnlyList<StagingColumn> Columns { get; }

    public static async Task<StagingTable> CreateAsync(DbConnection connection, DatabaseProvider provider, string name,
        IReadOnlyList<StagingColumn> columns, CancellationToken ct)
    {
        var table = new StagingTable(connection, provider, name, columns);
        var ddl = string.Join(", ", columns.Select(c => $"{c.Name} {table.SqlType(c.Type)}"));
        await table.ExecuteAsync($"DROP TABLE IF EXISTS {name}", ct);
        await table.ExecuteAsync($"CREATE TEMP TABLE {name} ({ddl})", ct);
        return table;
    }

    private string SqlType(StagingType type) => (_provider, type) switch
    {
        (_, StagingType.Text) => "TEXT",
        (DatabaseProvider.Postgres, StagingType.Int) => "integer",
        (DatabaseProvider.Postgres, StagingType.Long) => "bigint",
        (DatabaseProvider.Postgres, StagingType.Decimal) => "numeric(18,2)",
        (DatabaseProvider.Postgres, StagingType.Double) => "double precision",
        (DatabaseProvider.Postgres, StagingType.DateTime) => "timestamp with time zone",
        (_, StagingType.Int or StagingType.Long) => "INTEGER",
        (_, StagingType.Decimal or StagingType.Double) => "REAL",
        _ => "TEXT",
    };

    /// <summary>Loads rows; each row has one value per column, in column order (null for NULL).</summary>
    public async Task LoadAsync(IEnumerable<object?[]> rows, DbTransaction? transaction, CancellationToken ct)
    {
        if (_provider == DatabaseProvider.Postgres)
        {
            await CopyAsync((NpgsqlConnection)_connection, rows, ct);
        }
        else
        {
            await InsertAsync((SqliteConnection)_connection, rows, ct);
        }
    }

    private async Task CopyAsync(NpgsqlConnection connection, IEnumerable<object?[]> rows, CancellationToken ct)
    {
        var types = Columns.Select(c => c.Type switch
        {
            StagingType.Text => NpgsqlDbType.Text,
            StagingType.Int => NpgsqlDbType.Integer,
            StagingType.Long => NpgsqlDbType.Bigint,
            StagingType.Decimal => NpgsqlDbType.Numeric,
            StagingType.Double => NpgsqlDbType.Double,
            _ => NpgsqlDbType.TimestampTz,
        }).ToArray();
        await using var copy = await connection.BeginBinaryImportAsync(
            $"COPY {Name} ({string.Join(", ", Columns.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)", ct);
        // Synchronous writes per value: they only fill Npgsql's buffer (which flushes when full), and an
        // awaited call per cell (about 29 million for a million-row file) cost more than the COPY itself.
        foreach (var row in rows)
        {
            ct.ThrowIfCancellationRequested();
            copy.StartRow();
            for (var i = 0; i < types.Length; i++)
            {
                if (row[i] is null) copy.WriteNull();
                else copy.Write(row[i], types[i]);
            }
        }
        await copy.CompleteAsync(ct);
    }

    private Task InsertAsync(SqliteConnection connection, IEnumerable<object?[]> rows, CancellationToken ct)
    {
        // Bound by position through SQLite's own API: Microsoft.Data.Sqlite looks every parameter up by name
        // on every execution, which measured 15 µs per 29-column row, more than SQLite's insert itself.
        // Same connection, so the statement runs inside the caller's transaction.
        var sql = $"INSERT INTO {Name} ({string.Join(", ", Columns.Select(c => c.Name))}) VALUES ({string.Join(", ", Columns.Select((_, i) => "?" + (i + 1)))})";
        var db = connection.Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
        Check(db, raw.sqlite3_prepare_v2(db, sql, out var statement));
        using (statement)
        {
            foreach (var row in rows)
            {
                ct.ThrowIfCancellationRequested();
                for (var i = 0; i < row.Length; i++)
                {
                    var rc = row[i] switch
                    {
                        null => raw.sqlite3_bind_null(statement, i + 1),
                        string text => raw.sqlite3_bind_text(statement, i + 1, text),
                        int n => raw.sqlite3_bind_int64(statement, i + 1, n),
                        long n => raw.sqlite3_bind_int64(statement, i + 1, n),
                        double d => raw.sqlite3_bind_double(statement, i + 1, d),
                        decimal d => raw.sqlite3_bind_double(statement, i + 1, (double)d),
                        // The same text form EF Core's SQLite provider writes, so EF reads these rows back.
                        DateTime t => raw.sqlite3_bind_text(statement, i + 1, t.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture)),
                        var v => raw.sqlite3_bind_text(statement, i + 1, Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)),
                    };
                    Check(db, rc);
                }
                var step = raw.sqlite3_step(statement);
                if (step != raw.SQLITE_DONE) Check(db, step);
                raw.sqlite3_reset(statement);
            }
        }
        return Task.CompletedTask;
    }

    private static void Check(sqlite3 db, int rc)
    {
        if (rc is not (raw.SQLITE_OK or raw.SQLITE_DONE or raw.SQLITE_ROW))
            throw new SqliteException($"SQLite error {rc}: {raw.sqlite3_errmsg(db).utf8_to_string()}", rc);
    }

    public Task ClearAsync(DbTransaction? transaction, CancellationToken ct) =>
        ExecuteAsync(_provider == DatabaseProvider.Postgres ? $"TRUNCATE {Name}" : $"DELETE FROM {Name}", ct, transaction);

    public async Task<int> ExecuteAsync(string sql, CancellationToken ct, DbTransaction? transaction = null)
    {
        await using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = transaction;
        cmd.CommandTimeout = 0;
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task DropAsync(CancellationToken ct)
    {
        await ExecuteAsync($"DROP TABLE IF EXISTS {Name}", ct);
    }
}
