namespace GrowthBrain.Scoring;

/// <summary>The standard measures of a probabilistic classifier, computed exactly (no sampling).</summary>
public static class Metrics
{
    /// <summary>ROC-AUC with ties counted as half (Mann-Whitney U).</summary>
    public static double RocAuc(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        double positives = labels.Count(l => l), negatives = labels.Count - positives;
        if (positives == 0 || negatives == 0) return double.NaN;
        double rankSum = 0;
        var i = 0;
        while (i < order.Length)
        {
            var j = i;
            while (j + 1 < order.Length && scores[order[j + 1]] == scores[order[i]]) j++;
            var averageRank = (i + j) / 2.0 + 1;
            for (var k = i; k <= j; k++)
            {
                if (labels[order[k]]) rankSum += averageRank;
            }
            i = j + 1;
        }
        return (rankSum - positives * (positives + 1) / 2) / (positives * negatives);
    }

    /// <summary>Average precision: the area under the precision-recall curve, step-wise.</summary>
    public static double PrAuc(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        var positives = labels.Count(l => l);
        if (positives == 0) return double.NaN;
        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        double tp = 0, fp = 0, ap = 0;
        var k = 0;
        while (k < order.Length)
        {
            var j = k;
            double tpGroup = 0, fpGroup = 0;
            while (j < order.Length && scores[order[j]] == scores[order[k]])
            {
                if (labels[order[j]]) tpGroup++; else fpGroup++;
                j++;
            }
            tp += tpGroup;
            fp += fpGroup;
            ap += tpGroup / positives * (tp / (tp + fp));
            k = j;
        }
        return ap;
    }

    public static double Brier(IReadOnlyList<double> p, IReadOnlyList<bool> y) =>
        Enumerable.Range(0, p.Count).Average(i => Math.Pow(p[i] - (y[i] ? 1 : 0), 2));

    public static double LogLoss(IReadOnlyList<double> p, IReadOnlyList<bool> y) =>
        Enumerable.Range(0, p.Count).Average(i =>
        {
            var q = Math.Clamp(p[i], 1e-15, 1 - 1e-15);
            return y[i] ? -Math.Log(q) : -Math.Log(1 - q);
        });

    public sealed record ReliabilityBin(double From, double To, int Count, double MeanPredicted, double Observed);

    /// <summary>Ten equal-width probability bins: what was predicted against what happened.</summary>
    public static IReadOnlyList<ReliabilityBin> Reliability(IReadOnlyList<double> p, IReadOnlyList<bool> y, int bins = 10)
    {
        var result = new List<ReliabilityBin>();
        for (var b = 0; b < bins; b++)
        {
            double from = b / (double)bins, to = (b + 1) / (double)bins;
            var idx = Enumerable.Range(0, p.Count).Where(i => p[i] >= from && (p[i] < to || b == bins - 1 && p[i] <= to)).ToList();
            if (idx.Count == 0) continue;
            result.Add(new ReliabilityBin(from, to, idx.Count, idx.Average(i => p[i]), idx.Average(i => y[i] ? 1.0 : 0.0)));
        }
        return result;
    }

    /// <summary>Expected calibration error over ten equal-width bins, weighted by bin size.</summary>
    public static double ExpectedCalibrationError(IReadOnlyList<double> p, IReadOnlyList<bool> y) =>
        Reliability(p, y).Sum(b => b.Count * Math.Abs(b.MeanPredicted - b.Observed)) / p.Count;
}
