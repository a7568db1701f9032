using System.Threading.Channels;
using GrowthBrain.Accounts;
using GrowthBrain.Audit;
using GrowthBrain.Data;
using GrowthBrain.Privacy;

namespace GrowthBrain.Leads.Import;

/// <param name="InitialLoadFromBytes">
/// Files at least this large, into a database with no leads yet, load with indexes built once at the end.
/// </param>
/// <param name="SourceName">The file's name as the person knows it (a browser upload is stored under another); the audit log shows it.</param>
/// <param name="ImportId">What the audit entry names as its subject (a browser upload's id); none for the CLI.</param>
public sealed record ImportLeads(string FilePath, string? MappingPath = null, string? RejectsPath = null, long? TeamId = null,
    long InitialLoadFromBytes = ImportLeads.DefaultInitialLoadFromBytes, string? SourceName = null, string? ImportId = null)
{
    public const long DefaultInitialLoadFromBytes = 16 * 1024 * 1024;
}

public sealed record RejectedRow(int RowNumber, long LineNumber, string Reason);

public sealed record ImportSummary(int Imported, int Updated, int Unchanged, int Rejected, string? RejectsFile,
    IReadOnlyList<RejectedRow> FirstRejects, IReadOnlyList<(string Heading, LeadField Field)> Columns)
{
    public int Rows => Imported + Updated + Unchanged + Rejected;
}

public readonly record struct ImportProgress(long BytesRead, long TotalBytes, int RowsRead, int RowsWritten);

/// <summary>
/// Imports a CRM export: recognises its headings, validates every row, upserts the good rows in
/// batches and writes each bad row, with its row number and reason, to the rejects file.
/// Rows are streamed, so memory stays flat however large the file is. Every import is audited as the
/// acting person (or "cli"), however it was started.
/// </summary>
public sealed class ImportLeadsHandler(GrowthBrainDb db, AuditLog audit, TeamScope scope, TimeProvider clock)
{
    /// <summary>The reason a row of an erased person is rejected.</summary>
    public const string ErasedReason = "erased at the person's request";

    public const string AuditAction = "leads.imported";

    public const int BatchSize = 25_000;

    /// <summary>
    /// Rows per transaction. PostgreSQL wants big batches (one COPY and a few statements each); SQLite writes
    /// row by row, so small batches cost nothing there and keep fewer parsed rows waiting in memory.
    /// </summary>
    public static int BatchSizeFor(DatabaseProvider provider) => provider == DatabaseProvider.Postgres ? 10_000 : 5_000;
    private const int RejectsShown = 20;

