using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using GrowthBrain.FollowUps;
using GrowthBrain.Leads;
using GrowthBrain.Scoring;
using GrowthBrain.Synthetic;

/// <summary>
/// Follow-up benchmark (issue 4): the template writer's drafts per second and the guardrails' checks per
/// second, on drafts for synthetic leads (every goal and tone in turn, score factors from each lead's
/// activity), one thread, after a warm-up, median of the runs. With --doc it writes its section of
/// docs/benchmarks.md. GROWTHBRAIN_BENCH_SHOW=1 prints every draft that fails a guardrail to standard error.
/// </summary>
internal static class FollowUpBench
{
    public const string Heading = "## Follow-ups (issue 4)";
    public const double DraftTarget = 1_000;
    public const double CheckTarget = 5_000;

    public static Dictionary<string, object?> Run(Options o)
    {
        var count = o.Int("leads", 20_000);
        var runs = o.Int("runs", 3);
        var seed = o.Int("seed", 42);
        var crm = new SyntheticCrm(new SyntheticCrmOptions(Leads: count, Seed: seed, Now: SyntheticCrmOptions.DefaultNow));
        var inputs = crm.Generate().Select((s, i) => Input(s, i + 1)).ToList();
        var writer = new TemplateWriter();
        var playbook = Playbook.Default;
        var goals = Enum.GetValues<FollowUpGoal>();
        var tones = Enum.GetValues<Tone>();

        Draft Write(int i) => writer.Write(inputs[i].Lead, goals[i % goals.Length], tones[i / goals.Length % tones.Length], playbook, inputs[i].Factors);

        // Warm-up: tiered JIT and the guardrails' regex caches, so the runs measure steady-state code.
        for (var i = 0; i < Math.Min(2_000, count); i++) Guardrails.Check(Write(i), inputs[i].Lead, playbook);

        var drafts = new Draft[count];
        var writeSeconds = new List<double>();
        var checkSeconds = new List<double>();
        var sendable = 0;
        var violationsByRule = new Dictionary<string, int>();
        for (var run = 0; run < runs; run++)
        {
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < count; i++) drafts[i] = Write(i);
            writeSeconds.Add(sw.Elapsed.TotalSeconds);

            sendable = 0;
            violationsByRule.Clear();
            sw.Restart();
            for (var i = 0; i < count; i++)
            {
                var result = Guardrails.Check(drafts[i], inputs[i].Lead, playbook);
                if (result.Sendable) sendable++;
                else if (run == 0 && Environment.GetEnvironmentVariable("GROWTHBRAIN_BENCH_SHOW") == "1")
                    Console.Error.WriteLine($"{inputs[i].Lead.FirstName} {inputs[i].Lead.LastName} / {inputs[i].Lead.Company} | {drafts[i].Subject} | {string.Join("; ", result.Violations.Select(v => v.Message))}");
                foreach (var v in result.Violations) violationsByRule[v.Rule] = violationsByRule.GetValueOrDefault(v.Rule) + 1;
            }
            checkSeconds.Add(sw.Elapsed.TotalSeconds);
        }

