// Scoring speed on 1,000,000 synthetic leads: training time, batch throughput, single-lead latency.
//   dotnet ScoringSpeed.dll --csv leads.csv [--rows 1000000] [--budget 60] [--regenerate]
//                           [--model scorer.bin] [--check-all] [--dump p.bin] [--compare p.bin]
// --model reuses a saved scorer if the file exists (else trains and saves it there): for iterating on scoring
// speed without retraining. --check-all compares every batch probability with the single-lead path; --dump
// writes the batch probabilities (doubles) and --compare checks them against such a file from another build.
// Prints one JSON line on standard output; progress goes to standard error.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using GrowthBrain.Data;
using GrowthBrain.Leads;
using GrowthBrain.Scoring;
using GrowthBrain.Synthetic;

var csv = Arg("--csv") ?? Path.Combine(Path.GetTempPath(), "growthbrain-leads-1m.csv");
var rows = int.Parse(Arg("--rows") ?? "1000000", CultureInfo.InvariantCulture);
var budget = double.Parse(Arg("--budget") ?? "60", CultureInfo.InvariantCulture);
var regenerate = args.Contains("--regenerate");
var modelPath = Arg("--model");
var checkAll = args.Contains("--check-all");
var dumpPath = Arg("--dump");
var comparePath = Arg("--compare");

var clock = Stopwatch.StartNew();
var (columns, labelled) = (0, 0);
if (regenerate || !File.Exists(csv) || !File.Exists(csv + ".done"))
{
    Log($"Generating {rows:N0} synthetic leads into {csv}");
    (columns, labelled) = WriteCsv(csv, rows);
    File.WriteAllText(csv + ".done", $"{columns},{labelled}");
    Log($"  written in {clock.Elapsed.TotalSeconds:F1} s");
}
else
{
    var done = File.ReadAllText(csv + ".done").Split(',');
    (columns, labelled) = (int.Parse(done[0], CultureInfo.InvariantCulture), int.Parse(done[1], CultureInfo.InvariantCulture));
}

clock.Restart();
var table = CsvLeadTable.Read(csv, "converted", "id", true, "training").Table;
var readSeconds = clock.Elapsed.TotalSeconds;
Log($"Read {table.Count:N0} rows in {readSeconds:F1} s");
var all = Enumerable.Range(0, table.Count).ToList();

GC.Collect();
clock.Restart();
TrainedScorer scorer;
string description;
var featureCount = 0;
double? trainSeconds = null;
if (modelPath is not null && File.Exists(modelPath))
{
    scorer = TrainedScorer.Load(File.ReadAllBytes(modelPath));
    description = scorer.Description;
    featureCount = scorer.Schema.Columns.Count;
    Log($"Loaded {modelPath}: {description}");
}
else
{
    var trained = ScorerTrainer.Train(table, all, new TrainingOptions(Budget: TimeSpan.FromSeconds(budget)),
        new Progress<string>(m => Log("  " + m)), CancellationToken.None);
    trainSeconds = clock.Elapsed.TotalSeconds;
    scorer = trained.Scorer;
    description = trained.Report.Description;
    featureCount = trained.Report.Features.Count;
    Log($"Trained in {trainSeconds:F1} s: {description}");
    if (modelPath is not null) File.WriteAllBytes(modelPath, scorer.Save());
}

// Batch: every row of the table (open and closed), one call; first a cold call on 50,000 other rows so that
// the timed run measures steady-state code rather than tiered-JIT warm-up (a server scores many batches).
clock.Restart();
scorer.Probabilities(table, Enumerable.Range(0, Math.Min(50_000, table.Count)).Reverse().ToList());
var warmUpSeconds = clock.Elapsed.TotalSeconds;
GC.Collect();
var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
clock.Restart();
var p = scorer.Probabilities(table, all);
var batchSeconds = clock.Elapsed.TotalSeconds;
var batchCpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
Log($"Batch-scored {p.Length:N0} rows in {batchSeconds:F2} s ({p.Length / batchSeconds:N0}/s; CPU {batchCpuSeconds:F2} s; warm-up {warmUpSeconds:F2} s)");

if (dumpPath is not null) File.WriteAllBytes(dumpPath, System.Runtime.InteropServices.MemoryMarshal.AsBytes(p.AsSpan()).ToArray());
double? maxReferenceGap = null;
if (comparePath is not null)
{
    var reference = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(File.ReadAllBytes(comparePath)).ToArray();
    if (reference.Length != p.Length) throw new InvalidOperationException($"{comparePath} has {reference.Length} probabilities, not {p.Length}.");
    var differing = 0;
    var gap = 0.0;
    for (var k = 0; k < p.Length; k++)
    {
        if (BitConverter.DoubleToInt64Bits(p[k]) != BitConverter.DoubleToInt64Bits(reference[k])) differing++;
        gap = Math.Max(gap, Math.Abs(p[k] - reference[k]));
    }
    maxReferenceGap = gap;
    Log($"Compared with {comparePath}: max gap {gap:G3}, {differing:N0} of {p.Length:N0} not bit-identical");
}

