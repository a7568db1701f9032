using System.Data.Common;
using GrowthBrain.Data;
using Microsoft.EntityFrameworkCore.Storage;

namespace GrowthBrain.Leads.Import;

public readonly record struct MergeCounts(int Imported, int Updated, int Unchanged)
{
    public static MergeCounts operator +(MergeCounts a, MergeCounts b) =>
        new(a.Imported + b.Imported, a.Updated + b.Updated, a.Unchanged + b.Unchanged);
}

/// <summary>
/// Writes batches of imported leads, inserting new ones, updating changed ones and leaving identical
/// ones alone (by content hash), matching each row by record id, then e-mail, then name. One
/// implementation per provider, each the fast path there. Each batch commits on its own, so a crash
/// loses at most one batch and re-running the import picks up where it stopped (rows already in
/// count as unchanged).
/// </summary>
public abstract class LeadBulkWriter : IAsyncDisposable
{
    /// <param name="initialLoad">
    /// The table is empty: drop its secondary indexes and the dashboard aggregates' triggers, insert without looking
    /// anything up, and build the indexes and the aggregates once at the end (or at the first row whose key repeats an
    /// earlier row's). Until then the leads page's total and the dashboard lag behind the rows being loaded.
    /// </param>
    public static async Task<LeadBulkWriter> OpenAsync(GrowthBrainDb db, long teamId, IReadOnlySet<LeadField> presentFields, CancellationToken ct,
        bool initialLoad = false)
    {
        // An earlier first load that stopped half way left indexes or triggers out: put them back before writing.
        await IndexRebuild.RestoreAsync(db, ct);
        await DatabaseObjects.EnsureAsync(db, Insights.LeadStatsTriggers.Set, ct);
        LeadBulkWriter writer = db.Provider == DatabaseProvider.Postgres
            ? await PostgresLeadBulkWriter.OpenAsync(db, teamId, presentFields, ct)
            : await SqliteLeadBulkWriter.OpenAsync(db, teamId, presentFields, ct);
        if (initialLoad)
        {
            await IndexRebuild.DropSecondaryIndexesAsync(db, "leads", ct);
            await DatabaseObjects.SuspendAsync(db, Insights.LeadStatsTriggers.Set, "leads", ct);
            writer.InitialLoad = true;
        }
        return writer;
    }

    private protected bool InitialLoad { get; private set; }

    /// <summary>Builds the dropped indexes again: before a row that may match an earlier one, and at the end.</summary>
    private protected async Task EndInitialLoadAsync(GrowthBrainDb db, CancellationToken ct)
    {
        if (!InitialLoad) return;
        InitialLoad = false;
        await IndexRebuild.RestoreAsync(db, ct);
        // The triggers come back and every aggregate is rebuilt from the rows, in one transaction, with the
        // connection's own settings: the rebuild's grouping needs no bulk page cache on top of its own memory.
        await LeaveBulkSettingsAsync(ct);
        await DatabaseObjects.EnsureAsync(db, Insights.LeadStatsTriggers.Set, ct);
        await EnterBulkSettingsAsync(ct);
    }

    /// <summary>Puts the connection's own settings back for a while (SQLite: the page cache the import enlarged).</summary>
    private protected virtual Task LeaveBulkSettingsAsync(CancellationToken ct) => Task.CompletedTask;

    private protected virtual Task EnterBulkSettingsAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>Writes one batch in its own transaction.</summary>
    public abstract Task<MergeCounts> WriteBatchAsync(IReadOnlyList<ImportedLead> batch, DateTime now, CancellationToken ct);

    public abstract ValueTask DisposeAsync();

    private protected static readonly bool TracePhases = Environment.GetEnvironmentVariable("GROWTHBRAIN_TRACE_IMPORT") == "1";
    private protected static readonly Dictionary<string, double> PhaseTotals = [];
    private protected readonly System.Diagnostics.Stopwatch PhaseClock = new();

