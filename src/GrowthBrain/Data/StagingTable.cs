using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

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
    private SqliteCommand? _insert;

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
            await InsertAsync((SqliteConnection)_connection, (SqliteTransaction?)transaction, rows, ct);
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

    private async Task InsertAsync(SqliteConnection connection, SqliteTransaction? transaction, IEnumerable<object?[]> rows, CancellationToken ct)
    {
        if (_insert is null || _insert.Transaction != transaction)
        {
            _insert?.Dispose();
            _insert = connection.CreateCommand();
            _insert.CommandText = $"INSERT INTO {Name} ({string.Join(", ", Columns.Select(c => c.Name))}) " +
                                  $"VALUES ({string.Join(", ", Columns.Select((_, i) => "$p" + i))})";
            _insert.Transaction = transaction;
            for (var i = 0; i < Columns.Count; i++)
            {
                _insert.Parameters.Add(new SqliteParameter("$p" + i, Columns[i].Type switch
                {
                    StagingType.Int or StagingType.Long => SqliteType.Integer,
                    StagingType.Decimal or StagingType.Double => SqliteType.Real,
                    _ => SqliteType.Text,
                }));
            }
            _insert.Prepare();
        }

        var parameters = _insert.Parameters;
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                parameters[i].Value = row[i] switch
                {
                    null => DBNull.Value,
                    decimal d => (double)d,
                    // The same text form EF Core's SQLite provider writes, so EF reads these rows back.
                    DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture),
                    var v => v,
                };
            }
            await _insert.ExecuteNonQueryAsync(ct);
        }
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
        _insert?.Dispose();
        _insert = null;
        await ExecuteAsync($"DROP TABLE IF EXISTS {Name}", ct);
    }
}
