using System.Diagnostics;

namespace GrowthBrain.Scoring;

/// <summary>
/// Learns a scorer from labelled leads in time order. Models trained on the oldest 80% are judged on the
/// newest 20%, which chooses the hyper-parameters and between trees, logistic regression, their blend and
/// naive Bayes, because CRM data drifts and the model must be right about the leads of now, not of last year.
/// The chosen model is then refit on every labelled lead (the newest matter most) and calibrated on the
/// out-of-sample scores the newest fifth got from the models that did not see it. When the row order means
/// nothing (<see cref="RowOrder.Random"/>) every fifth row plays the newest fifth's part.
/// </summary>
public static partial class ScorerTrainer
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

        if (won < options.MinimumPerClass || lost < options.MinimumPerClass)
            return ColdStart(table, schema, labelled, won, lost, options, clock);
        return new Run(table, schema, labelled, options, clock, progress, ct).Train();
    }

    /// <summary>Too few of one outcome to learn from: naive Bayes over field values, Platt-scaled on the same leads.</summary>
    private static TrainingResult ColdStart(LeadTable table, FeatureSchema schema, List<int> labelled, int won, int lost, TrainingOptions options, Stopwatch clock)
    {
        var bayes = NaiveBayesModel.Train(schema, table, labelled);
        var binding = schema.Bind(table.Columns);
        var raw = labelled.Select(i => bayes.Score(schema, table.Rows[i], binding)).ToList();
        var y = labelled.Select(i => table.Labels[i]!.Value).ToList();
        var platt = Calibrator.FitPlatt(raw, y);
        var p = raw.Select(platt.Apply).ToList();
        var warnings = new List<string>(schema.Warnings)
        {
            $"Cold start: only {won} won and {lost} lost leads (a learned model needs {options.MinimumPerClass} of each). " +
            "Scores come from naive Bayes over field values and are a rough guide.",
        };
        var cold = new TrainedScorer
        {
            Schema = schema, Kind = ScorerKind.ColdStart, Bayes = bayes, Calibrator = platt, Grades = Bands(p),
            Threshold = BestF1Threshold(p, y), BaseRate = won / (double)labelled.Count,
            Description = "Cold start: naive Bayes over field values",
        };
        return new TrainingResult(cold, new TrainingReport(ScorerKind.ColdStart, cold.Description, labelled.Count, 0, won, lost,
            Features(schema), schema.Excluded.ToList(), warnings, [], "platt (in-sample)", clock.Elapsed.TotalSeconds));
    }

    private static List<string> Features(FeatureSchema schema) => schema.Columns.Select(c => $"{c.Name} ({c.Kind.ToString().ToLowerInvariant()})").ToList();

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
