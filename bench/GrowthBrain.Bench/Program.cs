using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GrowthBrain.Data;
using GrowthBrain.Leads;
using GrowthBrain.Leads.Import;
using GrowthBrain.Synthetic;
using Microsoft.EntityFrameworkCore;

// The import benchmark, one measurement per process so that the peak working set is that run's own.
// bench/run-import.sh orchestrates the runs and writes docs/benchmarks.md; every command here prints
// one JSON line on standard output and nothing else there.
//
//   generate --file F [--leads 1000000] [--dirty 0.01] [--seed 42]
//   import   --provider sqlite|postgres --file F --connection CS [--ef-baseline] [--limit N] [--erased N]
//   parse    --file F [--limit N]                 time CSV scanning alone, then scanning + row parsing
//   dashboard --provider sqlite|postgres --connection CS [--leads 1000000] [--activities 5] [--runs 5] [--page-runs 20] [--pages-only] [--no-rescore] [--reuse]
//             [--reuse] [--pages-only]
//            fill a fresh database set-based (--reuse: keep what an earlier run filled), then time the overview and the
//            leads page's first page (p50, p95, max of --page-runs) and the sources, team and model reports
//   followups [--leads 20000] [--runs 3] [--doc docs/benchmarks.md --command C]
//                                                 template writer drafts/s and guardrail checks/s (bench/run-followups.sh)
//   sync [--limits off|on] [--contacts 100000 (limits on: 50000)] [--provider sqlite|postgres --connection SERVER] [--seed 42]
//            HubSpot fake in this process, a fresh database, one timed SyncCrmHandler run (pull, training + scoring,
//            write-back), then (limits off) the sync after it and an idle one; limits on: the write-back's call rate (bench/run-sync.sh)
//   sync --crm salesforce|pipedrive [--records 20000] [--provider ...]   the same against the Salesforce or Pipedrive fake, limits off

var cmd = args.Length > 0 ? args[0] : "";
var opts = Options.Parse(args.Skip(1).ToArray());
try
{
    var result = cmd switch
    {
        "generate" => await Bench.GenerateAsync(opts),
        "import" => opts.Has("ef-baseline") ? await Bench.EfBaselineAsync(opts) : await Bench.BulkImportAsync(opts),
        "parse" => Bench.Parse(opts),
        "dashboard" => await DashboardBench.RunAsync(opts),
        "followups" => FollowUpBench.Run(opts),
        "sync" => await SyncBench.RunAsync(opts),
        _ => throw new ArgumentException($"unknown command '{cmd}'; use generate, import, parse, dashboard, followups or sync"),
    };
    result["peakWorkingSetMb"] = Math.Round(Bench.PeakWorkingSetBytes() / 1048576.0, 1);
    Console.WriteLine(JsonSerializer.Serialize(result));
    if (Environment.GetEnvironmentVariable("GROWTHBRAIN_TRACE_IMPORT") == "1") Console.Error.WriteLine(GrowthBrain.Leads.Import.LeadBulkWriter.PhaseReport());
    return 0;
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"bench: {e.Message}");
    return 2;
}

internal sealed class Options(Dictionary<string, string?> values)
{
    public static Options Parse(string[] args)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"unexpected argument '{args[i]}'");
            var name = args[i][2..];
            values[name] = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : null;
        }
        return new Options(values);
    }

    public bool Has(string name) => values.ContainsKey(name);

    public string Get(string name) =>
        values.TryGetValue(name, out var v) && v is not null ? v : throw new ArgumentException($"--{name} is required");

    public string? Find(string name) => values.TryGetValue(name, out var v) ? v : null;

    public int Int(string name, int fallback) => Find(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
}

internal static class Bench
{
    private static readonly DateTime Now = SyntheticCrmOptions.DefaultNow;

    public static async Task<Dictionary<string, object?>> GenerateAsync(Options o)
    {
        var leads = o.Int("leads", 1_000_000);
        var dirty = double.Parse(o.Find("dirty") ?? "0.01", CultureInfo.InvariantCulture);
        var seed = o.Int("seed", 42);
        var sw = Stopwatch.StartNew();
        var crm = new SyntheticCrm(new SyntheticCrmOptions(Leads: leads, Seed: seed, Now: Now));
        var summary = await SyntheticCsvExport.WriteAsync(crm.Generate(), o.Get("file"), CrmExportStyle.HubSpot, dirty, seed);
        return new()
        {
            ["rows"] = summary.Rows,
            ["dirtyRows"] = summary.DirtyRows,
            ["bytes"] = new FileInfo(o.Get("file")).Length,
            ["seconds"] = Math.Round(sw.Elapsed.TotalSeconds, 2),
        };
    }

