namespace GrowthBrain.Insights;

/// <summary>
/// The 95% intervals and the median the reports show: Wilson for a rate, Newcombe for the difference of two rates,
/// Student's t for a mean and Welch for the difference of two means.
/// </summary>
public static class Statistics
{
    /// <summary>The two-sided 95% quantile of the normal distribution.</summary>
    public const double Z = 1.959963984540054;

    /// <summary>
    /// The Wilson score interval: unlike p ± z·se it stays inside [0, 1] and keeps its coverage for the small
    /// counts a young CRM has. All null when there were no trials.
    /// </summary>
    public static (double? Rate, double? Low, double? High) Wilson(int successes, int trials)
    {
        if (trials == 0) return (null, null, null);
        double n = trials, p = successes / n, z2 = Z * Z;
        var centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        var half = Z * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
        return (p, Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    /// <summary>
    /// Newcombe (1998) method 10: the interval of <paramref name="first"/> minus <paramref name="second"/>, from each
    /// rate's Wilson interval. Null when either rate is.
    /// </summary>
    public static (double? Low, double? High) Newcombe((double? Rate, double? Low, double? High) first, (double? Rate, double? Low, double? High) second)
    {
        if (first is not (double p1, double low1, double high1) || second is not (double p2, double low2, double high2)) return (null, null);
        return (p1 - p2 - Math.Sqrt(Sq(p1 - low1) + Sq(high2 - p2)), p1 - p2 + Math.Sqrt(Sq(high1 - p1) + Sq(p2 - low2)));
    }

    // Two-sided 95% quantiles of Student's t for 1 to 6 degrees of freedom, from the published table.
    private static readonly double[] SmallT = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447];

    /// <summary>
    /// The two-sided 95% quantile of Student's t with <paramref name="df"/> degrees of freedom (Welch's are fractional):
    /// the table up to 6, interpolated in 1/df; above, the Cornish–Fisher expansion around the normal quantile, within
    /// 0.002 of the table.
    /// </summary>
    public static double StudentT(double df)
    {
        if (df <= 1) return SmallT[0];
        if (df < SmallT.Length)
        {
            var lo = (int)Math.Floor(df);
            var w = (1 / (double)lo - 1 / df) / (1 / (double)lo - 1 / (lo + 1.0));
            return SmallT[lo - 1] + w * (SmallT[lo] - SmallT[lo - 1]);
        }
        if (df == SmallT.Length) return SmallT[^1];
        const double z = Z;
        return z + (z * z * z + z) / (4 * df) + (5 * Math.Pow(z, 5) + 16 * z * z * z + 3 * z) / (96 * df * df)
               + (3 * Math.Pow(z, 7) + 19 * Math.Pow(z, 5) + 17 * z * z * z - 15 * z) / (384 * df * df * df);
    }

    /// <summary>
    /// The mean of <paramref name="n"/> values from their sum and sum of squares, its sample variance, and its 95% t
    /// interval (null below two values; the low end never below zero, as the values are days).
    /// </summary>
    public static (double Mean, double Variance, double? Low, double? High) Mean(int n, long sum, long sumOfSquares)
    {
        var mean = sum / (double)n;
        if (n < 2) return (mean, 0, null, null);
        var variance = Math.Max(0, (sumOfSquares - sum * (double)sum / n) / (n - 1));
        var half = StudentT(n - 1) * Math.Sqrt(variance / n);
        return (mean, variance, Math.Max(0, mean - half), mean + half);
    }

    /// <summary>
    /// Welch's 95% interval of the difference of two means: each side keeps its own spread, and the degrees of freedom
    /// are Welch–Satterthwaite's. Both sides need at least two values.
    /// </summary>
    public static (double Low, double High) Welch(double difference, double variance1, int n1, double variance2, int n2)
    {
        double v1 = variance1 / n1, v2 = variance2 / n2;
        var df = (v1 + v2) * (v1 + v2) / (v1 * v1 / (n1 - 1) + v2 * v2 / (n2 - 1));
        // Both spreads zero: no t to look up, and no width either way.
        var half = (double.IsFinite(df) && df > 0 ? StudentT(df) : Z) * Math.Sqrt(v1 + v2);
        return (difference - half, difference + half);
    }

    /// <summary>The median of a histogram of whole numbers (the mean of the two middle values for an even count).</summary>
    public static double? Median(IReadOnlyList<(int Value, long Count)> histogram)
    {
        var total = histogram.Sum(h => h.Count);
        if (total == 0) return null;
        var sorted = histogram.OrderBy(h => h.Value).ToList();
        double At(long rank) // the rank-th smallest value, 0-based
        {
            foreach (var (value, count) in sorted)
            {
                if (rank < count) return value;
                rank -= count;
            }
            return sorted[^1].Value;
        }
        return total % 2 == 1 ? At(total / 2) : (At(total / 2 - 1) + At(total / 2)) / 2;
    }

    private static double Sq(double x) => x * x;
}
