using System.Data.Common;
using GrowthBrain.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace GrowthBrain.Leads.Import;

public readonly record struct MergeCounts(int Imported, int Updated, int Unchanged)
{
    public static MergeCounts operator +(MergeCounts a, MergeCounts b) =>
        new(a.Imported + b.Imported, a.Updated + b.Updated, a.Unchanged + b.Unchanged);
}

/// <summary>
/// Writes batches of imported leads: loads them into a staging table (binary COPY on PostgreSQL,
/// prepared inserts on SQLite), then merges with a few set-based statements that match each row by
/// record id, then e-mail, then name, and insert, update or leave it alone by content hash.
/// Each batch commits on its own, so a crash loses at most one batch and re-running the import
/// picks up where it stopped (rows already in count as unchanged).
/// </summary>
public sealed class LeadBulkWriter : IAsyncDisposable
{
    private sealed record LeadColumn(string Name, StagingType Type, Func<ImportedLead, object?> Value, LeadField[] From);

    private static readonly LeadColumn[] Columns =
    [
        new("external_id", StagingType.Text, l => l.ExternalId, [LeadField.ExternalId]),
        new("email_normalized", StagingType.Text, l => l.EmailNormalized, [LeadField.Email]),
        new("name_key", StagingType.Text, l => l.NameKey, [LeadField.FirstName, LeadField.LastName, LeadField.FullName, LeadField.Email, LeadField.ExternalId]),
        new("first_name", StagingType.Text, l => l.FirstName, [LeadField.FirstName, LeadField.FullName]),
        new("last_name", StagingType.Text, l => l.LastName, [LeadField.LastName, LeadField.FullName]),
        new("email", StagingType.Text, l => l.Email, [LeadField.Email]),
        new("phone", StagingType.Text, l => l.Phone, [LeadField.Phone]),
        new("company", StagingType.Text, l => l.Company, [LeadField.Company]),
        new("job_title", StagingType.Text, l => l.JobTitle, [LeadField.JobTitle]),
        new("industry", StagingType.Text, l => l.Industry, [LeadField.Industry]),
        new("company_size", StagingType.Int, l => l.CompanySize, [LeadField.CompanySize]),
        new("annual_revenue", StagingType.Decimal, l => l.AnnualRevenue, [LeadField.AnnualRevenue]),
        new("country", StagingType.Text, l => l.Country, [LeadField.Country]),
        new("city", StagingType.Text, l => l.City, [LeadField.City]),
        new("source", StagingType.Text, l => l.Source, [LeadField.Source]),
        new("campaign", StagingType.Text, l => l.Campaign, [LeadField.Campaign]),
        new("owner", StagingType.Text, l => l.Owner, [LeadField.Owner]),
        new("stage", StagingType.Text, l => l.Stage, [LeadField.Stage]),
        new("status", StagingType.Text, l => l.Status, [LeadField.Status]),
        new("outcome", StagingType.Int, l => (int)l.Outcome, [LeadField.Outcome, LeadField.Stage, LeadField.Status, LeadField.WonAt, LeadField.LostAt]),
        new("deal_value", StagingType.Decimal, l => l.DealValue, [LeadField.DealValue]),
        new("created_at", StagingType.DateTime, l => l.CreatedAt, [LeadField.CreatedAt]),
        new("last_activity_at", StagingType.DateTime, l => l.LastActivityAt, [LeadField.LastActivityAt]),
        new("closed_at", StagingType.DateTime, l => l.ClosedAt, [LeadField.ClosedAt, LeadField.WonAt, LeadField.LostAt]),
        new("notes", StagingType.Text, l => l.Notes, [LeadField.Notes]),
        new("custom_fields", StagingType.Text, l => l.CustomFields, []),
        new("content_hash", StagingType.Long, l => l.ContentHash, []),
    ];

    private static readonly StagingColumn[] StagingColumns =
    [
        new("row_no", StagingType.Int),
        .. Columns.Select(c => new StagingColumn(c.Name, c.Type)),
        new("lead_id", StagingType.Long),
        new("existing_hash", StagingType.Long),
    ];

    private readonly GrowthBrainDb _db;
    private readonly StagingTable _staging;
    private readonly long _teamId;
    private readonly string _updateSql;
    private readonly string _insertSql;
    private readonly System.Diagnostics.Stopwatch _phase = new();
    private static readonly bool TracePhases = Environment.GetEnvironmentVariable("GROWTHBRAIN_TRACE_IMPORT") == "1";
    private static readonly Dictionary<string, double> PhaseTotals = [];

