using System.Diagnostics;

namespace GrowthBrain.Scoring;

public sealed record TrainingOptions(
    IReadOnlyList<string>? ProtectedAttributes = null,
    TimeSpan? Budget = null,
    int Seed = 42,
    int MinimumPerClass = 50,
    IReadOnlySet<string>? Skip = null,
    IReadOnlyDictionary<string, string>? Templates = null,
    bool RefitOnAll = false,
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
/// newest 20%, which chooses the hyper-parameters and between trees, logistic regression and their blend,
/// because CRM data drifts and the model must be right about the leads of now, not of last year. The
/// chosen model is then refit on every labelled lead (the newest matter most) and calibrated on
/// out-of-time scores of models trained the same way on the rows before each slice. When the row order means
/// nothing (<see cref="RowOrder.Random"/>) every fifth row plays the newest fifth's part.
/// </summary>
public static class ScorerTrainer
{
    private const int SearchRows = 60_000;
    private const int LinearRows = 50_000;
    /// <summary>Share of the budget the hyper-parameter search may use before it stops trying settings.</summary>
    private const double SearchShare = 0.4;
    /// <summary>The earlier calibration fold is trained only while this share of the budget is unspent.</summary>
    private const double FoldShare = 0.4;
    /// <summary>Above this many labelled leads the newest fifth alone gives calibration plenty of rows.</summary>
    private const int FoldRowsLimit = 300_000;

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

        var n = labelled.Count;
        var cut = (int)(n * 0.8);
        // Positions (into labelled) of the choosing slice and of what trains before it: oldest 80% / newest 20%.
        var fitPos = Enumerable.Range(0, cut).ToList();
        var holdPos = Enumerable.Range(cut, n - cut).ToList();
        var interleaved = false;
        // With no time in the row order the tail is just wherever the export stopped, possibly a different mix of
        // outcomes from the rest; every fifth row spreads the choosing slice over the whole file instead.
        var random = options.Order == RowOrder.Random;
        if (random || holdPos.All(k => table.Labels[labelled[k]] == true) || holdPos.All(k => table.Labels[labelled[k]] == false))
        {
            // The order is not time, or the newest slice has one outcome only: choose and calibrate on an interleaved
            // fifth instead of a time slice.
            fitPos = Enumerable.Range(0, n).Where(k => k % 5 != 4).ToList();
            holdPos = Enumerable.Range(0, n).Where(k => k % 5 == 4).ToList();
            interleaved = true;
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

        // The kind: trees, logistic regression or their blend, by ROC-AUC on the newest fifth.
        var treeScale0 = Calibrator.FitPlatt(bestTreeScores!, holdY);
        var linearScale0 = Calibrator.FitPlatt(bestLinearScores!, holdY);
        var blend0 = Blend(bestTreeScores!, bestLinearScores!, treeScale0, linearScale0);
        var kinds = new (ScorerKind Kind, double Auc)[]
        {
            (ScorerKind.Logistic, Metrics.RocAuc(bestLinearScores!, holdY)),
            (ScorerKind.Gbdt, Metrics.RocAuc(bestTreeScores!, holdY)),
            (ScorerKind.Blend, Metrics.RocAuc(blend0, holdY)),
        };
        foreach (var o in kinds)
            candidates.Add(new CandidateResult($"final {o.Kind.ToString().ToLowerInvariant()}", random ? "on the held-out fifth" : "on the newest fifth", o.Auc, double.NaN));
        // The simpler model wins ties: it drifts more gracefully.
        var chosen = kinds.OrderByDescending(o => Math.Round(o.Auc, 3)).First();
        var useTrees = chosen.Kind != ScorerKind.Logistic;
        var useLinear = chosen.Kind != ScorerKind.Gbdt;

        // Calibration data: out-of-fold scores of models trained like the final one, each on the rows before a
        // slice and scored on that slice (time-forward). The newest fifth's scores come from the search above; an
        // earlier fold (oldest 60% -> next 20%) is added when time allows, so the map sees more than one slice.
        var oofTree = new List<double>();
        var oofLinear = new List<double>();
        var oofY = new List<bool>();
        var foldStart = (int)(n * 0.6);
        // Whether newer rows help: if a model trained on the oldest 60% ranks the newest fifth better than one trained
        // on the oldest 80%, the rows in between mislead about what follows, and refitting on the newest would too.
        // Refitting on every lead is off by default: measured on the shared data sets it helped where the newest rows
        // carry the signal (bank-full ROC-AUC 0.646 -> 0.719) and failed badly where features act as time stamps
        // whose meaning flips (bank-additional 0.650 -> 0.363), while calibration pooled over slices got worse
        // (ibm-winloss ECE 0.014 -> 0.046). By default the model that scores leads is exactly the one checked and
        // calibrated on the newest fifth.
        var refit = options.RefitOnAll;
        double olderAuc = double.NaN;
        var earlierFold = refit && !interleaved && foldStart >= 2 * options.MinimumPerClass && clock.Elapsed < budget * FoldShare && n <= FoldRowsLimit;
        if (earlierFold)
        {
            var before = Enumerable.Range(0, foldStart).ToList();
            var slice = Enumerable.Range(foldStart, cut - foldStart).ToList();
            var beforeY = Ys(before);
            if (beforeY.Any(v => v) && beforeY.Any(v => !v))
            {
                progress?.Report("Scoring an earlier time slice for calibration");
                var sliceX = X(slice);
                var beforeX = X(before);
                double[]? olderTree = null, olderLinear = null;
                if (useTrees)
                {
                    var m = GbdtModel.Train(beforeX, beforeY, bestTrees!, options.Seed);
                    oofTree.AddRange(m.Score(sliceX));
                    olderTree = m.Score(holdX);
                }
                if (useLinear)
                {
                    var lin = before.Count > LinearRows ? before.Skip(before.Count - LinearRows).ToList() : before;
                    var m = LogisticModel.Train(X(lin), Ys(lin), bestL2, options.Seed);
                    oofLinear.AddRange(sliceX.Select(m.Score));
                    olderLinear = holdX.Select(m.Score).ToArray();
                }
                oofY.AddRange(Ys(slice));
                olderAuc = chosen.Kind switch
                {
                    ScorerKind.Gbdt => Metrics.RocAuc(olderTree!, holdY),
                    ScorerKind.Logistic => Metrics.RocAuc(olderLinear!, holdY),
                    _ => Metrics.RocAuc(Blend(olderTree!, olderLinear!, Calibrator.FitPlatt(olderTree!, holdY), Calibrator.FitPlatt(olderLinear!, holdY)), holdY),
                };
                candidates.Add(new CandidateResult($"older {chosen.Kind.ToString().ToLowerInvariant()}", "trained on the oldest 60%, on the newest fifth", olderAuc, double.NaN));
                refit = !(olderAuc > chosen.Auc);
                if (!refit)
                {
                    // Keep the models trained before the newest fifth, calibrated on their own scores there.
                    oofTree.Clear();
                    oofLinear.Clear();
                    oofY.Clear();
                }
            }
        }
        if (useTrees) oofTree.AddRange(bestTreeScores!);
        if (useLinear) oofLinear.AddRange(bestLinearScores!);
        oofY.AddRange(holdY);

        // The final model learns from every labelled lead, newest included, with the chosen settings.
        if (refit) progress?.Report($"Training the final model on all {n:N0} leads");
        var allPos = Enumerable.Range(0, n).ToList();
        GbdtModel? gbdt = null;
        LogisticModel? logistic = null;
        if (!refit)
        {
            gbdt = useTrees ? bestTreeModel : null;
            logistic = useLinear ? bestLinearModel : null;
        }
        else if (useTrees) gbdt = GbdtModel.Train(x, yAll, bestTrees!, options.Seed);
        if (refit && useLinear)
        {
            var lin = n > LinearRows * 2 ? allPos.Skip(n - LinearRows * 2).ToList() : allPos;
            logistic = LogisticModel.Train(X(lin), Ys(lin), bestL2, options.Seed);
        }

        progress?.Report("Calibrating");
        Calibrator? treeScale = useTrees ? Calibrator.FitPlatt(oofTree, oofY) : null;
        Calibrator? linearScale = useLinear ? Calibrator.FitPlatt(oofLinear, oofY) : null;
        var oofRaw = chosen.Kind switch
        {
            ScorerKind.Gbdt => oofTree.ToArray(),
            ScorerKind.Logistic => oofLinear.ToArray(),
            _ => Blend(oofTree, oofLinear, treeScale!, linearScale!),
        };
        var calibrator = Calibrator.Fit(oofRaw, oofY);
        // Grades and the threshold follow the newest slice's spread.
        var newest = oofRaw.Skip(oofRaw.Length - holdY.Count).Select(calibrator.Apply).ToList();

        var description = chosen.Kind switch
        {
            ScorerKind.Gbdt => $"Gradient-boosted trees ({bestTrees}), {calibrator.Method} calibration",
            ScorerKind.Logistic => $"Logistic regression (L2 {bestL2}), {calibrator.Method} calibration",
            _ => $"Blend of gradient-boosted trees ({bestTrees}) and logistic regression (L2 {bestL2}), {calibrator.Method} calibration",
        };
        description += refit
            ? $"; refit on all {n:N0} leads, calibrated on {oofY.Count:N0} out-of-time scores"
            : random
                ? $"; trained on {fitPos.Count:N0} leads, checked and calibrated on the other {holdY.Count:N0} (every fifth row; row order taken as random)"
            : double.IsNaN(olderAuc)
                ? $"; trained on the oldest {fitPos.Count:N0} leads, checked and calibrated on the newest {holdY.Count:N0}"
                : $"; trained on the oldest {fitPos.Count:N0} leads (newer rows misled on the newest fifth: ROC-AUC {olderAuc:0.000} from the oldest 60% vs {chosen.Auc:0.000}), calibrated on the newest {holdY.Count:N0}";
        var scorer = new TrainedScorer
        {
            Schema = schema, Kind = chosen.Kind, Gbdt = gbdt, GbdtTrees = gbdt?.Trees ?? 0,
            Logistic = logistic, GbdtScale = treeScale, LogisticScale = linearScale,
            Calibrator = calibrator, Grades = Bands(newest), Threshold = BestF1Threshold(newest, holdY),
            BaseRate = won / (double)labelled.Count, Description = description,
        };
        if (chosen.Auc < 0.55)
        {
            warnings.Add($"No real signal: on the {(random ? "held-out" : "newest")} leads the best model ranks won above lost only {chosen.Auc:P0} of the time (50% is a coin toss). " +
                         "Scores are close to the average rate; add columns that describe the leads or their activity.");
        }
        return new TrainingResult(scorer, new TrainingReport(chosen.Kind, description, refit ? n : fitPos.Count, oofY.Count, won, lost, features, excluded,
            warnings, candidates, calibrator.Method, clock.Elapsed.TotalSeconds));
    }

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