    /// <summary>Where an import's time goes, per phase, when GROWTHBRAIN_TRACE_IMPORT=1 (for bench/).</summary>
    public static string PhaseReport() => string.Join(", ", PhaseTotals.Select(kv => $"{kv.Key} {kv.Value:0.00}s"));

    private protected void Phase(string name)
    {
        if (!TracePhases) return;
        lock (PhaseTotals) PhaseTotals[name] = PhaseTotals.GetValueOrDefault(name) + PhaseClock.Elapsed.TotalSeconds;
        PhaseClock.Restart();
    }
}

/// <summary>
/// PostgreSQL: binary COPY of each batch into a temporary staging table, then a few set-based
/// statements (match joins, UPDATE ... FROM, INSERT ... SELECT). Round trips, not rows, are what costs.
/// </summary>
internal sealed class PostgresLeadBulkWriter : LeadBulkWriter
{
    private static readonly LeadColumn[] Columns = LeadColumns.All;

    private static readonly StagingColumn[] StagingColumns =
    [
        new("row_no", StagingType.Int),
        .. LeadColumns.All.Select(c => new StagingColumn(c.Name, c.Type)),
        new("lead_id", StagingType.Long),
        new("existing_hash", StagingType.Long),
    ];

    private readonly GrowthBrainDb _db;
    private readonly StagingTable _staging;
    private readonly long _teamId;
    private readonly string _updateSql;
    private readonly string _insertSql;
    private long _insertedSinceAnalyze;
    private long _rowsAtLastAnalyze;

    private PostgresLeadBulkWriter(GrowthBrainDb db, StagingTable staging, long teamId, IReadOnlySet<LeadField> presentFields)
    {
        _db = db;
        _staging = staging;
        _teamId = teamId;

        // Columns the file does not have are left alone on update: a partial export must not wipe fields.
        var updated = LeadColumns.Updated(presentFields).ToList();
        const string mergeCustom = "(l.custom_fields::jsonb || s.custom_fields::jsonb)::text";
        _updateSql =
            "UPDATE leads AS l SET " +
            string.Join(", ", updated.Select(c => c.KeepWhenEmpty ? $"{c.Name} = COALESCE(s.{c.Name}, l.{c.Name})" : $"{c.Name} = s.{c.Name}")) + (updated.Count > 0 ? ", " : "") +
            $"custom_fields = {mergeCustom}, content_hash = s.content_hash, updated_at = @now " +
            "FROM import_staging AS s WHERE s.lead_id = l.id AND s.existing_hash <> s.content_hash";

        var insertColumns = Columns.Select(c => c.Name).ToList();
        _insertSql =
            $"INSERT INTO leads (team_id, {string.Join(", ", insertColumns)}, imported_at, updated_at) " +
            $"SELECT {teamId}, {string.Join(", ", insertColumns.Select(c => c == "created_at" ? "COALESCE(created_at, @now)" : c))}, @now, @now " +
            "FROM import_staging WHERE lead_id IS NULL ORDER BY row_no";
    }

    internal static async Task<PostgresLeadBulkWriter> OpenAsync(GrowthBrainDb db, long teamId, IReadOnlySet<LeadField> presentFields, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        var staging = await StagingTable.CreateAsync(db.Database.GetDbConnection(), db.Provider, "import_staging", StagingColumns, ct);
        return new PostgresLeadBulkWriter(db, staging, teamId, presentFields);
    }

