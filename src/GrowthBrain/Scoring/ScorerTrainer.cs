using System.Diagnostics;

namespace GrowthBrain.Scoring;

public sealed record TrainingOptions(
    IReadOnlyList<string>? ProtectedAttributes = null,
    TimeSpan? Budget = null,
    int Seed = 42,
    int MinimumPerClass = 50,
    IReadOnlySet<string>? Skip = null,
    IReadOnlyDictionary<string, string>? Templates = null,
    bool RefitOnAll = true,
    IReadOnlySet<string>? NeverProtected = null,
    RowOrder Order = RowOrder.Time)
{
    public IReadOnlyList<string> Protected => ProtectedAttributes ?? Scoring.ProtectedAttributes.Default;
}

/// <summary>What the order of the rows handed to <see cref="ScorerTrainer.Train"/> means.</summary>
public enum RowOrder
{
    /// <summary>Oldest first (CRM exports sorted by creation date): the newest fifth chooses and calibrates the model.</summary>
    Time,

    /// <summary>The order means nothing (a shuffled or randomly split export): every fifth row chooses and calibrates, so that slice looks like the whole file.</summary>
    Random,
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
/// Learns a scorer from labelled leads in time order. Models trained on the oldest 80% are judged on the
/// newest 20%, which chooses the hyper-parameters and between trees, logistic regression, their blend and
/// naive Bayes, because CRM data drifts and the model must be right about the leads of now, not of last year.
/// The chosen model is then refit on every labelled lead (the newest matter most) and calibrated on the
/// out-of-sample scores the newest fifth got from the models that did not see it. When the row order means
/// nothing (<see cref="RowOrder.Random"/>) every fifth row plays the newest fifth's part.
/// </summary>
public static class ScorerTrainer
{
    private const int SearchRows = 60_000;
    private const int LinearRows = 50_000;
    /// <summary>Share of the budget the hyper-parameter search may use before it stops trying settings.</summary>
    private const double SearchShare = 0.4;
    /// <summary>Below this ROC-AUC on the newest fifth the data carries no real signal for any candidate.</summary>
    private const double NoSignalAuc = 0.55;
    /// <summary>The final naive Bayes counts the newest this many leads: plenty for its per-value rates, and quick.</summary>
    private const int BayesRows = 200_000;
    /// <summary>Quantile bins for numbers in the learned naive Bayes: thousands of leads fill ten bins with outcomes.</summary>
    private const int BayesBins = 10;

    private static readonly GbdtSettings[] Grid =
    [
        new(15, 0.05, 20, 0.8, 2000),
        new(31, 0.05, 20, 0.8, 2000),
        new(7, 0.05, 50, 0.9, 2000),
        new(63, 0.05, 40, 0.7, 2000),
        new(31, 0.03, 100, 0.5, 2000),
    ];

    private static readonly double[] L2Grid = [0.1, 1, 10];

    /// <param name="rows">Rows to learn from, oldest first (unless <see cref="TrainingOptions.Order"/> says the order means nothing); unlabelled (open) rows help only to spot leaking columns.</param>
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
        var schema = FeatureInference.Infer(table, rows, options.Protected, options.Skip, options.Templates, options.NeverProtected);
        if (schema.Columns.Count == 0)
            throw new ScoringException("No column can be used for scoring: " + string.Join("; ", schema.Excluded.Select(e => $"{e.Name}: {e.Reason}")));
        var warnings = new List<string>(schema.Warnings);
        var excluded = schema.Excluded.ToList();
        var features = schema.Columns.Select(c => $"{c.Name} ({c.Kind.ToString().ToLowerInvariant()})").ToList();

        if (won < options.MinimumPerClass || lost < options.MinimumPerClass)
        {
            var coldBayes = NaiveBayesModel.Train(schema, table, labelled);
            var coldBinding = schema.Bind(table.Columns);
            var raw = labelled.Select(i => coldBayes.Score(schema, table.Rows[i], coldBinding)).ToList();
            var y = labelled.Select(i => table.Labels[i]!.Value).ToList();
            var platt = Calibrator.FitPlatt(raw, y);
            var p = raw.Select(platt.Apply).ToList();
            warnings.Add($"Cold start: only {won} won and {lost} lost leads (a learned model needs {options.MinimumPerClass} of each). " +
                         "Scores come from naive Bayes over field values and are a rough guide.");
            var cold = new TrainedScorer
            {
                Schema = schema, Kind = ScorerKind.ColdStart, Bayes = coldBayes, Calibrator = platt, Grades = Bands(p),
                Threshold = BestF1Threshold(p, y), BaseRate = won / (double)labelled.Count,
                Description = "Cold start: naive Bayes over field values",
            };
            return new TrainingResult(cold, new TrainingReport(ScorerKind.ColdStart, cold.Description, labelled.Count, 0, won, lost,
                features, excluded, warnings, [], "platt (in-sample)", clock.Elapsed.TotalSeconds));
        }

