namespace GrowthBrain.Scoring;

/// <summary>
/// Maps a model's raw score to a probability that means what it says: of leads given 30%, about 30 in
/// 100 convert. Platt (a fitted sigmoid) or isotonic (a fitted monotone step curve), whichever has the
/// lower log loss on held-out halves of the calibration slice.
/// </summary>
public sealed record Calibrator(string Method, double A, double B, double[] X, double[] Y)
{
    private const double Epsilon = 1e-4;

    /// <summary>Added to every score before the map: puts a refit model's scores on the level of the scores the map was fitted on.</summary>
    public double Shift { get; init; }

    public double Apply(double score)
    {
        score += Shift;
        if (Method == "platt") return Sigmoid(A * score + B);
        if (X.Length == 0) return 0.5;
        // Past the fitted range the step curve would be flat and tie every lead there, losing their order; a model refit
        // on more leads, or newer leads, easily scores outside the range, so the ends continue with Platt's slope (A).
        if (score <= X[0]) return score == X[0] || A <= 0 ? Y[0] : Math.Max(Epsilon * Epsilon, Sigmoid(Logit(Y[0]) + A * (score - X[0])));
        if (score >= X[^1]) return score == X[^1] || A <= 0 ? Y[^1] : Math.Min(1 - Epsilon * Epsilon, Sigmoid(Logit(Y[^1]) + A * (score - X[^1])));
        var i = Array.BinarySearch(X, score);
        if (i >= 0) return Y[i];
        i = ~i;
        var t = (score - X[i - 1]) / (X[i] - X[i - 1]);
        return Y[i - 1] + t * (Y[i] - Y[i - 1]);
    }

    public static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    public static double Logit(double p)
    {
        var q = Math.Clamp(p, 1e-9, 1 - 1e-9);
        return Math.Log(q / (1 - q));
    }

    /// <summary>Fits both methods, keeps the one with lower cross-fitted log loss, refits it on all the data.</summary>
    public static Calibrator Fit(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        if (labels.All(l => l) || labels.All(l => !l))
        {
            var rate = labels.Count == 0 ? 0.5 : Math.Clamp(labels.Count(l => l) / (double)labels.Count, 0.01, 0.99);
            return new Calibrator("platt", 0, Logit(rate), [], []);
        }
        var even = Enumerable.Range(0, scores.Count).Where(i => i % 2 == 0).ToList();
        var odd = Enumerable.Range(0, scores.Count).Where(i => i % 2 == 1).ToList();
        double CrossLoss(Func<IReadOnlyList<double>, IReadOnlyList<bool>, Calibrator> fit)
        {
            double loss = 0;
            foreach (var (train, test) in new[] { (even, odd), (odd, even) })
            {
                var c = fit(train.Select(i => scores[i]).ToList(), train.Select(i => labels[i]).ToList());
                loss += Metrics.LogLoss(test.Select(i => c.Apply(scores[i])).ToList(), test.Select(i => labels[i]).ToList()) * test.Count;
            }
            return loss / scores.Count;
        }
        var plattLoss = CrossLoss(FitPlatt);
        var isotonicLoss = scores.Count >= 200 ? CrossLoss(FitIsotonic) : double.PositiveInfinity;
        return isotonicLoss < plattLoss ? FitIsotonic(scores, labels) : FitPlatt(scores, labels);
    }

    /// <summary>Platt scaling by Newton's method, with Platt's smoothed targets so tiny slices don't give 0 or 1.</summary>
    public static Calibrator FitPlatt(IReadOnlyList<double> s, IReadOnlyList<bool> y)
    {
        double positives = y.Count(v => v), negatives = y.Count - positives;
        double hi = (positives + 1) / (positives + 2), lo = 1 / (negatives + 2);
        double a = 0, b = Math.Log((positives + 1) / (negatives + 1));
        for (var iteration = 0; iteration < 100; iteration++)
        {
            double g1 = 0, g2 = 0, h11 = 1e-9, h12 = 0, h22 = 1e-9;
            for (var i = 0; i < s.Count; i++)
            {
                var p = Sigmoid(a * s[i] + b);
                var t = y[i] ? hi : lo;
                var d = p - t;
                var w = p * (1 - p);
                g1 += d * s[i];
                g2 += d;
                h11 += w * s[i] * s[i];
                h12 += w * s[i];
                h22 += w;
            }
            var det = h11 * h22 - h12 * h12;
            if (Math.Abs(det) < 1e-12) break;
            var da = (h22 * g1 - h12 * g2) / det;
            var db = (h11 * g2 - h12 * g1) / det;
            a -= da;
            b -= db;
            if (Math.Abs(da) < 1e-9 && Math.Abs(db) < 1e-9) break;
        }
        return new Calibrator("platt", a, b, [], []);
    }

    /// <summary>Isotonic regression by pool-adjacent-violators; block means become interpolation points, Platt's slope continues the ends.</summary>
    public static Calibrator FitIsotonic(IReadOnlyList<double> s, IReadOnlyList<bool> y)
    {
        var order = Enumerable.Range(0, s.Count).OrderBy(i => s[i]).ToArray();
        var blocks = new List<(double SumX, double SumY, int N)>();
        foreach (var i in order)
        {
            blocks.Add((s[i], y[i] ? 1 : 0, 1));
            while (blocks.Count > 1 && blocks[^2].SumY / blocks[^2].N >= blocks[^1].SumY / blocks[^1].N)
            {
                var last = blocks[^1];
                var prev = blocks[^2];
                blocks.RemoveAt(blocks.Count - 1);
                blocks[^1] = (prev.SumX + last.SumX, prev.SumY + last.SumY, prev.N + last.N);
            }
        }
        var x = new List<double>();
        var v = new List<double>();
        foreach (var (sumX, sumY, n) in blocks)
        {
            var mx = sumX / n;
            if (x.Count > 0 && mx <= x[^1]) continue;
            x.Add(mx);
            v.Add(Math.Clamp(sumY / n, Epsilon, 1 - Epsilon));
        }
        // The slope in log-odds per unit of score beyond the ends (see Apply); a backward slope would flip the tails, so none.
        var slope = Math.Max(0, FitPlatt(s, y).A);
        return new Calibrator("isotonic", slope, 0, x.ToArray(), v.ToArray());
    }
}
