using System.Globalization;

namespace GrowthBrain.Scoring;

public sealed record DecileLift(int Decile, int Count, double ConversionRate, double Lift, double CumulativeGain);
public sealed record GradeRate(string Grade, int Count, double ConversionRate, double MeanProbability);
public sealed record Confusion(double Threshold, int TruePositives, int FalsePositives, int TrueNegatives, int FalseNegatives)
{
    public double Precision => TruePositives + FalsePositives == 0 ? 0 : TruePositives / (double)(TruePositives + FalsePositives);
    public double Recall => TruePositives + FalseNegatives == 0 ? 0 : TruePositives / (double)(TruePositives + FalseNegatives);
}
public sealed record Importance(string Feature, double Share);
public sealed record GroupFairness(string Value, int Count, double MeanScore, double ConversionRate, double TruePositiveRate);
public sealed record FairnessReport(string Attribute, IReadOnlyList<GroupFairness> Groups, double MeanScoreGap, double TruePositiveRateGap);

public sealed record EvaluationReport(
    int Rows,
    int Positives,
    double RocAuc,
    double PrAuc,
    double Brier,
    double LogLoss,
    double ExpectedCalibrationError,
    IReadOnlyList<Metrics.ReliabilityBin> Reliability,
    IReadOnlyList<DecileLift> Lift,
    IReadOnlyList<GradeRate> ByGrade,
    Confusion Confusion,
    IReadOnlyList<Importance> Importance,
    IReadOnlyList<FairnessReport> Fairness,
    IReadOnlyList<string> Warnings);

/// <summary>How good a scorer is on leads it never saw: ranking, calibration, lift, grades and fairness.</summary>
public static class Evaluation
{
    public static EvaluationReport Evaluate(TrainedScorer scorer, LeadTable table, IReadOnlyList<int> rows, IReadOnlyList<string> protectedAttributes,
        IReadOnlySet<string>? neverProtected = null)
    {
        var labelled = rows.Where(i => table.Labels[i].HasValue).ToList();
        if (labelled.Count == 0) throw new ScoringException("None of the rows to evaluate has an outcome.");
        var p = scorer.Probabilities(table, labelled).ToList();
        var y = labelled.Select(i => table.Labels[i]!.Value).ToList();
        var positives = y.Count(v => v);
        var warnings = new List<string>();
        var auc = Metrics.RocAuc(p, y);
        if (double.IsNaN(auc)) warnings.Add("The evaluation rows have only one outcome, so ranking can't be measured.");
        else if (auc < 0.55) warnings.Add($"No real signal on these leads: ROC-AUC {auc:0.000} is close to a coin toss (0.5). Don't rank leads by these scores.");
        if (positives < 20) warnings.Add($"Only {positives} converted leads in the evaluation: the measures are rough.");

        var grades = p.Select(scorer.Grades.Grade).ToList();
        var byGrade = new[] { "A", "B", "C", "D" }.Select(g =>
        {
            var idx = Enumerable.Range(0, p.Count).Where(k => grades[k] == g).ToList();
            return new GradeRate(g, idx.Count, idx.Count == 0 ? 0 : idx.Average(k => y[k] ? 1.0 : 0.0), idx.Count == 0 ? 0 : idx.Average(k => p[k]));
        }).ToList();

        int tp = 0, fp = 0, tn = 0, fn = 0;
        for (var k = 0; k < p.Count; k++)
        {
            if (p[k] >= scorer.Threshold) { if (y[k]) tp++; else fp++; }
            else if (y[k]) fn++; else tn++;
        }

        return new EvaluationReport(labelled.Count, positives, auc, Metrics.PrAuc(p, y), Metrics.Brier(p, y), Metrics.LogLoss(p, y),
            Metrics.ExpectedCalibrationError(p, y), Metrics.Reliability(p, y), Lift(p, y), byGrade,
            new Confusion(scorer.Threshold, tp, fp, tn, fn), FeatureImportance(scorer, table, labelled),
            Fairness(table, labelled, p, y, scorer.Threshold, protectedAttributes, neverProtected), warnings);
    }

