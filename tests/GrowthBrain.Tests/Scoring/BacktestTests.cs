using System.Globalization;
using GrowthBrain.Leads;
using GrowthBrain.Scoring;
using GrowthBrain.Synthetic;
using GrowthBrain.Tests.Cli;
using GrowthBrain.Tests.Infrastructure;

namespace GrowthBrain.Tests.Scoring;

/// <summary>
/// `backtest` without a database: learn from one CSV export, score another. Files are the synthetic CRM
/// flattened (one row per lead) or small literal CSVs.
/// </summary>
public sealed class BacktestTests : IDisposable
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(3);
    private readonly TempFiles _files = new();
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _files.Dispose();

    private string TrainFile(int leads = 1_500, int seed = 1) =>
        _files.Write("train.csv", SyntheticCsv.Csv(SyntheticCsv.Leads(leads, seed).Where(l => l.Outcome != LeadOutcome.Open)));

    private Task<BacktestResult> RunAsync(string train, string test, RowOrder order = RowOrder.Time) =>
        new BacktestHandler().HandleAsync(new Backtest(train, test, _files.PathOf("out.csv"), Budget: Budget, Order: order), null, Ct);

    private sealed record OutRow(string Id, double Probability, string Grade, string Factors);

    private List<OutRow> ReadOut(out string header)
    {
        var lines = File.ReadAllLines(_files.PathOf("out.csv"));
        header = lines[0];
        return lines.Skip(1).Select(line =>
        {
            var parts = line.Split(',', 4);
            return new OutRow(parts[0], double.Parse(parts[1], CultureInfo.InvariantCulture), parts[2], parts.Length > 3 ? parts[3] : "");
        }).ToList();
    }

    [Fact]
    public async Task Backtest_writes_id_probability_grade_and_factors_for_every_test_row_in_input_order()
    {
        var test = SyntheticCsv.Leads(400, seed: 2).ToList();
        var testFile = _files.Write("test.csv", SyntheticCsv.Csv(test));

        var result = await RunAsync(TrainFile(), testFile);

        var rows = ReadOut(out var header);
        header.ShouldBe("id,probability,grade,top_factors");
        rows.Select(r => r.Id).ShouldBe(test.Select(l => l.ExternalId));
        rows.ShouldAllBe(r => r.Probability >= 0 && r.Probability <= 1);
        rows.Select(r => r.Grade).Distinct().ShouldBeSubsetOf(["A", "B", "C", "D"]);
        rows.Count(r => r.Factors.Length > 0).ShouldBeGreaterThan(rows.Count / 2);
        result.Scored.ShouldBe(test.Count);
        result.OutPath.ShouldBe(_files.PathOf("out.csv"));
    }

    [Fact]
    public async Task Backtest_evaluates_when_the_test_file_has_labels_and_protected_columns_only_appear_in_fairness()
    {
        var test = SyntheticCsv.Leads(600, seed: 3).Where(l => l.Outcome != LeadOutcome.Open).ToList();
        var testFile = _files.Write("test.csv", SyntheticCsv.Csv(test));

        var result = await RunAsync(TrainFile(), testFile);

        var evaluation = result.Evaluation.ShouldNotBeNull();
        evaluation.Rows.ShouldBe(test.Count);
        evaluation.Positives.ShouldBe(test.Count(l => l.Outcome == LeadOutcome.Won));
        evaluation.RocAuc.ShouldBeGreaterThan(0.6, "the synthetic CRM's outcomes depend on engagement, so there is signal to find");
        evaluation.Brier.ShouldBeInRange(0, 0.25);
        evaluation.ByGrade.Select(g => g.Grade).ShouldBe(["A", "B", "C", "D"]);
        result.Training.Features.ShouldNotContain(f => f.StartsWith("Gender", StringComparison.OrdinalIgnoreCase) || f.StartsWith("Age", StringComparison.OrdinalIgnoreCase));
        result.Training.Excluded.Select(e => e.Name).ShouldContain("Gender");
        result.Training.Excluded.Select(e => e.Name).ShouldContain("Age");
        evaluation.Fairness.Select(f => f.Attribute).ShouldContain("Gender");
    }

    [Fact]
    public async Task Backtest_without_labels_in_the_test_file_scores_but_does_not_evaluate()
    {
        var test = SyntheticCsv.Leads(100, seed: 4).ToList();
        var noLabel = string.Join("\n", SyntheticCsv.Csv(test).Split('\n').Select(line => line.Length == 0 ? line : line[..line.LastIndexOf(',')]));
        var testFile = _files.Write("test.csv", noLabel);

        var result = await RunAsync(TrainFile(), testFile);

        result.Evaluation.ShouldBeNull();
        ReadOut(out _).Count.ShouldBe(test.Count);
    }

    [Fact]
    public async Task A_training_file_without_the_label_column_says_to_name_it_with_label()
    {
        var train = _files.Write("train.csv", "id,source,outcome\n1,Web,1\n2,Referral,0\n");

        var error = await Should.ThrowAsync<InvalidDataException>(RunAsync(train, train));

        error.Message.ShouldContain("no 'converted' column");
        error.Message.ShouldContain("--label");
        error.Message.ShouldContain("outcome"); // the columns it does have, so the user can pick one
    }

    [Fact]
    public async Task A_training_file_where_every_lead_is_lost_says_so()
    {
        var rows = Enumerable.Range(1, 60).Select(i => $"{i},{(i % 2 == 0 ? "Web" : "Referral")},{i % 7},0");
        var train = _files.Write("train.csv", "id,source,touches,converted\n" + string.Join("\n", rows) + "\n");

        var error = await Should.ThrowAsync<ScoringException>(RunAsync(train, train));

        error.Message.ShouldContain("Every lead with an outcome is lost");
        error.Message.ShouldContain("both won and lost");
    }

    [Fact]
    public async Task A_training_file_with_too_few_rows_says_how_many_are_needed()
    {
        var rows = Enumerable.Range(1, 10).Select(i => $"{i},Web,{i % 3},{i % 2}");
        var train = _files.Write("train.csv", "id,source,touches,converted\n" + string.Join("\n", rows) + "\n");

        var error = await Should.ThrowAsync<ScoringException>(RunAsync(train, train));

        error.Message.ShouldContain("Only 10 leads have an outcome");
        error.Message.ShouldContain("at least 20");
    }

    [Fact]
    public async Task A_label_of_maybe_is_named_with_the_values_that_work()
    {
        var train = _files.Write("train.csv", "id,source,converted\n1,Web,1\n2,Web,maybe\n3,Referral,0\n");

        var error = await Should.ThrowAsync<InvalidDataException>(RunAsync(train, train));

        error.Message.ShouldContain("'maybe'");
        error.Message.ShouldContain("0/1");
    }

    [Fact]
    public async Task A_test_file_missing_a_column_the_model_uses_names_the_column()
    {
        var test = SyntheticCsv.Leads(50, seed: 5).ToList();
        var withoutTouches = SyntheticCsv.Csv(test).Replace(",touches,", ",activity_total,");
        var testFile = _files.Write("test.csv", withoutTouches);

        var error = await Should.ThrowAsync<ScoringException>(RunAsync(TrainFile(), testFile));

        error.Message.ShouldContain("lacks columns the model learned from");
        error.Message.ShouldContain("touches");
    }

    [Fact]
    public async Task Category_values_never_seen_in_training_are_scored_without_error()
    {
        var testFile = _files.Write("test.csv", $"""
            {SyntheticCsv.Header}
            n1,Chief Pigeon Officer,Underwater Basket Weaving,40,100000,Atlantis,Carrier pigeon,ceo@brand-new-domain.example,3,1,1,Other,41,
            n2,,,,,,,,,,,,,
            """);

        var result = await RunAsync(TrainFile(), testFile);

        var rows = ReadOut(out _);
        rows.Select(r => r.Id).ShouldBe(["n1", "n2"]);
        rows.ShouldAllBe(r => double.IsFinite(r.Probability) && r.Probability >= 0 && r.Probability <= 1);
        result.Scored.ShouldBe(2);
    }

    [Fact]
    public async Task NaN_and_Infinity_cells_are_treated_as_unknown_and_probabilities_stay_finite()
    {
        var leads = SyntheticCsv.Leads(1_500, seed: 1).Where(l => l.Outcome != LeadOutcome.Open).ToList();
        // A few poisoned numbers in training too: they must not turn the model into NaN.
        var trainLines = SyntheticCsv.Csv(leads).Split('\n').ToArray();
        for (var i = 1; i < trainLines.Length; i += 37)
        {
            if (trainLines[i].Length == 0) continue;
            var cells = trainLines[i].Split(',');
            if (cells.Length != 14) continue;
            cells[3] = "NaN";
            cells[4] = "Infinity";
            trainLines[i] = string.Join(',', cells);
        }
        var train = _files.Write("train.csv", string.Join("\n", trainLines));
        var testFile = _files.Write("test.csv", $"""
            {SyntheticCsv.Header}
            x1,CEO,Software,NaN,Infinity,Germany,Web,a@acme.com,-Infinity,NaN,Infinity,,,1
            x2,CEO,Software,1e308,-1e308,Germany,Web,b@acme.com,1e300,0,0,,,0
            """);

        var result = await RunAsync(train, testFile);

        var rows = ReadOut(out _);
        rows.Count.ShouldBe(2);
        rows.ShouldAllBe(r => double.IsFinite(r.Probability) && r.Probability >= 0 && r.Probability <= 1);
        result.Evaluation.ShouldNotBeNull();
        double.IsFinite(result.Evaluation.LogLoss).ShouldBeTrue();
    }

    [Fact]
    public async Task Fewer_than_50_of_a_class_gives_a_cold_start_model_and_says_so()
    {
        // The oldest closed leads until 30 are won: a team that has just started closing deals.
        var closed = SyntheticCsv.Leads(1_500, seed: 6).Where(l => l.Outcome != LeadOutcome.Open).ToList();
        var wins = 0;
        var few = closed.TakeWhile(l => (wins += l.Outcome == LeadOutcome.Won ? 1 : 0) <= 30).ToList();
        var train = _files.Write("train.csv", SyntheticCsv.Csv(few));
        var testFile = _files.Write("test.csv", SyntheticCsv.Csv(SyntheticCsv.Leads(200, seed: 7)));

        var result = await RunAsync(train, testFile);

        result.Training.Kind.ShouldBe(ScorerKind.ColdStart);
        result.Training.Won.ShouldBe(30);
        result.Training.Warnings.Concat(result.Warnings).ShouldContain(w => w.Contains("cold start", StringComparison.OrdinalIgnoreCase));
        ReadOut(out _).ShouldAllBe(r => r.Probability >= 0 && r.Probability <= 1);
    }

    [Fact]
    public async Task Order_random_on_the_command_line_chooses_and_calibrates_on_every_fifth_row()
    {
        var testLeads = SyntheticCsv.Leads(300, seed: 2).Where(l => l.Outcome != LeadOutcome.Open).ToList();
        var testFile = _files.Write("test.csv", SyntheticCsv.Csv(testLeads));

        var result = await CliRunner.RunAsync(_files.Folder, new Dictionary<string, string>(), Ct,
            "backtest", "--train", TrainFile(), "--test", testFile, "--out", _files.PathOf("out.csv"), "--budget", "5", "--order", "random", "--json");

        result.ExitCode.ShouldBe(0, result.StdErr);
        var training = System.Text.Json.JsonDocument.Parse(result.StdOut).RootElement.GetProperty("training");
        training.GetProperty("description").GetString().ShouldNotBeNull().ShouldContain("every fifth row");
        ReadOut(out _).Count.ShouldBe(testLeads.Count);
    }

    [Fact]
    public async Task An_unknown_order_on_the_command_line_exits_with_2_and_lists_the_values()
    {
        var result = await CliRunner.RunAsync(_files.Folder, new Dictionary<string, string>(), Ct,
            "backtest", "--train", "train.csv", "--test", "test.csv", "--out", "out.csv", "--order", "newest", "--json");

        result.ExitCode.ShouldBe(2);
        result.StdOut.ShouldBeEmpty();
        result.StdErr.ShouldContain("--order");
        result.StdErr.ShouldContain("'newest'");
        result.StdErr.ShouldContain("time, random");
        File.Exists(_files.PathOf("out.csv")).ShouldBeFalse();
    }

    [Fact]
    public async Task Order_random_with_a_tail_of_one_outcome_trains_without_the_newest_fifth_warning()
    {
        // Both outcomes overall, but the file ends with a run of lost leads longer than a fifth of it: an export
        // sorted by something other than time. In time order that tail would be the newest fifth.
        var closed = SyntheticCsv.Leads(1_500, seed: 1).Where(l => l.Outcome != LeadOutcome.Open).ToList();
        var tail = closed.Where(l => l.Outcome == LeadOutcome.Lost).Take(closed.Count / 4).ToList();
        var sorted = closed.Except(tail).Concat(tail).ToList();
        sorted.Skip(sorted.Count - sorted.Count / 5).ShouldAllBe(l => l.Outcome == LeadOutcome.Lost);
        var train = _files.Write("train.csv", SyntheticCsv.Csv(sorted));
        var testFile = _files.Write("test.csv", SyntheticCsv.Csv(SyntheticCsv.Leads(300, seed: 2).Where(l => l.Outcome != LeadOutcome.Open)));

        var random = await RunAsync(train, testFile, RowOrder.Random);
        var time = await RunAsync(train, testFile, RowOrder.Time);

        random.Training.Kind.ShouldNotBe(ScorerKind.ColdStart);
        random.Training.Warnings.Concat(random.Warnings).ShouldNotContain(w => w.Contains("newest fifth", StringComparison.OrdinalIgnoreCase));
        random.Training.Description.ShouldContain("every fifth row");
        random.Training.CalibrationRows.ShouldBe(sorted.Count / 5);
        random.Evaluation.ShouldNotBeNull().RocAuc.ShouldBeGreaterThan(0.6);
        time.Training.Warnings.ShouldContain(w => w.Contains("newest fifth of the leads has only one outcome")); // the same file read as time order
    }
}