        var write = Median(writeSeconds);
        var check = Median(checkSeconds);
        var summary = new Dictionary<string, object?>
        {
            ["leads"] = count,
            ["runs"] = runs,
            ["german"] = drafts.Count(d => d.Language == Playbook.German),
            ["withFactors"] = inputs.Count(i => i.Factors.Count > 0),
            ["writeSeconds"] = Math.Round(write, 3),
            ["draftsPerSecond"] = Math.Round(count / write),
            ["checkSeconds"] = Math.Round(check, 3),
            ["checksPerSecond"] = Math.Round(count / check),
            ["sendable"] = sendable,
            ["violations"] = violationsByRule,
            ["meanWords"] = Math.Round(drafts.Average(d => d.Body.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length), 1),
        };
        if (o.Find("doc") is { } doc) WriteSection(doc, o.Find("command") ?? "bench/run-followups.sh", summary);
        return summary;
    }

    private sealed record BenchInput(Lead Lead, IReadOnlyList<Factor> Factors);

    private static BenchInput Input(SyntheticLead s, long id)
    {
        var lead = new Lead
        {
            Id = id, FirstName = s.FirstName, LastName = s.LastName, Email = s.Email, Company = s.Company, JobTitle = s.JobTitle,
            Industry = s.Industry, Country = s.Country, Notes = s.Notes, CreatedAt = s.CreatedAt, LastActivityAt = s.LastActivityAt,
        };
        // Factors as the scorer names its features, plus a protected one the writer must drop.
        var factors = new List<Factor>();
        void Add(ActivityType type, string feature, string text, int points)
        {
            if (s.Activities.Any(a => a.Type == type)) factors.Add(new Factor(feature, text, points));
        }
        Add(ActivityType.PageView, "page views", "Read several pages", 4);
        Add(ActivityType.EmailReplied, "replies", "Replied to e-mails", 6);
        Add(ActivityType.FormSubmission, "form submissions", "Filled in a form", 3);
        Add(ActivityType.Meeting, "meetings", "Had a meeting", 5);
        if (s.CustomFields.ContainsKey("Age")) factors.Add(new Factor("Age", "Age", 2));
        return new BenchInput(lead, factors);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static void WriteSection(string doc, string command, Dictionary<string, object?> r)
    {
        var inv = CultureInfo.InvariantCulture;
        var leads = (int)r["leads"]!;
        var drafts = (double)r["draftsPerSecond"]!;
        var checks = (double)r["checksPerSecond"]!;
        var sendable = (int)r["sendable"]!;
        string Verdict(bool ok) => ok ? "PASS" : "FAIL";
        var violations = (Dictionary<string, int>)r["violations"]!;
        var s = new StringBuilder();
        s.AppendLine(Heading).AppendLine();
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";
        s.AppendLine(string.Create(inv, $"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; one thread, Release build; load average {load} when it finished (the machine is shared, so these are lower bounds)."));
        s.AppendLine().AppendLine($"Command: `{command}`").AppendLine();
        s.AppendLine(string.Create(inv, $"Data: {leads:N0} synthetic leads from `SyntheticCrm` (seed 42; {(int)r["german"]!:N0} written to in German, {(int)r["withFactors"]!:N0} with score factors taken from their activity, plus the protected \"Age\" factor the writer must drop). Each lead gets one draft, the goals (5) and tones (3) in turn; `TemplateWriter.Write` then `Guardrails.Check` (all 11 rules) on every draft. Times are the median of {(int)r["runs"]!} runs after a 2,000-draft warm-up."));
        s.AppendLine();
        s.AppendLine("| measure | result | target | verdict |");
        s.AppendLine("|---|--:|---|---|");
        s.AppendLine(string.Create(inv, $"| template writer (`TemplateWriter.Write`) | {drafts:N0} drafts/s ({(double)r["writeSeconds"]!:0.000} s for {leads:N0}) | ≥ {DraftTarget:N0} drafts/s | {Verdict(drafts >= DraftTarget)} |"));
        s.AppendLine(string.Create(inv, $"| guardrail checks (`Guardrails.Check`) | {checks:N0} drafts/s ({(double)r["checkSeconds"]!:0.000} s for {leads:N0}) | ≥ {CheckTarget:N0} drafts/s | {Verdict(checks >= CheckTarget)} |"));
        s.AppendLine(string.Create(inv, $"| drafts that pass every guardrail | {sendable:N0} of {leads:N0} | all | {Verdict(sendable == leads)} |"));
        s.AppendLine();
        var found = violations.Count == 0 ? "" : " Violations: " + string.Join(", ", violations.Select(v => string.Create(inv, $"{v.Key} {v.Value:N0}"))) + ".";
        s.AppendLine(string.Create(inv, $"Mean body length {(double)r["meanWords"]!:0.0} words (whitespace-separated).{found}"));
        s.AppendLine();
        s.AppendLine("The LLM writers are not in this table: their speed is the provider's, and each draft's tokens and cost are reported with the draft.");
        ReplaceSection(doc, Heading, s.ToString());
    }

    /// <summary>Replaces one "## " section of the document (or appends it), keeping every other section.</summary>
    private static void ReplaceSection(string path, string heading, string body)
    {
        var lines = File.Exists(path) ? File.ReadAllLines(path).ToList() : ["# Benchmarks", ""];
        var start = lines.FindIndex(l => l.Trim() == heading);
        var newLines = body.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (start < 0)
        {
            if (lines.Count > 0 && lines[^1].Length > 0) lines.Add("");
            lines.AddRange(newLines);
        }
        else
        {
            var end = lines.FindIndex(start + 1, l => l.StartsWith("## ", StringComparison.Ordinal));
            if (end < 0) end = lines.Count;
            newLines.Add("");
            if (end == lines.Count) newLines.RemoveAt(newLines.Count - 1);
            lines.RemoveRange(start, end - start);
            lines.InsertRange(start, newLines);
        }
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
    }
}
