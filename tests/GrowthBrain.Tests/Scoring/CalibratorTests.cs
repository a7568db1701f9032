using GrowthBrain.Scoring;

namespace GrowthBrain.Tests.Scoring;

/// <summary>Raw scores in, probabilities that mean what they say out.</summary>
public sealed class CalibratorTests
{
    /// <summary>Scores from -3 to 3 whose true conversion chance is sigmoid(1.5 s - 1): higher score, likelier win.</summary>
    private static (List<double> Scores, List<bool> Labels) Noisy(int n, int seed = 7)
    {
        var random = new Random(seed);
        var s = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 6 - 3).ToList();
        var y = s.Select(v => random.NextDouble() < Calibrator.Sigmoid(1.5 * v - 1)).ToList();
        return (s, y);
    }

    private static readonly double[] Grid = Enumerable.Range(0, 61).Select(i => -3.0 + i * 0.1).ToArray();

    [Fact]
    public void Platt_on_separable_ish_data_is_monotone_increasing()
    {
        var (s, y) = Noisy(600);

        var platt = Calibrator.FitPlatt(s, y);

        platt.Method.ShouldBe("platt");
        platt.A.ShouldBeGreaterThan(0);
        var p = Grid.Select(platt.Apply).ToList();
        for (var i = 1; i < p.Count; i++) p[i].ShouldBeGreaterThan(p[i - 1]);
        platt.Apply(-3).ShouldBeLessThan(0.1);
        platt.Apply(3).ShouldBeGreaterThan(0.9);
    }

    [Fact]
    public void Isotonic_output_is_non_decreasing_and_strictly_between_0_and_1()
    {
        var (s, y) = Noisy(600);

        var isotonic = Calibrator.FitIsotonic(s, y);

        isotonic.Method.ShouldBe("isotonic");
        var p = Grid.Concat([-100.0, 100.0]).Order().Select(isotonic.Apply).ToList();
        for (var i = 1; i < p.Count; i++) p[i].ShouldBeGreaterThanOrEqualTo(p[i - 1]);
        p.ShouldAllBe(v => v > 0 && v < 1);
    }

    [Fact]
    public void Isotonic_keeps_the_order_of_scores_beyond_the_fitted_range()
    {
        // A model refit on more (or newer) leads scores outside the range the map was fitted on; a flat end would tie
        // all those leads and lose their ranking.
        var (s, y) = Noisy(600);

        var isotonic = Calibrator.FitIsotonic(s, y);

        isotonic.A.ShouldBeGreaterThan(0);
        double[] above = [3.5, 4, 5, 8], below = [-8, -5, -4, -3.5];
        var high = above.Select(isotonic.Apply).ToList();
        var low = below.Select(isotonic.Apply).ToList();
        for (var i = 1; i < high.Count; i++) high[i].ShouldBeGreaterThan(high[i - 1]);
        for (var i = 1; i < low.Count; i++) low[i].ShouldBeGreaterThan(low[i - 1]);
        high.ShouldAllBe(v => v < 1);
        low.ShouldAllBe(v => v > 0);
        isotonic.Apply(3.5).ShouldBeGreaterThanOrEqualTo(isotonic.Apply(3));
        isotonic.Apply(-3.5).ShouldBeLessThanOrEqualTo(isotonic.Apply(-3));
    }

    [Theory]
    [InlineData(100)]
    [InlineData(600)]
    public void Fit_is_no_worse_than_predicting_the_base_rate(int n)
    {
        var (s, y) = Noisy(n, seed: n);
        var rate = y.Count(v => v) / (double)y.Count;

        var calibrator = Calibrator.Fit(s, y);

        var fitted = Metrics.LogLoss(s.Select(calibrator.Apply).ToList(), y);
        var baseline = Metrics.LogLoss(y.Select(_ => rate).ToList(), y);
        fitted.ShouldBeLessThanOrEqualTo(baseline);
        s.Select(calibrator.Apply).ShouldAllBe(p => double.IsFinite(p) && p > 0 && p < 1);
    }

    [Fact]
    public void Fit_on_one_outcome_only_gives_a_constant_probability_not_0_or_1()
    {
        var calibrator = Calibrator.Fit([0.1, 0.5, 0.9], [false, false, false]);

        calibrator.Apply(0.1).ShouldBe(calibrator.Apply(0.9));
        calibrator.Apply(0.5).ShouldBeInRange(0.005, 0.05);
    }
}
