using System.Diagnostics;

namespace GrowthBrain.Scoring;

public sealed record TrainingOptions(
    IReadOnlyList<string>? ProtectedAttributes = null,
    TimeSpan? Budget = null,
    int Seed = 42,
    int MinimumPerClass = 50,
    IReadOnlySet<string>? Skip = null,
    IReadOnlyDictionary<string, string>? Templates = null)
{
    public IReadOnlyList<string> Protected => ProtectedAttributes ?? Scoring.ProtectedAttributes.Default;
}

public sealed record CandidateResult(string Name, string Settings, double ValidationAuc, double ValidationLogLoss);

public sealed record TrainingReport(
    ScorerKind Kind,
    string Description,
    int TrainingRows,
    int CalibrationRows,
    int Won,
    int Lost,
    IReadOnlyList<string> Features,
    IReadOnlyList<ExcludedColumn> Excluded,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<CandidateResult> Candidates,
    string CalibrationMethod,
    double Seconds);

public sealed record TrainingResult(TrainedScorer Scorer, TrainingReport Report);

/// <summary>
/// Learns a scorer from labelled leads in time order. The oldest 80% trains, the newest 20% chooses
/// between trees, logistic regression and their blend and calibrates the winner, because CRM data
/// drifts and the model must be right about the leads of now, not of last year.
/// </summary>
public static class ScorerTrainer
{
    private const int SearchRows = 200_000;

    private static readonly GbdtSettings[] Grid =
    [
        new(15, 0.05, 20, 0.8, 2000),
        new(31, 0.05, 20, 0.8, 2000),
        new(7, 0.05, 50, 0.9, 2000),
        new(63, 0.05, 40, 0.7, 2000),
        new(31, 0.03, 100, 0.5, 2000),
    ];

    private static readonly double[] L2Grid = [0.1, 1, 10];