        var n = labelled.Count;
        var cut = (int)(n * 0.8);
        // Positions (into labelled) of the choosing slice and of what trains before it: oldest 80% / newest 20%.
        var fitPos = Enumerable.Range(0, cut).ToList();
        var holdPos = Enumerable.Range(cut, n - cut).ToList();
        // With no time in the row order the tail is just wherever the export stopped, possibly a different mix of
        // outcomes from the rest; every fifth row spreads the choosing slice over the whole file instead.
        var random = options.Order == RowOrder.Random;
        if (random || holdPos.All(k => table.Labels[labelled[k]] == true) || holdPos.All(k => table.Labels[labelled[k]] == false))
        {
            // The order is not time, or the newest slice has one outcome only: choose and calibrate on an interleaved
            // fifth instead of a time slice.
            fitPos = Enumerable.Range(0, n).Where(k => k % 5 != 4).ToList();
            holdPos = Enumerable.Range(0, n).Where(k => k % 5 == 4).ToList();
            if (!random)
                warnings.Add("The newest fifth of the leads has only one outcome, so calibration uses an interleaved sample instead of the newest leads.");
        }

        progress?.Report("Encoding leads");
        var x = schema.FeaturizeMany(table, labelled);
        var yAll = labelled.Select(i => table.Labels[i] == true).ToArray();
        List<float[]> X(IEnumerable<int> pos) => pos.Select(k => x[k]).ToList();
        List<bool> Ys(IEnumerable<int> pos) => pos.Select(k => yAll[k]).ToList();

        // Hyper-parameters and the model kind are chosen by how models trained on the older rows do on the newest
        // fifth (early stopping included); big tables search on the most recent rows before the cut.
        var searchPos = fitPos.Count > SearchRows ? fitPos.Skip(fitPos.Count - SearchRows).ToList() : fitPos;
        var holdX = X(holdPos);
        var holdY = Ys(holdPos);
        var searchX = X(searchPos);
        var searchY = Ys(searchPos);
        var candidates = new List<CandidateResult>();

        GbdtSettings? bestTrees = null;
        double[]? bestTreeScores = null;
        GbdtModel? bestTreeModel = null;
        var bestTreeSeconds = 0.0;
        var lastTry = TimeSpan.Zero;
        var bestTreesAuc = double.NegativeInfinity;
        foreach (var settings in Grid)
        {
            ct.ThrowIfCancellationRequested();
            // Stop trying settings when the next one, taking about as long as the last, would overrun the search's share.
            if (bestTrees is not null && clock.Elapsed + lastTry > budget * SearchShare) break;
            var tryStart = clock.Elapsed;
            progress?.Report($"Trying trees: {settings}");
            var model = GbdtModel.Train(searchX, searchY, settings, options.Seed, holdX, holdY);
            var s = model.Score(holdX);
            lastTry = clock.Elapsed - tryStart;
            var auc = Metrics.RocAuc(s, holdY);
            candidates.Add(new CandidateResult("trees", $"{settings with { Iterations = model.Trees }}", auc,
                Metrics.LogLoss(s.Select(Calibrator.Sigmoid).ToList(), holdY)));
            if (auc > bestTreesAuc)
            {
                bestTreesAuc = auc;
                bestTreeScores = s;
                bestTreeModel = model;
                bestTreeSeconds = lastTry.TotalSeconds;
                bestTrees = settings with { Iterations = Math.Max(30, model.Trees) };
            }
        }

        double bestL2 = 1;
        double[]? bestLinearScores = null;
        LogisticModel? bestLinearModel = null;
        var bestLinearAuc = double.NegativeInfinity;
        var linearPos = searchPos.Count > LinearRows ? searchPos.Skip(searchPos.Count - LinearRows).ToList() : searchPos;
        var linearX = X(linearPos);
        var linearY = Ys(linearPos);
        foreach (var l2 in L2Grid)
        {
            ct.ThrowIfCancellationRequested();
            progress?.Report($"Trying logistic regression: L2 {l2}");
            var model = LogisticModel.Train(linearX, linearY, l2, options.Seed);
            var s = holdX.Select(model.Score).ToArray();
            var auc = Metrics.RocAuc(s, holdY);
            candidates.Add(new CandidateResult("logistic", $"L2 {l2}", auc, Metrics.LogLoss(s.Select(Calibrator.Sigmoid).ToList(), holdY)));
            if (auc > bestLinearAuc)
            {
                bestLinearAuc = auc;
                bestL2 = l2;
                bestLinearScores = s;
                bestLinearModel = model;
            }
        }

