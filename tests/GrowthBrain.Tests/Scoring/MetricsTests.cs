using GrowthBrain.Scoring;

namespace GrowthBrain.Tests.Scoring;

/// <summary>The measures every evaluation reports, on rankings whose answer is known by hand.</summary>
public sealed class MetricsTests
{
    private static readonly bool[] TwoLostTwoWon = [false, false, true, true];

    [Fact]
    public void Roc_auc_of_a_perfect_ranking_is_1() =>
        Metrics.RocAuc([0.1, 0.2, 0.8, 0.9], TwoLostTwoWon).ShouldBe(1.0, 1e-12);

    [Fact]
    public void Roc_auc_of_a_reversed_ranking_is_0() =>
        Metrics.RocAuc([0.9, 0.8, 0.2, 0.1], TwoLostTwoWon).ShouldBe(0.0, 1e-12);

    [Fact]
    public void Roc_auc_of_all_tied_scores_is_one_half() =>
        Metrics.RocAuc([0.3, 0.3, 0.3, 0.3], TwoLostTwoWon).ShouldBe(0.5, 1e-12);

    [Fact]
    public void Roc_auc_with_only_one_outcome_is_not_a_number() =>
        double.IsNaN(Metrics.RocAuc([0.1, 0.2], [true, true])).ShouldBeTrue();

    [Fact]
    public void Pr_auc_of_a_perfect_ranking_is_1_and_of_a_reversed_one_is_what_the_steps_give()
    {
        Metrics.PrAuc([0.1, 0.2, 0.8, 0.9], TwoLostTwoWon).ShouldBe(1.0, 1e-12);
        // Positives found third (precision 1/3) and fourth (precision 2/4), each half the recall.
        Metrics.PrAuc([0.9, 0.8, 0.2, 0.1], TwoLostTwoWon).ShouldBe(0.5 / 3 + 0.5 * 0.5, 1e-12);
        // All tied: one step at the base rate.
        Metrics.PrAuc([0.4, 0.4, 0.4, 0.4], TwoLostTwoWon).ShouldBe(0.5, 1e-12);
    }

    [Fact]
    public void Brier_is_0_for_certain_right_answers_and_a_quarter_for_coin_tosses()
    {
        Metrics.Brier([0.0, 0.0, 1.0, 1.0], TwoLostTwoWon).ShouldBe(0.0, 1e-12);
        Metrics.Brier([0.5, 0.5, 0.5, 0.5], TwoLostTwoWon).ShouldBe(0.25, 1e-12);
        Metrics.Brier([1.0, 1.0, 0.0, 0.0], TwoLostTwoWon).ShouldBe(1.0, 1e-12);
    }

    [Fact]
    public void Log_loss_is_ln2_for_coin_tosses_and_stays_finite_for_certain_wrong_answers()
    {
        Metrics.LogLoss([0.5, 0.5, 0.5, 0.5], TwoLostTwoWon).ShouldBe(Math.Log(2), 1e-12);
        Metrics.LogLoss([0.0, 0.0, 1.0, 1.0], TwoLostTwoWon).ShouldBeLessThan(1e-9);
        var wrong = Metrics.LogLoss([1.0, 1.0, 0.0, 0.0], TwoLostTwoWon);
        double.IsFinite(wrong).ShouldBeTrue();
        wrong.ShouldBeGreaterThan(10);
    }

    [Fact]
    public void Expected_calibration_error_of_perfectly_calibrated_bins_is_about_0()
    {
        // Ten leads at 20% of which 2 converted, ten at 70% of which 7 did.
        var p = Enumerable.Repeat(0.2, 10).Concat(Enumerable.Repeat(0.7, 10)).ToList();
        var y = Enumerable.Range(0, 10).Select(i => i < 2).Concat(Enumerable.Range(0, 10).Select(i => i < 7)).ToList();

        Metrics.ExpectedCalibrationError(p, y).ShouldBe(0.0, 1e-9);
        Metrics.Reliability(p, y).Select(b => b.Count).ShouldBe([10, 10]);
    }

    [Fact]
    public void Expected_calibration_error_of_overconfident_scores_is_the_gap()
    {
        // Everyone given 90%, half converted: 0.4 off.
        var p = Enumerable.Repeat(0.9, 10).ToList();
        var y = Enumerable.Range(0, 10).Select(i => i < 5).ToList();

        Metrics.ExpectedCalibrationError(p, y).ShouldBe(0.4, 1e-9);
    }
}