    private static GrowthBrainDbFactory Factory(Options o)
    {
        var provider = o.Get("provider").ToLowerInvariant() switch
        {
            "sqlite" => DatabaseProvider.Sqlite,
            "postgres" or "postgresql" => DatabaseProvider.Postgres,
            var p => throw new ArgumentException($"--provider is '{p}'; use sqlite or postgres"),
        };
        return new GrowthBrainDbFactory(new DatabaseSettings(provider, o.Get("connection")));
    }

    private static async Task<long> MigrateAsync(GrowthBrainDbFactory factory)
    {
        await using var db = factory.CreateDbContext();
        return (await new MigrateDatabaseHandler(db, TimeProvider.System).HandleAsync(new MigrateDatabase(), CancellationToken.None)).DefaultTeamId;
    }

    /// <summary>The product's import (staging + set-based merge), timed around the handler only.</summary>
    public static async Task<Dictionary<string, object?>> BulkImportAsync(Options o)
    {
        if (o.Has("limit")) throw new ArgumentException("--limit is for --ef-baseline; the bulk import always reads the whole file");
        var factory = Factory(o);
        await MigrateAsync(factory);
        var file = o.Get("file");
        var rejects = o.Find("rejects") ?? Path.Combine(Path.GetTempPath(), $"gb-bench-{Environment.ProcessId}.rejects.csv");

        await using var db = factory.CreateDbContext();
        // --erased N: N people erased before the import (addresses not in the file), so every row with an
        // e-mail is checked against the erased list: the import's cost of honouring erasures.
        for (var i = 0; i < o.Int("erased", 0); i++)
        {
            db.Suppressions.Add(new GrowthBrain.Privacy.Suppression
            {
                EmailHash = GrowthBrain.Privacy.Suppression.HashEmail($"erased{i}@bench.invalid"), Reason = GrowthBrain.Privacy.SuppressionReason.Erased,
                CreatedAt = DateTime.UtcNow, Source = "bench",
            });
        }
        await db.SaveChangesAsync();
        var sw = Stopwatch.StartNew();
        var summary = await new ImportLeadsHandler(db, new GrowthBrain.Audit.AuditLog(TimeProvider.System), GrowthBrain.Accounts.TeamScope.System("bench"), TimeProvider.System)
            .HandleAsync(new ImportLeads(file, RejectsPath: rejects), null, CancellationToken.None);
        var seconds = sw.Elapsed.TotalSeconds;
        var rejectsBytes = File.Exists(rejects) ? new FileInfo(rejects).Length : 0;
        if (o.Find("rejects") is null) File.Delete(rejects);

        return new()
        {
            ["provider"] = factory.Settings.Provider.ToString(),
            ["path"] = "bulk",
            ["rows"] = summary.Rows,
            ["seconds"] = Math.Round(seconds, 3),
            ["rowsPerSecond"] = Math.Round(summary.Rows / seconds),
            ["imported"] = summary.Imported,
            ["updated"] = summary.Updated,
            ["unchanged"] = summary.Unchanged,
            ["rejected"] = summary.Rejected,
            ["rejectsBytes"] = rejectsBytes,
            ["leadsInDatabase"] = await db.Leads.LongCountAsync(),
        };
    }