        // Naive Bayes over field values (numbers in quantile bins): it ignores how fields interact, so it cannot
        // fit the quirks of one period, which is what ranks best on some drifting data (bank marketing).
        progress?.Report("Trying naive Bayes");
        var binding = schema.Bind(table.Columns);
        var bayesFit = NaiveBayesModel.Train(schema, table, searchPos.Select(k => labelled[k]).ToList(), BayesBins);
        var bayesScores = holdPos.Select(k => bayesFit.Score(schema, table.Rows[labelled[k]], binding)).ToArray();
        candidates.Add(new CandidateResult("naive bayes", $"field values, numbers in {BayesBins} bins", Metrics.RocAuc(bayesScores, holdY),
            Metrics.LogLoss(bayesScores.Select(Calibrator.Sigmoid).ToList(), holdY)));

        // The kind: trees, logistic regression, their blend or naive Bayes, by ROC-AUC on the newest fifth.
        var treeScale = Calibrator.FitPlatt(bestTreeScores!, holdY);
        var linearScale = Calibrator.FitPlatt(bestLinearScores!, holdY);
        var kinds = new List<(ScorerKind Kind, double Auc)>
        {
            (ScorerKind.Logistic, Metrics.RocAuc(bestLinearScores!, holdY)),
            (ScorerKind.NaiveBayes, Metrics.RocAuc(bayesScores, holdY)),
            (ScorerKind.Gbdt, Metrics.RocAuc(bestTreeScores!, holdY)),
        };
        // A part whose scores rank the newest fifth backwards (Platt slope <= 0) would enter the blend flipped; a
        // flip learned on one slice does not carry over to a model refit on every lead, so such a blend is no candidate.
        if (treeScale.A > 0 && linearScale.A > 0)
            kinds.Add((ScorerKind.Blend, Metrics.RocAuc(Blend(bestTreeScores!, bestLinearScores!, treeScale, linearScale), holdY)));
        foreach (var o in kinds)
            candidates.Add(new CandidateResult($"final {o.Kind.ToString().ToLowerInvariant()}", random ? "on the held-out fifth" : "on the newest fifth", o.Auc, double.NaN));
        // The simpler model wins ties: it drifts more gracefully.
        var chosen = kinds.OrderByDescending(o => Math.Round(o.Auc, 3)).First();
        var useTrees = chosen.Kind is ScorerKind.Gbdt or ScorerKind.Blend;
        var useLinear = chosen.Kind is ScorerKind.Logistic or ScorerKind.Blend;
        var useBayes = chosen.Kind == ScorerKind.NaiveBayes;

        // The final model learns from every labelled lead, newest included, with the settings chosen above: on drifting
        // data the newest leads carry most of what the next ones will look like (bank marketing, oldest 80% -> all:
        // ROC-AUC on the later test period up by 0.03-0.2 for every model kind). The calibration map is fitted on
        // out-of-sample scores only: the newest fifth scored by the models that did not see it (cross-fitting), so the
        // refit model's own, over-confident in-sample scores never shape the probabilities.
        // Without signal on the newest fifth a refit has no ranking to gain, and on drifting data its scores for new leads
        // wander from the level the slice calibrated (maven-crm: ECE 0.09 -> 0.16), so the checked model stays.
        var refit = options.RefitOnAll && chosen.Auc >= NoSignalAuc;
        var refitTrees = refit && useTrees;
        if (refitTrees)
        {
            // The refit costs about what the chosen setting's search fit did, scaled by rows and trees; skip it (keep the
            // model checked on the newest fifth) when that would overrun the budget.
            var estimate = bestTreeSeconds * n / Math.Max(1, searchPos.Count) * bestTrees!.Iterations / Math.Max(1, bestTreeModel!.Trees);
            if (clock.Elapsed.TotalSeconds + estimate > budget.TotalSeconds)
            {
                refitTrees = false;
                warnings.Add($"The trees were not refit on all {n:N0} leads (about {estimate:0} s more than the {budget.TotalSeconds:0} s budget allows); they learned from the rows {(random ? "outside the held-out fifth" : "before the newest fifth")}.");
            }
        }
        if (refit && (refitTrees || !useTrees)) progress?.Report($"Training the final model on all {n:N0} leads");
        var allPos = Enumerable.Range(0, n).ToList();
        GbdtModel? gbdt = !useTrees ? null : refitTrees ? GbdtModel.Train(x, yAll, bestTrees!, options.Seed) : bestTreeModel;
        LogisticModel? logistic = null;
        if (useLinear)
        {
            var lin = Newest(allPos, LinearRows * 2);
            logistic = refit ? LogisticModel.Train(X(lin), Ys(lin), bestL2, options.Seed) : bestLinearModel;
        }
        NaiveBayesModel? bayes = !useBayes ? null
            : refit ? NaiveBayesModel.Train(schema, table, Newest(allPos, BayesRows).Select(k => labelled[k]).ToList(), BayesBins) : bayesFit;