    /// <param name="rows">Rows to learn from, oldest first; unlabelled (open) rows help only to spot leaking columns.</param>
    public static TrainingResult Train(LeadTable table, IReadOnlyList<int> rows, TrainingOptions options, IProgress<string>? progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var budget = options.Budget ?? TimeSpan.FromSeconds(60);
        var labelled = rows.Where(i => table.Labels[i].HasValue).ToList();
        var won = labelled.Count(i => table.Labels[i] == true);
        var lost = labelled.Count - won;
        if (labelled.Count < 20)
            throw new ScoringException($"Only {labelled.Count} leads have an outcome (won or lost); at least 20 are needed to score, and 50 won plus 50 lost for a learned model.");
        if (won == 0 || lost == 0)
            throw new ScoringException($"Every lead with an outcome is {(won == 0 ? "lost" : "won")}; a model needs both won and lost leads. Check the label column's values.");

        progress?.Report("Finding features");
        var schema = FeatureInference.Infer(table, rows, options.Protected, options.Skip, options.Templates);
        if (schema.Columns.Count == 0)
            throw new ScoringException("No column can be used for scoring: " + string.Join("; ", schema.Excluded.Select(e => $"{e.Name}: {e.Reason}")));
        var warnings = new List<string>(schema.Warnings);
        var excluded = schema.Excluded.ToList();
        var features = schema.Columns.Select(c => $"{c.Name} ({c.Kind.ToString().ToLowerInvariant()})").ToList();

        if (won < options.MinimumPerClass || lost < options.MinimumPerClass)
        {
            var bayes = NaiveBayesModel.Train(schema, table, labelled);
            var binding = schema.Bind(table.Columns);
            var raw = labelled.Select(i => bayes.Score(schema, table.Rows[i], binding)).ToList();
            var y = labelled.Select(i => table.Labels[i]!.Value).ToList();
            var platt = Calibrator.FitPlatt(raw, y);
            var p = raw.Select(platt.Apply).ToList();
            warnings.Add($"Cold start: only {won} won and {lost} lost leads (a learned model needs {options.MinimumPerClass} of each). " +
                         "Scores come from naive Bayes over field values and are a rough guide.");
            var cold = new TrainedScorer
            {
                Schema = schema, Kind = ScorerKind.ColdStart, Bayes = bayes, Calibrator = platt, Grades = Bands(p),
                Threshold = BestF1Threshold(p, y), BaseRate = won / (double)labelled.Count,
                Description = "Cold start: naive Bayes over field values",
            };
            return new TrainingResult(cold, new TrainingReport(ScorerKind.ColdStart, cold.Description, labelled.Count, 0, won, lost,
                features, excluded, warnings, [], "platt (in-sample)", clock.Elapsed.TotalSeconds));
        }

        var cut = (int)(labelled.Count * 0.8);
        var fit = labelled.Take(cut).ToList();
        var calib = labelled.Skip(cut).ToList();
        if (calib.All(i => table.Labels[i] == true) || calib.All(i => table.Labels[i] == false))
        {
            // The newest slice has one outcome only; calibrate on an interleaved fifth instead of a time slice.
            fit = labelled.Where((_, k) => k % 5 != 4).ToList();
            calib = labelled.Where((_, k) => k % 5 == 4).ToList();
            warnings.Add("The newest fifth of the leads has only one outcome, so calibration uses an interleaved sample instead of the newest leads.");
        }

        progress?.Report("Encoding leads");
        var bindingAll = schema.Bind(table.Columns);
        var x = new Dictionary<int, float[]>(labelled.Count);
        foreach (var i in labelled) x[i] = schema.Featurize(table.Rows[i], bindingAll);
        bool Y(int i) => table.Labels[i] == true;

        // Hyper-parameters are chosen on the newest part of the fitting slice; big tables search on a recent sample.
        var searchRows = fit.Count > SearchRows ? fit.Skip(fit.Count - SearchRows).ToList() : fit;
        var searchCut = (int)(searchRows.Count * 0.8);
        var fitA = searchRows.Take(searchCut).ToList();
        var fitB = searchRows.Skip(searchCut).ToList();
        var candidates = new List<CandidateResult>();

        GbdtSettings? bestTrees = null;
        var bestTreesAuc = double.NegativeInfinity;
        foreach (var settings in Grid)
        {
            ct.ThrowIfCancellationRequested();
            if (bestTrees is not null && clock.Elapsed > budget * 0.5) break;
            progress?.Report($"Trying trees: {settings}");
            var model = GbdtModel.Train(fitA.Select(i => x[i]).ToList(), fitA.Select(Y).ToList(), settings, options.Seed,
                fitB.Select(i => x[i]).ToList(), fitB.Select(Y).ToList());
            var s = model.Score(fitB.Select(i => x[i]).ToList());
            var auc = Metrics.RocAuc(s, fitB.Select(Y).ToList());
            candidates.Add(new CandidateResult("trees", $"{settings with { Iterations = model.Trees }}", auc,
                Metrics.LogLoss(s.Select(Calibrator.Sigmoid).ToList(), fitB.Select(Y).ToList())));
            if (auc > bestTreesAuc)
            {
                bestTreesAuc = auc;
                // Refitting on more rows deserves a few more trees than early stopping found on fewer.
                bestTrees = settings with { Iterations = Math.Max(30, (int)(model.Trees * 1.15)) };
            }
        }

        double bestL2 = 1;
        var bestLinearAuc = double.NegativeInfinity;
        var linearRows = fitA.Count > 100_000 ? fitA.Skip(fitA.Count - 100_000).ToList() : fitA;
        foreach (var l2 in L2Grid)
        {
            ct.ThrowIfCancellationRequested();
            progress?.Report($"Trying logistic regression: L2 {l2}");
            var model = LogisticModel.Train(linearRows.Select(i => x[i]).ToList(), linearRows.Select(Y).ToList(), l2, options.Seed);
            var s = fitB.Select(i => model.Score(x[i])).ToList();
            var auc = Metrics.RocAuc(s, fitB.Select(Y).ToList());
            candidates.Add(new CandidateResult("logistic", $"L2 {l2}", auc, Metrics.LogLoss(s.Select(Calibrator.Sigmoid).ToList(), fitB.Select(Y).ToList())));
            if (auc > bestLinearAuc)
            {
                bestLinearAuc = auc;
                bestL2 = l2;
            }
        }

        progress?.Report($"Training trees on {fit.Count:N0} leads");
        var gbdt = GbdtModel.Train(fit.Select(i => x[i]).ToList(), fit.Select(Y).ToList(), bestTrees!, options.Seed);
        var linearFit = fit.Count > 200_000 ? fit.Skip(fit.Count - 200_000).ToList() : fit;
        var logistic = LogisticModel.Train(linearFit.Select(i => x[i]).ToList(), linearFit.Select(Y).ToList(), bestL2, options.Seed);

        progress?.Report("Choosing and calibrating on the newest leads");
        var calibY = calib.Select(Y).ToList();
        var treeScores = gbdt.Score(calib.Select(i => x[i]).ToList());
        var linearScores = calib.Select(i => logistic.Score(x[i])).ToArray();
        var treeScale = Calibrator.FitPlatt(treeScores, calibY);
        var linearScale = Calibrator.FitPlatt(linearScores, calibY);
        var blendScores = treeScores.Select((s, k) => 0.5 * (treeScale.A * s + treeScale.B) + 0.5 * (linearScale.A * linearScores[k] + linearScale.B)).ToArray();
        var options3 = new (ScorerKind Kind, double[] Scores, double Auc)[]
        {
            (ScorerKind.Logistic, linearScores, Metrics.RocAuc(linearScores, calibY)),
            (ScorerKind.Gbdt, treeScores, Metrics.RocAuc(treeScores, calibY)),
            (ScorerKind.Blend, blendScores, Metrics.RocAuc(blendScores, calibY)),
        };
        foreach (var o in options3)
            candidates.Add(new CandidateResult($"final {o.Kind.ToString().ToLowerInvariant()}", "on the newest fifth", o.Auc, double.NaN));
        // The simpler model wins ties: it drifts more gracefully.
        var chosen = options3.OrderByDescending(o => Math.Round(o.Auc, 3)).First();
        var calibrator = Calibrator.Fit(chosen.Scores, calibY);
        var probabilities = chosen.Scores.Select(calibrator.Apply).ToList();

        var description = chosen.Kind switch
        {
            ScorerKind.Gbdt => $"Gradient-boosted trees ({bestTrees}), {calibrator.Method} calibration",
            ScorerKind.Logistic => $"Logistic regression (L2 {bestL2}), {calibrator.Method} calibration",
            _ => $"Blend of gradient-boosted trees ({bestTrees}) and logistic regression (L2 {bestL2}), {calibrator.Method} calibration",
        };
        var scorer = new TrainedScorer
        {
            Schema = schema, Kind = chosen.Kind, Gbdt = chosen.Kind == ScorerKind.Logistic ? null : gbdt, GbdtTrees = gbdt.Trees,
            Logistic = chosen.Kind == ScorerKind.Gbdt ? null : logistic, GbdtScale = treeScale, LogisticScale = linearScale,
            Calibrator = calibrator, Grades = Bands(probabilities), Threshold = BestF1Threshold(probabilities, calibY),
            BaseRate = won / (double)labelled.Count, Description = description,
        };
        if (chosen.Auc < 0.55)
        {
            warnings.Add($"No real signal: on the newest leads the best model ranks won above lost only {chosen.Auc:P0} of the time (50% is a coin toss). " +
                         "Scores are close to the average rate; add columns that describe the leads or their activity.");
        }
        return new TrainingResult(scorer, new TrainingReport(chosen.Kind, description, fit.Count, calib.Count, won, lost, features, excluded,
            warnings, candidates, calibrator.Method, clock.Elapsed.TotalSeconds));
    }

    /// <summary>Probability cut-offs for grades from how the newest leads spread: A top 15%, B next 25%, C next 30%.</summary>
    internal static GradeBands Bands(IReadOnlyList<double> p)
    {
        var sorted = p.Order().ToArray();
        double Q(double q) => sorted[Math.Clamp((int)(q * sorted.Length), 0, sorted.Length - 1)];
        var a = Q(0.85);
        var b = Math.Min(Q(0.60), a);
        var c = Math.Min(Q(0.30), b);
        return new GradeBands(a, b, c);
    }

    internal static double BestF1Threshold(IReadOnlyList<double> p, IReadOnlyList<bool> y)
    {
        var best = (F1: -1.0, T: 0.5);
        foreach (var t in p.Distinct().Order().Where((_, k) => k % Math.Max(1, p.Count / 200) == 0))
        {
            double tp = 0, fp = 0, fn = 0;
            for (var i = 0; i < p.Count; i++)
            {
                if (p[i] >= t) { if (y[i]) tp++; else fp++; }
                else if (y[i]) fn++;
            }
            var f1 = tp == 0 ? 0 : 2 * tp / (2 * tp + fp + fn);
            if (f1 > best.F1) best = (f1, t);
        }
        return best.T;
    }
}