    private static List<DecileLift> Lift(List<double> p, List<bool> y)
    {
        var order = Enumerable.Range(0, p.Count).OrderByDescending(k => p[k]).ToArray();
        var baseRate = y.Count(v => v) / (double)y.Count;
        var totalPositives = Math.Max(1, y.Count(v => v));
        var result = new List<DecileLift>();
        var cumulative = 0;
        for (var d = 0; d < 10; d++)
        {
            var slice = order.Skip(d * order.Length / 10).Take((d + 1) * order.Length / 10 - d * order.Length / 10).ToList();
            if (slice.Count == 0) continue;
            var wins = slice.Count(k => y[k]);
            cumulative += wins;
            var rate = wins / (double)slice.Count;
            result.Add(new DecileLift(d + 1, slice.Count, rate, baseRate == 0 ? 0 : rate / baseRate, cumulative / (double)totalPositives));
        }
        return result;
    }

    /// <summary>Mean absolute change in probability when a field is set to its typical value, over a sample of leads.</summary>
    private static List<Importance> FeatureImportance(TrainedScorer scorer, LeadTable table, List<int> labelled)
    {
        var sample = labelled.Where((_, k) => k % Math.Max(1, labelled.Count / 300) == 0).Take(300).ToList();
        var binding = scorer.Schema.Bind(table.Columns);
        var totals = new double[scorer.Schema.Columns.Count];
        foreach (var i in sample)
        {
            var row = table.Rows[i];
            var p = scorer.Probability(row, binding);
            for (var c = 0; c < totals.Length; c++)
            {
                if (binding[c] < 0) continue;
                var col = scorer.Schema.Columns[c];
                totals[c] += Math.Abs(p - scorer.WhatIf(row, binding, r => r[binding[c]] = col.Typical));
            }
        }
        var sum = totals.Sum();
        return totals.Select((t, c) => new Importance(scorer.Schema.Columns[c].Name, sum == 0 ? 0 : t / sum))
            .OrderByDescending(i => i.Share).ToList();
    }

    /// <summary>
    /// Protected attributes never reach the model, but a model can still learn proxies for them; this
    /// shows the score and true-positive rate per group so a gap is seen, not assumed away.
    /// </summary>
    private static List<FairnessReport> Fairness(LeadTable table, List<int> labelled, List<double> p, List<bool> y, double threshold,
        IReadOnlyList<string> protectedAttributes, IReadOnlySet<string>? neverProtected)
    {
        var reports = new List<FairnessReport>();
        for (var c = 0; c < table.Columns.Count; c++)
        {
            if (neverProtected?.Contains(table.Columns[c]) == true || !ProtectedAttributes.IsProtected(table.Columns[c], protectedAttributes)) continue;
            var values = labelled.Select(i => FeatureSchema.Clean(table.Rows[i][c])).ToList();
            var numeric = values.Count(v => v is not null && FeatureSchema.TryNumber(v, out _)) > 0.9 * values.Count(v => v is not null);
            var groups = values.Select((v, k) => (Group: v is null ? "(not given)" : numeric ? AgeBand(v) : v, K: k))
                .GroupBy(t => t.Group).Where(g => g.Count() >= 10).OrderByDescending(g => g.Count()).Take(12)
                .Select(g =>
                {
                    var idx = g.Select(t => t.K).ToList();
                    var pos = idx.Where(k => y[k]).ToList();
                    return new GroupFairness(g.Key, idx.Count, idx.Average(k => p[k]), idx.Average(k => y[k] ? 1.0 : 0.0),
                        pos.Count == 0 ? double.NaN : pos.Count(k => p[k] >= threshold) / (double)pos.Count);
                }).ToList();
            if (groups.Count < 2) continue;
            var tprs = groups.Where(g => !double.IsNaN(g.TruePositiveRate)).Select(g => g.TruePositiveRate).ToList();
            reports.Add(new FairnessReport(table.Columns[c], groups, groups.Max(g => g.MeanScore) - groups.Min(g => g.MeanScore),
                tprs.Count < 2 ? 0 : tprs.Max() - tprs.Min()));
        }
        return reports;
    }

    private static string AgeBand(string value)
    {
        if (!FeatureSchema.TryNumber(value, out var n)) return "(other)";
        int[] edges = [25, 35, 45, 55, 65];
        var lower = edges.LastOrDefault(e => n >= e);
        return n < 25 ? "under 25" : n >= 65 ? "65 and over" : $"{lower}-{lower + 9}";
    }

    public static string Format(double v) => double.IsNaN(v) ? "n/a" : v.ToString("0.000", CultureInfo.InvariantCulture);
}