    /// <summary>
    /// What a typical first implementation does: the same reader and row parser, then per row an EF
    /// lookup by record id, then e-mail (then name key), add or update a tracked entity, SaveChanges
    /// every 1,000 rows with a fresh context per batch (change tracking on, as by default).
    /// </summary>
    public static async Task<Dictionary<string, object?>> EfBaselineAsync(Options o)
    {
        const int SaveEvery = 1_000;
        var factory = Factory(o);
        var teamId = await MigrateAsync(factory);
        var limit = o.Int("limit", int.MaxValue);

        var sw = Stopwatch.StartNew();
        int rows = 0, imported = 0, updated = 0, unchanged = 0, rejected = 0;
        await using (var file = new FileStream(o.Get("file"), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
        {
            using var csv = new CsvRecordReader(file);
            var header = csv.ReadHeader() ?? throw new ArgumentException("the file is empty");
            var parser = new LeadRowParser(header, ColumnMapping.None, csv.Separator);
            var pending = new List<ImportedLead>(SaveEvery);
            while (rows < limit && csv.TryRead(out var record))
            {
                rows++;
                var parsed = parser.Parse(record);
                if (parsed.Lead is null)
                {
                    rejected++;
                    continue;
                }
                pending.Add(parsed.Lead);
                if (pending.Count == SaveEvery) await SaveAsync();
            }
            if (pending.Count > 0) await SaveAsync();

            async Task SaveAsync()
            {
                await using var db = factory.CreateDbContext();
                var now = DateTime.UtcNow;
                foreach (var row in pending)
                {
                    Lead? lead = null;
                    if (row.ExternalId is { } id)
                        lead = await db.Leads.Where(l => l.TeamId == teamId && l.ExternalId == id).OrderBy(l => l.Id).FirstOrDefaultAsync();
                    if (lead is null && row.EmailNormalized is { } email)
                        lead = await db.Leads.Where(l => l.TeamId == teamId && l.EmailNormalized == email).OrderBy(l => l.Id).FirstOrDefaultAsync();
                    if (lead is null && row.NameKey is { } nameKey)
                        lead = await db.Leads.Where(l => l.TeamId == teamId && l.NameKey == nameKey).OrderBy(l => l.Id).FirstOrDefaultAsync();

                    if (lead is null)
                    {
                        lead = new Lead { TeamId = teamId, ImportedAt = now };
                        db.Leads.Add(lead);
                        imported++;
                    }
                    else if (lead.ContentHash == row.ContentHash)
                    {
                        unchanged++;
                        continue;
                    }
                    else
                    {
                        updated++;
                    }
                    Copy(row, lead, now);
                }
                await db.SaveChangesAsync();
                pending.Clear();
            }
        }
        var seconds = sw.Elapsed.TotalSeconds;
        return new()
        {
            ["provider"] = factory.Settings.Provider.ToString(),
            ["path"] = "ef",
            ["rows"] = rows,
            ["seconds"] = Math.Round(seconds, 3),
            ["rowsPerSecond"] = Math.Round(rows / seconds),
            ["imported"] = imported,
            ["updated"] = updated,
            ["unchanged"] = unchanged,
            ["rejected"] = rejected,
        };
    }

    private static void Copy(ImportedLead s, Lead l, DateTime now)
    {
        l.ExternalId = s.ExternalId;
        l.EmailNormalized = s.EmailNormalized;
        l.NameKey = s.NameKey;
        l.FirstName = s.FirstName;
        l.LastName = s.LastName;
        l.Email = s.Email;
        l.Phone = s.Phone;
        l.Company = s.Company;
        l.JobTitle = s.JobTitle;
        l.Industry = s.Industry;
        l.CompanySize = s.CompanySize;
        l.AnnualRevenue = s.AnnualRevenue;
        l.Country = s.Country;
        l.City = s.City;
        l.Source = s.Source;
        l.Campaign = s.Campaign;
        l.Owner = s.Owner;
        l.Stage = s.Stage;
        l.Status = s.Status;
        l.Outcome = s.Outcome;
        l.DealValue = s.DealValue;
        l.CreatedAt = s.CreatedAt ?? now;
        l.LastActivityAt = s.LastActivityAt;
        l.ClosedAt = s.ClosedAt;
        l.Notes = s.Notes;
        l.CustomFields = s.CustomFields;
        l.ContentHash = s.ContentHash;
        l.UpdatedAt = now;
    }

    /// <summary>Phase profile without a database: CSV scanning alone, then scanning plus LeadRowParser.</summary>
    public static Dictionary<string, object?> Parse(Options o)
    {
        var limit = o.Int("limit", int.MaxValue);
        var path = o.Get("file");

        var sw = Stopwatch.StartNew();
        var rows = 0;
        using (var csv = Open(path, out _))
        {
            while (rows < limit && csv.TryRead(out _)) rows++;
        }
        var scanSeconds = sw.Elapsed.TotalSeconds;

        sw.Restart();
        int parsedRows = 0, rejected = 0;
        using (var csv = Open(path, out var header))
        {
            var parser = new LeadRowParser(header, ColumnMapping.None, csv.Separator);
            while (parsedRows < limit && csv.TryRead(out var record))
            {
                parsedRows++;
                if (parser.Parse(record).Lead is null) rejected++;
            }
        }
        var parseSeconds = sw.Elapsed.TotalSeconds;

        return new()
        {
            ["rows"] = rows,
            ["scanSeconds"] = Math.Round(scanSeconds, 3),
            ["scanRowsPerSecond"] = Math.Round(rows / scanSeconds),
            ["scanAndParseSeconds"] = Math.Round(parseSeconds, 3),
            ["scanAndParseRowsPerSecond"] = Math.Round(parsedRows / parseSeconds),
            ["rejected"] = rejected,
        };

        static CsvRecordReader Open(string path, out IReadOnlyList<string> header)
        {
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            var csv = new CsvRecordReader(file);
            header = csv.ReadHeader() ?? throw new ArgumentException("the file is empty");
            return csv;
        }
    }

    /// <summary>VmHWM: the most resident memory this process ever had (Linux); elsewhere the runtime's figure.</summary>
    public static long PeakWorkingSetBytes()
    {
        if (File.Exists("/proc/self/status"))
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (!line.StartsWith("VmHWM:", StringComparison.Ordinal)) continue;
                var kb = line["VmHWM:".Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }
        return Process.GetCurrentProcess().PeakWorkingSet64;
    }
}
