using System.Globalization;
using GrowthBrain.Scoring;

namespace GrowthBrain.Tests.Scoring;

/// <summary>How the trainer chooses, refits and calibrates: what the quality benchmark on drifting data relies on.</summary>
public sealed class ScorerTrainerTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(20);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly string[] Sources = ["Web", "Referral", "Trade Show", "Paid Search", "Partner"];

    /// <summary>Leads oldest first whose chance to convert rises with meetings and depends on the source; <paramref name="signal"/> 0 makes every column noise.</summary>
    private static LeadTable Leads(int count, int seed, double signal = 1)
    {
        var random = new Random(seed);
        var table = new LeadTable(["source", "meetings", "employees", "noise"]);
        for (var i = 0; i < count; i++)
        {
            var source = random.Next(Sources.Length);
            var meetings = random.Next(0, 8);
            var employees = random.Next(1, 5000);
            var z = -1.5 + signal * (0.45 * meetings + (source == 1 ? 1.0 : source == 3 ? -0.8 : 0));
            var won = random.NextDouble() < Calibrator.Sigmoid(z);
            table.Add(i.ToString(CultureInfo.InvariantCulture), [
                Sources[source], meetings.ToString(CultureInfo.InvariantCulture), employees.ToString(CultureInfo.InvariantCulture),
                random.NextDouble().ToString("0.0000", CultureInfo.InvariantCulture),
            ], won);
        }
        return table;
    }

    private static TrainingResult Train(LeadTable table, bool refit = true, RowOrder order = RowOrder.Time) =>
        ScorerTrainer.Train(table, Enumerable.Range(0, table.Count).ToList(),
            new TrainingOptions(ProtectedAttributes: [], Budget: Budget, RefitOnAll: refit, Order: order), null, Ct);

    [Fact]
    public void The_chosen_model_is_refit_on_every_lead_and_calibrated_on_the_newest_fifths_out_of_sample_scores()
    {
        var table = Leads(3_000, seed: 1);

        var result = Train(table);

        result.Report.TrainingRows.ShouldBe(3_000);
        result.Report.CalibrationRows.ShouldBe(600);
        result.Report.Description.ShouldContain("refit on all 3,000 leads");
        result.Report.Candidates.ShouldContain(c => c.Name == "naive bayes");
        var fresh = Leads(2_000, seed: 2);
        var p = result.Scorer.Probabilities(fresh, Enumerable.Range(0, fresh.Count).ToList());
        var y = fresh.Labels.Select(l => l!.Value).ToList();
        Metrics.RocAuc(p, y).ShouldBeGreaterThan(0.7);
        // Calibrated on held-out scores, the average probability is close to the real rate.
        p.Average().ShouldBe(y.Count(v => v) / (double)y.Count, 0.05);
    }

    [Fact]
    public void Without_refit_the_model_is_the_one_trained_before_the_newest_fifth()
    {
        var result = Train(Leads(3_000, seed: 1), refit: false);

        result.Report.TrainingRows.ShouldBe(2_400);
        result.Report.Description.ShouldContain("trained on the oldest 2,400 leads");
    }

    [Fact]
    public void On_noise_the_model_says_there_is_no_signal_is_not_refit_and_stays_near_the_rate()
    {
        // Calibrated on out-of-sample scores only, noise cannot come out as confident probabilities; and with nothing to
        // rank, a refit would only move the scores of new leads away from the level the newest fifth calibrated.
        var table = Leads(3_000, seed: 3, signal: 0);

        var result = Train(table);

        result.Report.Warnings.ShouldContain(w => w.StartsWith("No real signal", StringComparison.Ordinal));
        result.Report.TrainingRows.ShouldBe(2_400);
        var fresh = Leads(2_000, seed: 4, signal: 0);
        var p = result.Scorer.Probabilities(fresh, Enumerable.Range(0, fresh.Count).ToList());
        var rate = Calibrator.Sigmoid(-1.5);
        p.ShouldAllBe(v => Math.Abs(v - rate) < 0.15);
        Metrics.RocAuc(p, fresh.Labels.Select(l => l!.Value).ToList()).ShouldBeInRange(0.4, 0.6);
    }

    [Fact]
    public void Random_order_refits_on_every_lead_after_choosing_on_every_fifth_row()
    {
        var result = Train(Leads(3_000, seed: 5), order: RowOrder.Random);

        result.Report.TrainingRows.ShouldBe(3_000);
        result.Report.CalibrationRows.ShouldBe(600);
        result.Report.Description.ShouldContain("every fifth row");
        result.Report.Description.ShouldContain("refit on all 3,000 leads");
    }

    [Fact]
    public void A_naive_bayes_scorer_saves_loads_and_scores_the_same()
    {
        var table = Leads(2_000, seed: 6);
        var schema = FeatureInference.Infer(table, Enumerable.Range(0, table.Count).ToList(), []);
        var bayes = NaiveBayesModel.Train(schema, table, Enumerable.Range(0, table.Count).ToList(), bins: 10);
        var binding = schema.Bind(table.Columns);
        var raw = Enumerable.Range(0, table.Count).Select(i => bayes.Score(schema, table.Rows[i], binding)).ToList();
        var scorer = new TrainedScorer
        {
            Schema = schema, Kind = ScorerKind.NaiveBayes, Bayes = bayes, Calibrator = Calibrator.FitPlatt(raw, table.Labels.Select(l => l!.Value).ToList()),
            Grades = new GradeBands(0.6, 0.4, 0.2),
        };

        var loaded = TrainedScorer.Load(scorer.Save());

        loaded.Kind.ShouldBe(ScorerKind.NaiveBayes);
        loaded.IsColdStart.ShouldBeFalse();
        var rows = Enumerable.Range(0, 200).ToList();
        loaded.Probabilities(table, rows).ShouldBe(scorer.Probabilities(table, rows));
        Metrics.RocAuc(scorer.Probabilities(table, Enumerable.Range(0, table.Count).ToList()), table.Labels.Select(l => l!.Value).ToList()).ShouldBeGreaterThan(0.7);
    }

    [Fact]
    public void Naive_bayes_gives_a_pile_of_one_number_its_own_bin_apart_from_the_few_values_below_it()
    {
        // Like bank marketing's pdays: 999 ("never contacted") for 90% of leads, a day count for the rest, who convert far
        // more. With the pile folded into the bin below it, the day counts would be indistinguishable from 999.
        var random = new Random(8);
        var table = new LeadTable(["pdays"]);
        for (var i = 0; i < 2_000; i++)
        {
            var contacted = i % 10 == 0;
            table.Add(i.ToString(CultureInfo.InvariantCulture), [contacted ? random.Next(1, 30).ToString(CultureInfo.InvariantCulture) : "999"],
                random.NextDouble() < (contacted ? 0.6 : 0.1));
        }
        var rows = Enumerable.Range(0, table.Count).ToList();
        var schema = FeatureInference.Infer(table, rows, []);
        schema.Columns.Single().Kind.ShouldBe(FeatureKind.Numeric);

        var bayes = NaiveBayesModel.Train(schema, table, rows, bins: 10);

        var binding = schema.Bind(table.Columns);
        bayes.Score(schema, ["5"], binding).ShouldBeGreaterThan(bayes.Score(schema, ["999"], binding) + 1);
    }
}