// Single lead: warm up, then time 10,000 calls on different rows.
var binding = scorer.Schema.Bind(table.Columns);
var random = new Random(7);
for (var i = 0; i < 2000; i++) scorer.Probability(table.Rows[random.Next(table.Count)], binding);
const int Calls = 10_000;
var times = new double[Calls];
var sink = 0.0;
for (var i = 0; i < Calls; i++)
{
    var row = table.Rows[random.Next(table.Count)];
    var t0 = Stopwatch.GetTimestamp();
    sink += scorer.Probability(row, binding);
    times[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
}
Array.Sort(times);
// Batch and single scoring must agree (the batch path runs chunks in parallel).
var maxBatchGap = 0.0;
for (var i = 0; i < 2000; i++)
{
    var k = random.Next(table.Count);
    maxBatchGap = Math.Max(maxBatchGap, Math.Abs(p[k] - scorer.Probability(table.Rows[k], binding)));
}
var checkedRows = 2000;
if (checkAll)
{
    // Every row: batch against single-lead, and count rows whose probability differs at all.
    var differing = 0;
    for (var k = 0; k < table.Count; k++)
    {
        var gap = Math.Abs(p[k] - scorer.Probability(table.Rows[k], binding));
        if (gap != 0) differing++;
        maxBatchGap = Math.Max(maxBatchGap, gap);
    }
    checkedRows += table.Count;
    Log($"Checked all {table.Count:N0} rows: max gap {maxBatchGap:G3}, {differing:N0} not bit-identical");
}
double Pct(double q) => times[Math.Clamp((int)Math.Ceiling(q * Calls) - 1, 0, Calls - 1)];

var result = new
{
    rows = table.Count,
    columns,
    labelled,
    csvMegabytes = new FileInfo(csv).Length / 1e6,
    readSeconds,
    budgetSeconds = budget,
    trainSeconds,
    kind = scorer.Kind.ToString(),
    description,
    features = featureCount,
    trees = scorer.Kind == ScorerKind.Logistic || scorer.GbdtTrees <= 0 ? 200 : scorer.GbdtTrees,
    scoredRows = p.Length,
    batchSeconds,
    batchWarmUpSeconds = warmUpSeconds,
    batchCpuSeconds,
    batchPerSecond = p.Length / batchSeconds,
    singleCalls = Calls,
    singleP50Ms = Pct(0.50),
    singleP99Ms = Pct(0.99),
    singleMeanMs = times.Average(),
    meanProbability = p.Average(),
    checksum = sink,
    maxBatchGap,
    checkedRows,
    maxReferenceGap,
};
Console.WriteLine(JsonSerializer.Serialize(result));
return 0;

string? Arg(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static void Log(string message) => Console.Error.WriteLine(message);

static (int Columns, int Labelled) WriteCsv(string path, int rows)
{
    string[] header =
    [
        "id", "converted", "email", "company", "job_title", "industry", "company_size", "annual_revenue", "country",
        "source", "campaign", "owner", "created_at", "last_activity_at", "notes",
        "gender", "age", "preferred_contact_method", "employees_band",
        "emails_sent", "emails_opened", "emails_clicked", "emails_replied", "calls", "meetings", "page_views",
        "form_submissions", "notes_logged", "activities", "days_to_first_activity",
    ];
    var inv = CultureInfo.InvariantCulture;
    var labelled = 0;
    using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
    writer.Write(CsvText.Line(header));
    writer.Write('\n');
    var counts = new int[9];
    var cells = new string?[header.Length];
    foreach (var lead in new SyntheticCrm(new SyntheticCrmOptions(rows, Seed: 42, Now: SyntheticCrmOptions.DefaultNow)).Generate())
    {
        Array.Clear(counts);
        foreach (var a in lead.Activities) counts[(int)a.Type]++;
        var label = lead.Outcome switch { LeadOutcome.Won => "1", LeadOutcome.Open => "", _ => "0" };
        if (label.Length > 0) labelled++;
        var k = 0;
        cells[k++] = lead.ExternalId;
        cells[k++] = label;
        cells[k++] = lead.Email;
        cells[k++] = lead.Company;
        cells[k++] = lead.JobTitle;
        cells[k++] = lead.Industry;
        cells[k++] = lead.CompanySize?.ToString(inv);
        cells[k++] = lead.AnnualRevenue?.ToString(inv);
        cells[k++] = lead.Country;
        cells[k++] = lead.Source;
        cells[k++] = lead.Campaign;
        cells[k++] = lead.Owner;
        cells[k++] = lead.CreatedAt.ToString("yyyy-MM-dd HH:mm:ss", inv);
        cells[k++] = lead.LastActivityAt?.ToString("yyyy-MM-dd HH:mm:ss", inv);
        cells[k++] = lead.Notes;
        cells[k++] = lead.CustomFields.GetValueOrDefault("Gender");
        cells[k++] = lead.CustomFields.GetValueOrDefault("Age");
        cells[k++] = lead.CustomFields.GetValueOrDefault("Preferred Contact Method");
        cells[k++] = lead.CustomFields.GetValueOrDefault("Number of Employees Band");
        for (var t = 0; t < 9; t++) cells[k++] = counts[t].ToString(inv);
        cells[k++] = lead.Activities.Count.ToString(inv);
        cells[k++] = lead.Activities.Count == 0 ? null
            : Math.Round((lead.Activities[0].OccurredAt - lead.CreatedAt).TotalDays, 2).ToString(inv);
        writer.Write(CsvText.Line(cells));
        writer.Write('\n');
    }
    return (header.Length, labelled);
}