    private void Phase(string name)
    {
        if (!TracePhases) return;
        PhaseTotals[name] = PhaseTotals.GetValueOrDefault(name) + _phase.Elapsed.TotalSeconds;
        _phase.Restart();
    }

    public static string PhaseReport() => string.Join(", ", PhaseTotals.Select(kv => $"{kv.Key} {kv.Value:0.00}s"));

    private long _insertedSinceAnalyze;
    private long _rowsAtLastAnalyze;
    private string? _restorePragmas;

    private LeadBulkWriter(GrowthBrainDb db, StagingTable staging, long teamId, IReadOnlySet<LeadField> presentFields)
    {
        _db = db;
        _staging = staging;
        _teamId = teamId;

        // Columns the file does not have are left alone on update: a partial export must not wipe fields.
        var updated = Columns.Where(c => c.From.Length > 0 && c.From.Any(presentFields.Contains)).Select(c => c.Name).ToList();
        var mergeCustom = db.Provider == DatabaseProvider.Postgres
            ? "(l.custom_fields::jsonb || s.custom_fields::jsonb)::text"
            : "json_patch(l.custom_fields, s.custom_fields)";
        _updateSql =
            "UPDATE leads AS l SET " +
            string.Join(", ", updated.Select(c => $"{c} = s.{c}")) + (updated.Count > 0 ? ", " : "") +
            $"custom_fields = {mergeCustom}, content_hash = s.content_hash, updated_at = @now " +
            "FROM import_staging AS s WHERE s.lead_id = l.id AND s.existing_hash <> s.content_hash";

        var insertColumns = Columns.Select(c => c.Name).ToList();
        _insertSql =
            $"INSERT INTO leads (team_id, {string.Join(", ", insertColumns)}, imported_at, updated_at) " +
            $"SELECT {teamId}, {string.Join(", ", insertColumns.Select(c => c == "created_at" ? "COALESCE(created_at, @now)" : c))}, @now, @now " +
            "FROM import_staging WHERE lead_id IS NULL ORDER BY row_no";
    }

    public static async Task<LeadBulkWriter> OpenAsync(GrowthBrainDb db, long teamId, IReadOnlySet<LeadField> presentFields, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        string? restorePragmas = null;
        if (db.Provider == DatabaseProvider.Sqlite)
        {
            // For this connection only, while it imports (restored on dispose): in WAL mode NORMAL still
            // survives a crash of the process, and a bigger page cache keeps the leads indexes in memory
            // instead of re-reading them from the OS for every staged row. Temp tables (staging) in memory.
            restorePragmas = "";
            foreach (var pragma in new[] { "synchronous", "cache_size", "temp_store" })
            {
                await using var read = db.Database.GetDbConnection().CreateCommand();
                read.CommandText = $"PRAGMA {pragma}";
                restorePragmas += $"PRAGMA {pragma}={Convert.ToInt64(await read.ExecuteScalarAsync(ct))}; ";
            }
            await db.Database.ExecuteSqlRawAsync("PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;", ct);
        }
        var staging = await StagingTable.CreateAsync(db.Database.GetDbConnection(), db.Provider, "import_staging", StagingColumns, ct);
        return new LeadBulkWriter(db, staging, teamId, presentFields) { _restorePragmas = restorePragmas };
    }