        progress?.Report("Calibrating");
        var oofRaw = chosen.Kind switch
        {
            ScorerKind.Gbdt => bestTreeScores!,
            ScorerKind.Logistic => bestLinearScores!,
            ScorerKind.NaiveBayes => bayesScores,
            _ => Blend(bestTreeScores!, bestLinearScores!, treeScale, linearScale),
        };
        var calibrator = Calibrator.Fit(oofRaw, holdY);
        if (refit && (refitTrees || !useTrees))
        {
            // The map was fitted on the scores of the models trained before the slice; the refit model's scores sit at
            // another level (trees start from the base rate of the rows they learn from, naive Bayes from its prior), and a
            // steep map turns a small offset into a large error in every probability (no-signal data: ECE 0.09 -> 0.17).
            // Shifting the refit scores so that both models' average over every labelled lead agrees keeps the level the
            // newest fifth calibrated and leaves only the ranking to the refit.
            double[] RawOf(GbdtModel? t, LogisticModel? l, NaiveBayesModel? b) => chosen.Kind switch
            {
                ScorerKind.Gbdt => t!.Score(x),
                ScorerKind.Logistic => x.Select(l!.Score).ToArray(),
                ScorerKind.NaiveBayes => labelled.Select(i => b!.Score(schema, table.Rows[i], binding)).ToArray(),
                _ => Blend(t!.Score(x), x.Select(l!.Score).ToArray(), treeScale, linearScale),
            };
            var before = RawOf(bestTreeModel, bestLinearModel, bayesFit).Average();
            var after = RawOf(gbdt, logistic, bayes).Average();
            calibrator = calibrator with { Shift = before - after };
        }
        // Grades and the threshold follow the newest slice's spread.
        var newest = oofRaw.Select(r => calibrator.Apply(r - calibrator.Shift)).ToList();

        var description = chosen.Kind switch
        {
            ScorerKind.Gbdt => $"Gradient-boosted trees ({bestTrees}), {calibrator.Method} calibration",
            ScorerKind.Logistic => $"Logistic regression (L2 {bestL2}), {calibrator.Method} calibration",
            ScorerKind.NaiveBayes => $"Naive Bayes over field values (numbers in {BayesBins} bins), {calibrator.Method} calibration",
            _ => $"Blend of gradient-boosted trees ({bestTrees}) and logistic regression (L2 {bestL2}), {calibrator.Method} calibration",
        };
        var slice = random ? $"the held-out {holdY.Count:N0} (every fifth row; row order taken as random)" : $"the newest {holdY.Count:N0}";
        description += refit && (refitTrees || !useTrees)
            ? $"; chosen on {slice} by models trained on the other {fitPos.Count:N0}, then refit on all {n:N0} leads and calibrated on those out-of-sample scores"
            : $"; trained on {(random ? "" : "the oldest ")}{fitPos.Count:N0} leads, checked and calibrated on {slice}";
        var scorer = new TrainedScorer
        {
            Schema = schema, Kind = chosen.Kind, Gbdt = gbdt, GbdtTrees = gbdt?.Trees ?? 0,
            Logistic = logistic, Bayes = bayes, GbdtScale = useTrees && useLinear ? treeScale : null, LogisticScale = useTrees && useLinear ? linearScale : null,
            Calibrator = calibrator, Grades = Bands(newest), Threshold = BestF1Threshold(newest, holdY),
            BaseRate = won / (double)labelled.Count, Description = description,
        };
        if (chosen.Auc < NoSignalAuc)
        {
            warnings.Add($"No real signal: on the {(random ? "held-out" : "newest")} leads the best model ranks won above lost only {chosen.Auc:P0} of the time (50% is a coin toss). " +
                         "Scores are close to the average rate; add columns that describe the leads or their activity.");
        }
        return new TrainingResult(scorer, new TrainingReport(chosen.Kind, description, refit && (refitTrees || !useTrees) ? n : fitPos.Count, holdY.Count, won, lost, features, excluded,
            warnings, candidates, calibrator.Method, clock.Elapsed.TotalSeconds));
    }

    /// <summary>The last <paramref name="limit"/> positions: in time order, the newest.</summary>
    private static List<int> Newest(List<int> positions, int limit) =>
        positions.Count > limit ? positions.Skip(positions.Count - limit).ToList() : positions;

    /// <summary>Platt is linear in log-odds, so the blend is the average of the two calibrated log-odds.</summary>
    private static double[] Blend(IReadOnlyList<double> trees, IReadOnlyList<double> linear, Calibrator treeScale, Calibrator linearScale)
    {
        var r = new double[trees.Count];
        for (var k = 0; k < r.Length; k++)
            r[k] = 0.5 * (treeScale.A * trees[k] + treeScale.B) + 0.5 * (linearScale.A * linear[k] + linearScale.B);
        return r;
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
