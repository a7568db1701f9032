using System.Globalization;
using GrowthBrain.Data;

namespace GrowthBrain.Scoring;

public sealed record Backtest(string TrainPath, string TestPath, string OutPath, string Label = "converted", string Id = "id",
    IReadOnlyList<string>? ProtectedAttributes = null, TimeSpan? Budget = null, RowOrder Order = RowOrder.Time);

public sealed record BacktestResult(TrainingReport Training, EvaluationReport? Evaluation, int Scored, string OutPath, IReadOnlyList<string> Warnings);

/// <summary>
/// Learns from one CSV export and scores another, with no database: how a prospect checks the model on
/// their own history before connecting anything, and how the benchmarks compare it with other models.
/// </summary>
public sealed class BacktestHandler
{
    public Task<BacktestResult> HandleAsync(Backtest request, IProgress<string>? progress, CancellationToken ct) =>
        Task.Run(() => Run(request, progress, ct), ct);

    private static BacktestResult Run(Backtest request, IProgress<string>? progress, CancellationToken ct)
    {
        progress?.Report("Reading the training file");
        var train = CsvLeadTable.Read(request.TrainPath, request.Label, request.Id, labelRequired: true, "training");
        progress?.Report("Reading the test file");
        var test = CsvLeadTable.Read(request.TestPath, request.Label, request.Id, labelRequired: false, "test");
        var warnings = train.Warnings.Concat(test.Warnings).ToList();

        var options = new TrainingOptions(request.ProtectedAttributes, request.Budget, Order: request.Order);
        var trained = ScorerTrainer.Train(train.Table, Enumerable.Range(0, train.Table.Count).ToList(), options, progress, ct);
        var scorer = trained.Scorer;

        var missing = scorer.Schema.Columns.Select(c => c.Name)
            .Where(n => test.Table.IndexOf(n) < 0).ToList();
        if (missing.Count > 0)
        {
            throw new ScoringException($"The test file lacks columns the model learned from: {string.Join(", ", missing)}. " +
                                       "Add them (empty cells are fine) or remove them from the training file.");
        }
        var extra = test.Table.Columns.Where(c => train.Table.IndexOf(c) < 0).ToList();
        if (extra.Count > 0) warnings.Add($"The test file has columns the training file lacks, ignored: {string.Join(", ", extra.Take(10))}.");

        progress?.Report($"Scoring {test.Table.Count:N0} test rows");
        var all = Enumerable.Range(0, test.Table.Count).ToList();
        var probabilities = scorer.Probabilities(test.Table, all);
        var binding = scorer.Schema.Bind(test.Table.Columns);

        var outDir = Path.GetDirectoryName(Path.GetFullPath(request.OutPath));
        if (outDir is not null) Directory.CreateDirectory(outDir);
        using (var writer = new StreamWriter(request.OutPath, append: false, new System.Text.UTF8Encoding(false)))
        {
            writer.WriteLine("id,probability,grade,top_factors");
            for (var i = 0; i < all.Count; i++)
            {
                ct.ThrowIfCancellationRequested();
                var factors = scorer.Explain(test.Table.Rows[i], binding, top: 2)
                    .OrderByDescending(f => Math.Abs(f.Points)).Take(3)
                    .Select(f => $"{f.Text} ({(f.Points > 0 ? "+" : "")}{f.Points})");
                writer.WriteLine(CsvText.Line([
                    test.Table.Ids[i],
                    probabilities[i].ToString("0.000000", CultureInfo.InvariantCulture),
                    scorer.Grades.Grade(probabilities[i]),
                    string.Join("; ", factors),
                ]));
            }
        }

        EvaluationReport? evaluation = null;
        if (test.HasLabel && test.Table.Labels.Any(l => l.HasValue))
        {
            progress?.Report("Evaluating");
            evaluation = Evaluation.Evaluate(scorer, test.Table, all, options.Protected);
        }
        return new BacktestResult(trained.Report, evaluation, all.Count, Path.GetFullPath(request.OutPath), warnings);
    }
}