    /// <summary>Writes one batch in its own transaction. The batch must not hold the same lead twice.</summary>
    public async Task<MergeCounts> WriteBatchAsync(IReadOnlyList<ImportedLead> batch, DateTime now, CancellationToken ct)
    {
        _phase.Restart();
        await using var tx = await _db.Database.BeginTransactionAsync(ct);
        var dbTx = tx.GetDbTransaction();
        await _staging.ClearAsync(dbTx, ct);
        await _staging.LoadAsync(batch.Select(ToRow), dbTx, ct);

        Phase("load");
        // Match by record id, then e-mail, then name: one join each, fetching the stored hash at the same time.
        var team = _teamId;
        await ExecAsync($"""
            UPDATE import_staging AS s SET lead_id = l.id, existing_hash = l.content_hash
            FROM leads AS l
            WHERE s.external_id IS NOT NULL AND l.team_id = {team} AND l.external_id = s.external_id
            """, dbTx, now, ct);
        Phase("match id");
        // An e-mail match must not merge two different CRM records that happen to share an address.
        await ExecAsync($"""
            UPDATE import_staging AS s SET lead_id = l.id, existing_hash = l.content_hash
            FROM leads AS l
            WHERE s.lead_id IS NULL AND s.email_normalized IS NOT NULL AND l.team_id = {team}
              AND l.email_normalized = s.email_normalized AND (s.external_id IS NULL OR l.external_id IS NULL)
            """, dbTx, now, ct);
        Phase("match email");
        if (batch.Any(l => l.NameKey is not null))
        {
            await ExecAsync($"""
                UPDATE import_staging AS s SET lead_id = l.id, existing_hash = l.content_hash
                FROM leads AS l
                WHERE s.lead_id IS NULL AND s.name_key IS NOT NULL AND l.team_id = {team} AND l.name_key = s.name_key
                """, dbTx, now, ct);
        }
        Phase("match name");

        var counts = await CountAsync(dbTx, ct);
        Phase("count");
        if (counts.Updated > 0) await ExecAsync(_updateSql, dbTx, now, ct);
        Phase("update");
        if (counts.Imported > 0) await ExecAsync(_insertSql, dbTx, now, ct);
        Phase("insert");
        await tx.CommitAsync(ct);
        Phase("commit");

        // PostgreSQL plans the lookups above from the statistics of `leads`. Into an empty or small table,
        // autovacuum's ANALYZE comes far too late: the planner still thinks the table is tiny, scans it
        // for every staged row and the first import of a large file slows down quadratically (measured:
        // 5,700 rows/s for a million rows). Analyzing each time the table has doubled costs a few
        // ANALYZEs per import (six for a million rows into an empty table: after 25k, 50k, 100k, ... rows).
        _insertedSinceAnalyze += counts.Imported;
        if (_db.Provider == DatabaseProvider.Postgres && _insertedSinceAnalyze > 0 && _insertedSinceAnalyze >= _rowsAtLastAnalyze)
        {
            await using var analyze = _db.Database.GetDbConnection().CreateCommand();
            analyze.CommandText = "ANALYZE leads";
            analyze.CommandTimeout = 0;
            await analyze.ExecuteNonQueryAsync(ct);
            _rowsAtLastAnalyze += _insertedSinceAnalyze;
            _insertedSinceAnalyze = 0;
        }
        return counts;
    }

    private async Task<MergeCounts> CountAsync(DbTransaction tx, CancellationToken ct)
    {
        await using var cmd = _db.Database.GetDbConnection().CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            SELECT
              COALESCE(SUM(CASE WHEN lead_id IS NULL THEN 1 ELSE 0 END), 0),
              COALESCE(SUM(CASE WHEN lead_id IS NOT NULL AND existing_hash <> content_hash THEN 1 ELSE 0 END), 0),
              COALESCE(SUM(CASE WHEN lead_id IS NOT NULL AND existing_hash = content_hash THEN 1 ELSE 0 END), 0)
            FROM import_staging
            """;
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new MergeCounts(Convert.ToInt32(reader.GetValue(0)), Convert.ToInt32(reader.GetValue(1)), Convert.ToInt32(reader.GetValue(2)));
    }

    private async Task ExecAsync(string sql, DbTransaction tx, DateTime now, CancellationToken ct)
    {
        await using var cmd = _db.Database.GetDbConnection().CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.CommandTimeout = 0;
        var p = cmd.CreateParameter();
        p.ParameterName = "@now";
        p.Value = _db.Provider == DatabaseProvider.Sqlite
            ? now.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture)
            : now;
        cmd.Parameters.Add(p);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static object?[] ToRow(ImportedLead lead)
    {
        var row = new object?[StagingColumns.Length];
        row[0] = lead.RowNumber;
        for (var i = 0; i < Columns.Length; i++) row[i + 1] = Columns[i].Value(lead);
        return row;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _staging.DropAsync(CancellationToken.None);
            // The pooled connection goes back with the settings it came with.
            if (_restorePragmas is not null) await _db.Database.ExecuteSqlRawAsync(_restorePragmas);
        }
        finally
        {
            await _db.Database.CloseConnectionAsync();
        }
    }
}