    public async Task<ImportSummary> HandleAsync(ImportLeads request, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        if (!File.Exists(request.FilePath))
        {
            throw new FileNotFoundException($"The file '{request.FilePath}' does not exist.", request.FilePath);
        }
        var mapping = request.MappingPath is null ? ColumnMapping.None : await ColumnMapping.LoadAsync(request.MappingPath, ct);
        var teamId = request.TeamId ?? await db.Teams.OrderBy(t => t.Id).Select(t => (long?)t.Id).FirstOrDefaultAsync(ct)
            ?? throw new InvalidOperationException("The database has no team yet; run `./growthbrain db migrate` first.");

        await using var file = new FileStream(request.FilePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        using var csv = new CsvRecordReader(file);
        var header = csv.ReadHeader() ?? throw new InvalidDataException($"The file '{request.FilePath}' is empty; expected a header line and rows.");
        var parser = new LeadRowParser(header, mapping, csv.Separator);
        var rejectsPath = RejectsPathFor(request);
        // A rejects file from an earlier run would describe rows that are now fine.
        File.Delete(rejectsPath);
        await using var rejects = new RejectsFile(rejectsPath, header);
        var rows = new RowCounts();

        // Parsing and writing overlap: one core reads the file while the other (or the database) merges.
        var batches = Channel.CreateBounded<List<ImportedLead>>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        var erased = await ErasedAsync(ct);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var produce = Task.Run(() => ReadBatchesAsync(csv, parser, erased, rejects, rows, batches.Writer, BatchSizeFor(db.Provider), stop.Token), stop.Token);
        MergeCounts counts;
        try
        {
            counts = await WriteBatchesAsync(request, teamId, parser, file, rows, batches.Reader, progress, ct);
        }
        catch
        {
            // Stop the reader too, or it would wait forever for room in the channel.
            await stop.CancelAsync();
            try { await produce; } catch (OperationCanceledException) { }
            throw;
        }
        await produce;
        progress?.Report(new ImportProgress(file.Length, file.Length, rows.Read, rows.Written));

        var summary = new ImportSummary(counts.Imported, counts.Updated, counts.Unchanged, rejects.Count,
            rejects.Count > 0 ? Path.GetFullPath(rejectsPath) : null, rows.FirstRejects, parser.Plan);
        await AuditAsync(request, teamId, summary, ct);
        return summary;
    }

    private static string RejectsPathFor(ImportLeads request)
    {
        var rejectsPath = request.RejectsPath ?? Path.ChangeExtension(request.FilePath, null) + ".rejects.csv";
        if (Path.GetFullPath(rejectsPath) == Path.GetFullPath(request.FilePath))
        {
            throw new ArgumentException($"The rejects file '{rejectsPath}' is the file being imported; choose another --rejects path.");
        }
        return rejectsPath;
    }

    /// <summary>
    /// Erased people must not come back. Loaded once: one hash per erasure, a few thousand at most, and a set lookup
    /// per row instead of a query per row. With no erasures (the usual case) rows aren't even hashed.
    /// </summary>
    private async Task<HashSet<string>> ErasedAsync(CancellationToken ct) =>
        (await db.Suppressions.AsNoTracking().Where(s => s.Reason == SuppressionReason.Erased)
            .Select(s => s.EmailHash).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);

    /// <summary>Rows read and written so far, and the first rejects to show; the reader and the writer each count their own.</summary>
    private sealed class RowCounts
    {
        public int Read;
        public int Written;
        public List<RejectedRow> FirstRejects { get; } = [];
    }

    /// <summary>Parses the rows into batches for the writer; bad rows and erased people go to the rejects file instead.</summary>
    private static async Task ReadBatchesAsync(CsvRecordReader csv, LeadRowParser parser, HashSet<string> erased, RejectsFile rejects,
        RowCounts rows, ChannelWriter<List<ImportedLead>> batches, int batchSize, CancellationToken ct)
    {
        try
        {
            var batch = new List<ImportedLead>(batchSize);
            var keys = new HashSet<string>(StringComparer.Ordinal);
            // Every key of every row so far, as 64-bit hashes (about 24 bytes a row): marks rows that may update an earlier one.
            var seen = new HashSet<long>();
            while (csv.TryRead(out var record))
            {
                ct.ThrowIfCancellationRequested();
                rows.Read++;
                var parsed = parser.Parse(record);
                if (parsed.Lead is null)
                {
                    var rejected = new RejectedRow(record.RowNumber, record.LineNumber, parsed.Error!);
                    if (rows.FirstRejects.Count < RejectsShown) rows.FirstRejects.Add(rejected);
                    await rejects.WriteAsync(rejected, record.Fields, ct);
                    continue;
                }
                if (erased.Count > 0 && parsed.Lead.EmailNormalized is { } email && erased.Contains(Suppression.HashEmail(email)))
                {
                    var rejected = new RejectedRow(record.RowNumber, record.LineNumber, ErasedReason);
                    if (rows.FirstRejects.Count < RejectsShown) rows.FirstRejects.Add(rejected);
                    // The rejects file must not become a copy of the erased person: their cells are left out.
                    await rejects.WriteAsync(rejected, [], ct);
                    continue;
                }
                parsed.Lead.SeenBefore = !Remember(seen, "i:", parsed.Lead.ExternalId) | !Remember(seen, "e:", parsed.Lead.EmailNormalized)
                                         | !Remember(seen, "n:", parsed.Lead.NameKey);
                // The same lead twice in one file (any key in common): write what came before first, so the later
                // row finds and updates the earlier one, as it would on a second import.
                if (SharesKey(keys, parsed.Lead) || batch.Count == batchSize)
                {
                    await batches.WriteAsync(batch, ct);
                    batch = new List<ImportedLead>(batchSize);
                    keys.Clear();
                }
                AddKeys(keys, parsed.Lead);
                batch.Add(parsed.Lead);
            }
            if (batch.Count > 0) await batches.WriteAsync(batch, ct);
            batches.Complete();
        }
        catch (Exception e)
        {
            batches.Complete(e);
            throw;
        }
    }

    /// <summary>Upserts each batch in its own transaction, reporting progress after each.</summary>
    private async Task<MergeCounts> WriteBatchesAsync(ImportLeads request, long teamId, LeadRowParser parser, FileStream file, RowCounts rows,
        ChannelReader<List<ImportedLead>> batches, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        var counts = new MergeCounts();
        var present = parser.Plan.Select(p => p.Field).ToHashSet();
        var initialLoad = file.Length >= request.InitialLoadFromBytes && !await db.Leads.AnyAsync(ct);
        await using var writer = await LeadBulkWriter.OpenAsync(db, teamId, present, ct, initialLoad);
        await foreach (var batch in batches.ReadAllAsync(ct))
        {
            var written = await writer.WriteBatchAsync(batch, clock.GetUtcNow().UtcDateTime, ct);
            counts += written;
            // Once per batch, after it committed: open pages show the new rows while a long import is still running.
            if (written.Imported + written.Updated > 0)
            {
                await GrowthBrain.Live.ChangeMarker.BumpAsync(db, teamId, "import", clock.GetUtcNow().UtcDateTime, ct);
            }
            rows.Written += batch.Count;
            progress?.Report(new ImportProgress(Math.Min(file.Position, file.Length), file.Length, rows.Read, rows.Written));
        }
        return counts;
    }

    private Task AuditAsync(ImportLeads request, long teamId, ImportSummary summary, CancellationToken ct)
    {
        var name = request.SourceName ?? Path.GetFileName(request.FilePath);
        return audit.RecordAsync(db, scope.Actor, AuditAction, teamId, "import", request.ImportId,
            $"{name}: {summary.Imported} imported, {summary.Updated} updated, {summary.Unchanged} unchanged, {summary.Rejected} rejected", ct);
    }

    private static bool SharesKey(HashSet<string> keys, ImportedLead lead) =>
        lead.ExternalId is { } i && keys.Contains("i:" + i) || lead.EmailNormalized is { } e && keys.Contains("e:" + e)
        || lead.NameKey is { } n && keys.Contains("n:" + n);

    private static void AddKeys(HashSet<string> keys, ImportedLead lead)
    {
        if (lead.ExternalId is { } i) keys.Add("i:" + i);
        if (lead.EmailNormalized is { } e) keys.Add("e:" + e);
        if (lead.NameKey is { } n) keys.Add("n:" + n);
    }

    /// <summary>Adds a key's hash; false when it was there already.</summary>
    private static bool Remember(HashSet<long> seen, string kind, string? key) =>
        key is null || seen.Add((long)System.IO.Hashing.XxHash3.HashToUInt64(System.Runtime.InteropServices.MemoryMarshal.AsBytes((kind + key).AsSpan())));

    /// <summary>
    /// Bad rows with their row number, line and reason, followed by the original cells (neutralised
    /// against formula injection), so they can be fixed and imported again. Created only when needed.
    /// </summary>
    private sealed class RejectsFile(string path, IReadOnlyList<string> header) : IAsyncDisposable
    {
        private StreamWriter? _writer;

        public int Count { get; private set; }

        public async Task WriteAsync(RejectedRow row, IReadOnlyList<string> cells, CancellationToken ct)
        {
            if (_writer is null)
            {
                if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } dir) Directory.CreateDirectory(dir);
                _writer = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(true));
                await _writer.WriteLineAsync(CsvText.Line(["row", "line", "reason", .. header]).AsMemory(), ct);
            }
            Count++;
            await _writer.WriteLineAsync(CsvText.Line([row.RowNumber.ToString(), row.LineNumber.ToString(), row.Reason, .. cells]).AsMemory(), ct);
        }

        public async ValueTask DisposeAsync()
        {
            if (_writer is not null) await _writer.DisposeAsync();
        }
    }
}
