using System.Globalization;
using System.Text;
using GrowthBrain.Data;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace GrowthBrain.Leads.Import;

/// <summary>
/// SQLite: the database is in-process, so a statement costs microseconds, not a round trip. Each row
/// is looked up by index (record id, e-mail, name) and inserted, updated or skipped with statements
/// prepared once, in one transaction per batch. Bound by position through SQLite's own API with a
/// reused UTF-8 buffer: Microsoft.Data.Sqlite looks parameters up by name on every execution, which
/// measured 15 µs per 29-column row, more than SQLite's work itself.
/// </summary>
internal sealed class SqliteLeadBulkWriter : LeadBulkWriter
{
    private readonly GrowthBrainDb _db;
    private readonly sqlite3 _handle;
    private readonly long _teamId;
    private readonly sqlite3_stmt _byId;
    private readonly sqlite3_stmt _byEmail;
    private readonly sqlite3_stmt _byName;
    private readonly sqlite3_stmt _insert;
    private readonly sqlite3_stmt _update;
    private readonly IReadOnlyList<LeadColumn> _updated;
    private readonly string _restorePragmas;
    private byte[] _utf8 = new byte[16 * 1024];
    private readonly char[] _date = new char[32];

    private SqliteLeadBulkWriter(GrowthBrainDb db, sqlite3 handle, long teamId, IReadOnlySet<LeadField> present, string restorePragmas)
    {
        _db = db;
        _handle = handle;
        _teamId = teamId;
        _restorePragmas = restorePragmas;
        _updated = LeadColumns.Updated(present);
        _byId = Prepare("SELECT id, content_hash FROM leads WHERE team_id = ?1 AND external_id = ?2 ORDER BY id LIMIT 1");
        // An e-mail match must not merge two different CRM records that happen to share an address.
        _byEmail = Prepare("SELECT id, content_hash FROM leads WHERE team_id = ?1 AND email_normalized = ?2 AND (?3 IS NULL OR external_id IS NULL) ORDER BY id LIMIT 1");
        _byName = Prepare("SELECT id, content_hash FROM leads WHERE team_id = ?1 AND name_key = ?2 ORDER BY id LIMIT 1");
        var all = LeadColumns.All;
        _insert = Prepare($"INSERT INTO leads (team_id, {string.Join(", ", all.Select(c => c.Name))}, imported_at, updated_at) " +
                          $"VALUES (?1, {string.Join(", ", all.Select((_, i) => "?" + (i + 2)))}, ?{all.Length + 2}, ?{all.Length + 2})");
        var set = _updated.Select((c, i) => c.KeepWhenEmpty ? $"{c.Name} = COALESCE(?{i + 1}, {c.Name})" : $"{c.Name} = ?{i + 1}").ToList();
        var n = _updated.Count;
        _update = Prepare($"UPDATE leads SET {string.Concat(set.Select(s => s + ", "))}custom_fields = json_patch(custom_fields, ?{n + 1}), " +
                          $"content_hash = ?{n + 2}, updated_at = ?{n + 3} WHERE id = ?{n + 4}");
    }

    public static async Task<SqliteLeadBulkWriter> OpenAsync(GrowthBrainDb db, long teamId, IReadOnlySet<LeadField> present, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        // For this connection only while it imports, restored on dispose: NORMAL still survives a process crash
        // in WAL mode; a larger page cache keeps the leads indexes in memory; a larger WAL before checkpoints
        // stops SQLite from copying the same index pages back to the file after every batch.
        var restore = new StringBuilder();
        foreach (var pragma in new[] { "synchronous", "cache_size", "wal_autocheckpoint" })
        {
            await using var read = connection.CreateCommand();
            read.CommandText = $"PRAGMA {pragma}";
            restore.Append(CultureInfo.InvariantCulture, $"PRAGMA {pragma}={Convert.ToInt64(await read.ExecuteScalarAsync(ct))}; ");
        }
        await db.Database.ExecuteSqlRawAsync(BulkPragmas, ct);
        return new SqliteLeadBulkWriter(db, connection.Handle!, teamId, present, restore.ToString());
    }

    private const string BulkPragmas = "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-131072; PRAGMA wal_autocheckpoint=20000;";

    // The 128 MB page cache is freed before the aggregates' rebuild, which groups a million rows with memory of its
    // own; together they took a 1M-lead first load past 500 MB.
    private protected override async Task LeaveBulkSettingsAsync(CancellationToken ct)
    {
        await _db.Database.ExecuteSqlRawAsync(_restorePragmas, ct);
        await _db.Database.ExecuteSqlRawAsync("PRAGMA shrink_memory;", ct);
    }

    private protected override async Task EnterBulkSettingsAsync(CancellationToken ct) => await _db.Database.ExecuteSqlRawAsync(BulkPragmas, ct);

    public override async Task<MergeCounts> WriteBatchAsync(IReadOnlyList<ImportedLead> batch, DateTime now, CancellationToken ct)
    {
        PhaseClock.Restart();
        if (InitialLoad && batch.Any(l => l.SeenBefore)) await EndInitialLoadAsync(_db, ct);
        int imported = 0, updated = 0, unchanged = 0;
        var stamp = FormatDate(now);
        await using var tx = await _db.Database.BeginTransactionAsync(ct);
        foreach (var lead in batch)
        {
            ct.ThrowIfCancellationRequested();
            var (id, hash) = InitialLoad ? (null, 0) : Find(lead);
            if (id is null)
            {
                Insert(lead, stamp);
                imported++;
            }
            else if (hash != lead.ContentHash)
            {
                Update(id.Value, lead, stamp);
                updated++;
            }
            else
            {
                unchanged++;
            }
        }
        Phase("rows");
        await tx.CommitAsync(ct);
        Phase("commit");
        return new MergeCounts(imported, updated, unchanged);
    }