    /// <summary>The batch must not hold the same lead twice (the import splits batches at a repeated key).</summary>
    public override async Task<MergeCounts> WriteBatchAsync(IReadOnlyList<ImportedLead> batch, DateTime now, CancellationToken ct)
    {
        PhaseClock.Restart();
        if (InitialLoad && batch.Any(l => l.SeenBefore)) await EndInitialLoadAsync(_db, ct);
        if (InitialLoad) return await CopyIntoLeadsAsync(batch, now, ct);
        await using var tx = await _db.Database.BeginTransactionAsync(ct);
        var dbTx = tx.GetDbTransaction();
        await _staging.ClearAsync(dbTx, ct);
        await _staging.LoadAsync(batch.Select(ToRow), dbTx, ct);

        Phase("load");
        // Match by record id, then e-mail, then name, fetching the stored hash at the same time.
        const string byId = "l.external_id = s.external_id";
        // An e-mail match must not merge two different CRM records that happen to share an address.
        const string byEmail = "l.email_normalized = s.email_normalized AND (s.external_id IS NULL OR l.external_id IS NULL)";
        const string byName = "l.name_key = s.name_key";
        await MatchAsync("s.external_id IS NOT NULL", byId, dbTx, now, ct);
        Phase("match id");
        await MatchAsync("s.lead_id IS NULL AND s.email_normalized IS NOT NULL", byEmail, dbTx, now, ct);
        Phase("match email");
        if (batch.Any(l => l.NameKey is not null)) await MatchAsync("s.lead_id IS NULL AND s.name_key IS NOT NULL", byName, dbTx, now, ct);
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
        if (_insertedSinceAnalyze > 0 && _insertedSinceAnalyze >= _rowsAtLastAnalyze)
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

    /// <summary>Initial load: nothing to match, so straight into `leads` with binary COPY.</summary>
    private async Task<MergeCounts> CopyIntoLeadsAsync(IReadOnlyList<ImportedLead> batch, DateTime now, CancellationToken ct)
    {
        var connection = (Npgsql.NpgsqlConnection)_db.Database.GetDbConnection();
        var columns = LeadColumns.All;
        await using (var copy = await connection.BeginBinaryImportAsync(
            $"COPY leads (team_id, {string.Join(", ", columns.Select(c => c.Name))}, imported_at, updated_at) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var lead in batch)
            {
                ct.ThrowIfCancellationRequested();
                copy.StartRow();
                copy.Write(_teamId, NpgsqlTypes.NpgsqlDbType.Bigint);
                foreach (var column in columns)
                {
                    switch (column.Type)
                    {
                        case StagingType.Text:
                            if (column.Text!(lead) is { } text) copy.Write(text, NpgsqlTypes.NpgsqlDbType.Text); else copy.WriteNull();
                            break;
                        case StagingType.Int:
                            if (column.Integer!(lead) is { } i) copy.Write((int)i, NpgsqlTypes.NpgsqlDbType.Integer); else copy.WriteNull();
                            break;
                        case StagingType.Long:
                            if (column.Integer!(lead) is { } l) copy.Write(l, NpgsqlTypes.NpgsqlDbType.Bigint); else copy.WriteNull();
                            break;
                        case StagingType.Decimal:
                            if (column.Money!(lead) is { } m) copy.Write(m, NpgsqlTypes.NpgsqlDbType.Numeric); else copy.WriteNull();
                            break;
                        default:
                            // A lead without a creation date in the file was created, as far as anyone knows, when it arrived.
                            var date = column.Date!(lead) ?? (column.Name == "created_at" ? now : null);
                            if (date is { } d) copy.Write(d, NpgsqlTypes.NpgsqlDbType.TimestampTz); else copy.WriteNull();
                            break;
                    }
                }
                copy.Write(now, NpgsqlTypes.NpgsqlDbType.TimestampTz);
                copy.Write(now, NpgsqlTypes.NpgsqlDbType.TimestampTz);
            }
            await copy.CompleteAsync(ct);
        }
        Phase("copy into leads");
        return new MergeCounts(batch.Count, 0, 0);
    }

    private Task MatchAsync(string staged, string match, DbTransaction tx, DateTime now, CancellationToken ct) =>
        ExecAsync($"""
            UPDATE import_staging AS s SET lead_id = l.id, existing_hash = l.content_hash
            FROM leads AS l WHERE {staged} AND l.team_id = {_teamId} AND {match}
            """, tx, now, ct);

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
        p.Value = now;
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

    public override async ValueTask DisposeAsync()
    {
        try
        {
            await EndInitialLoadAsync(_db, CancellationToken.None);
            await _staging.DropAsync(CancellationToken.None);
        }
        finally
        {
            await _db.Database.CloseConnectionAsync();
        }
    }
}