    private (long? Id, long Hash) Find(ImportedLead lead)
    {
        if (lead.ExternalId is not null && Lookup(_byId, lead.ExternalId, null) is { } byId) return byId;
        if (lead.EmailNormalized is not null && Lookup(_byEmail, lead.EmailNormalized, lead.ExternalId) is { } byEmail) return byEmail;
        if (lead.NameKey is not null && Lookup(_byName, lead.NameKey, null) is { } byName) return byName;
        return (null, 0);
    }

    private (long?, long)? Lookup(sqlite3_stmt statement, string key, string? externalId)
    {
        Check(raw.sqlite3_bind_int64(statement, 1, _teamId));
        BindText(statement, 2, key);
        if (statement == _byEmail) BindText(statement, 3, externalId);
        try
        {
            var rc = raw.sqlite3_step(statement);
            if (rc == raw.SQLITE_ROW) return (raw.sqlite3_column_int64(statement, 0), raw.sqlite3_column_int64(statement, 1));
            if (rc != raw.SQLITE_DONE) Check(rc);
            return null;
        }
        finally
        {
            raw.sqlite3_reset(statement);
        }
    }

    private void Insert(ImportedLead lead, string stamp)
    {
        Check(raw.sqlite3_bind_int64(_insert, 1, _teamId));
        var all = LeadColumns.All;
        for (var i = 0; i < all.Length; i++)
        {
            var column = all[i];
            // A lead without a creation date in the file was created, as far as anyone knows, when it arrived.
            if (column.Name == "created_at" && lead.CreatedAt is null) BindText(_insert, i + 2, stamp);
            else Bind(_insert, i + 2, column, lead);
        }
        BindText(_insert, all.Length + 2, stamp);
        Step(_insert);
    }

    private void Update(long id, ImportedLead lead, string stamp)
    {
        for (var i = 0; i < _updated.Count; i++) Bind(_update, i + 1, _updated[i], lead);
        var n = _updated.Count;
        BindText(_update, n + 1, lead.CustomFields);
        Check(raw.sqlite3_bind_int64(_update, n + 2, lead.ContentHash));
        BindText(_update, n + 3, stamp);
        Check(raw.sqlite3_bind_int64(_update, n + 4, id));
        Step(_update);
    }

    private void Bind(sqlite3_stmt statement, int index, LeadColumn column, ImportedLead lead)
    {
        switch (column.Type)
        {
            case StagingType.Text:
                BindText(statement, index, column.Text!(lead));
                break;
            case StagingType.Int or StagingType.Long:
                Check(column.Integer!(lead) is { } n ? raw.sqlite3_bind_int64(statement, index, n) : raw.sqlite3_bind_null(statement, index));
                break;
            case StagingType.Decimal:
                Check(column.Money!(lead) is { } m ? raw.sqlite3_bind_double(statement, index, (double)m) : raw.sqlite3_bind_null(statement, index));
                break;
            default:
                BindText(statement, index, column.Date!(lead) is { } d ? FormatDate(d) : null);
                break;
        }
    }

    private void BindText(sqlite3_stmt statement, int index, string? value)
    {
        if (value is null)
        {
            Check(raw.sqlite3_bind_null(statement, index));
            return;
        }
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (max > _utf8.Length) _utf8 = new byte[Math.Max(max, _utf8.Length * 2)];
        var length = Encoding.UTF8.GetBytes(value, _utf8);
        // SQLitePCL passes SQLITE_TRANSIENT for spans: SQLite copies the bytes, so the buffer can be reused at once.
        Check(raw.sqlite3_bind_text(statement, index, _utf8.AsSpan(0, length)));
    }

    /// <summary>The same text form EF Core's SQLite provider writes, so EF reads these rows back.</summary>
    private string FormatDate(DateTime value) =>
        value.TryFormat(_date, out var n, "yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture) ? new string(_date, 0, n) : value.ToString(CultureInfo.InvariantCulture);

    private void Step(sqlite3_stmt statement)
    {
        try
        {
            var rc = raw.sqlite3_step(statement);
            if (rc != raw.SQLITE_DONE) Check(rc);
        }
        finally
        {
            raw.sqlite3_reset(statement);
        }
    }

    private sqlite3_stmt Prepare(string sql)
    {
        Check(raw.sqlite3_prepare_v2(_handle, sql, out var statement));
        return statement;
    }

    private void Check(int rc)
    {
        if (rc is not (raw.SQLITE_OK or raw.SQLITE_DONE or raw.SQLITE_ROW))
            throw new SqliteException($"SQLite error {rc}: {raw.sqlite3_errmsg(_handle).utf8_to_string()}", rc);
    }

    public override async ValueTask DisposeAsync()
    {
        try
        {
            foreach (var s in new[] { _byId, _byEmail, _byName, _insert, _update }) s.Dispose();
            await EndInitialLoadAsync(_db, CancellationToken.None);
            // The pooled connection goes back with the settings it came with.
            await _db.Database.ExecuteSqlRawAsync(_restorePragmas);
        }
        finally
        {
            await _db.Database.CloseConnectionAsync();
        }
    }
}
