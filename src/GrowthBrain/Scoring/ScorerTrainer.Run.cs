using System.Diagnostics;

namespace GrowthBrain.Scoring;

// A learned training, step by step: the choosing slice, the candidates tried on it, the refit and the calibration.
public static partial class ScorerTrainer
{
    /// <summary>The best model of one kind, its scores on the choosing slice and their ROC-AUC.</summary>
    private sealed record Candidate<TModel>(TModel Model, double[] Scores, double Auc);

    /// <summary>One learned training: the choosing slice, the candidates tried on it, and the final model built from the winner.</summary>
    private sealed class Run(LeadTable table, FeatureSchema schema, List<int> labelled, TrainingOptions options, Stopwatch clock,
        IProgress<string>? progress, CancellationToken ct)
    {
        private readonly TimeSpan _budget = options.Budget ?? TimeSpan.FromSeconds(60);
        private readonly List<string> _warnings = new(schema.Warnings);
        private readonly List<CandidateResult> _candidates = [];
        private readonly int[] _binding = schema.Bind(table.Columns);
        private readonly bool _random = options.Order == RowOrder.Random;
        private int N => labelled.Count;
        // Positions (into labelled) of the choosing slice and of what trains before it.
        private List<int> _fitPos = [], _holdPos = [], _searchPos = [];
        private float[][] _x = [];
        private bool[] _y = [];
        private List<float[]> _holdX = [];
        private List<bool> _holdY = [];

        public TrainingResult Train()
        {
            SplitForChoosing();
            progress?.Report("Encoding leads");
            _x = schema.FeaturizeMany(table, labelled);
            _y = labelled.Select(i => table.Labels[i] == true).ToArray();
            // Hyper-parameters and the model kind are chosen by how models trained on the older rows do on the newest
            // fifth (early stopping included); big tables search on the most recent rows before the cut.
            _searchPos = Newest(_fitPos, SearchRows);
            _holdX = X(_holdPos);
            _holdY = Ys(_holdPos);

            var (trees, treeSettings, treeSeconds) = SearchTrees();
            var (linear, l2) = SearchLogistic();
            var bayes = TryNaiveBayes();
            var treeScale = Calibrator.FitPlatt(trees.Scores, _holdY);
            var linearScale = Calibrator.FitPlatt(linear.Scores, _holdY);
            var chosen = ChooseKind(trees, linear, bayes, treeScale, linearScale);
            var useTrees = chosen.Kind is ScorerKind.Gbdt or ScorerKind.Blend;
            var useLinear = chosen.Kind is ScorerKind.Logistic or ScorerKind.Blend;

            var (refit, refitted) = Refit(chosen, trees, treeSettings, treeSeconds, linear, l2, bayes);
            progress?.Report("Calibrating");
            var (calibrator, newest) = Calibrate(chosen.Kind, trees, linear, bayes, treeScale, linearScale, refitted ? refit : null);

            var description = Describe(chosen.Kind, treeSettings, l2, calibrator, refitted);
            var won = _y.Count(w => w);
            var scorer = new TrainedScorer
            {
                Schema = schema, Kind = chosen.Kind, Gbdt = refit.Gbdt, GbdtTrees = refit.Gbdt?.Trees ?? 0,
                Logistic = refit.Logistic, Bayes = refit.Bayes, GbdtScale = useTrees && useLinear ? treeScale : null, LogisticScale = useTrees && useLinear ? linearScale : null,
                Calibrator = calibrator, Grades = Bands(newest), Threshold = BestF1Threshold(newest, _holdY),
                BaseRate = won / (double)N, Description = description,
            };
            if (chosen.Auc < NoSignalAuc)
            {
                _warnings.Add($"No real signal: on the {(_random ? "held-out" : "newest")} leads the best model ranks won above lost only {chosen.Auc:P0} of the time (50% is a coin toss). " +
                              "Scores are close to the average rate; add columns that describe the leads or their activity.");
            }
            return new TrainingResult(scorer, new TrainingReport(chosen.Kind, description, refitted ? N : _fitPos.Count, _holdY.Count, won, N - won,
                Features(schema), schema.Excluded.ToList(), _warnings, _candidates, calibrator.Method, clock.Elapsed.TotalSeconds));
        }

        private List<float[]> X(IEnumerable<int> pos) => pos.Select(k => _x[k]).ToList();

        private List<bool> Ys(IEnumerable<int> pos) => pos.Select(k => _y[k]).ToList();

        /// <summary>The choosing slice: the newest fifth (oldest 80% train before it), or every fifth row when time can't choose.</summary>
        private void SplitForChoosing()
        {
            var cut = (int)(N * 0.8);
            _fitPos = Enumerable.Range(0, cut).ToList();
            _holdPos = Enumerable.Range(cut, N - cut).ToList();
            // With no time in the row order the tail is just wherever the export stopped, possibly a different mix of
            // outcomes from the rest; every fifth row spreads the choosing slice over the whole file instead.
            if (_random || _holdPos.All(k => table.Labels[labelled[k]] == true) || _holdPos.All(k => table.Labels[labelled[k]] == false))
            {
                // The order is not time, or the newest slice has one outcome only: choose and calibrate on an interleaved
                // fifth instead of a time slice.
                _fitPos = Enumerable.Range(0, N).Where(k => k % 5 != 4).ToList();
                _holdPos = Enumerable.Range(0, N).Where(k => k % 5 == 4).ToList();
                if (!_random)
                    _warnings.Add("The newest fifth of the leads has only one outcome, so calibration uses an interleaved sample instead of the newest leads.");
            }
        }

        /// <summary>Tree settings from the grid until the search's share of the budget is spent; the best by ROC-AUC on the choosing slice.</summary>
        private (Candidate<GbdtModel> Best, GbdtSettings Settings, double Seconds) SearchTrees()
        {
            var searchX = X(_searchPos);
            var searchY = Ys(_searchPos);
            Candidate<GbdtModel>? best = null;
            var bestAuc = double.NegativeInfinity;
            GbdtSettings? bestSettings = null;
            var bestSeconds = 0.0;
            var lastTry = TimeSpan.Zero;
            foreach (var settings in Grid)
            {
                ct.ThrowIfCancellationRequested();
                // Stop trying settings when the next one, taking about as long as the last, would overrun the search's share.
                if (best is not null && clock.Elapsed + lastTry > _budget * SearchShare) break;
                var tryStart = clock.Elapsed;
                progress?.Report($"Trying trees: {settings}");
                var model = GbdtModel.Train(searchX, searchY, settings, options.Seed, _holdX, _holdY);
                var s = model.Score(_holdX);
                lastTry = clock.Elapsed - tryStart;
                var auc = Metrics.RocAuc(s, _holdY);
                _candidates.Add(new CandidateResult("trees", $"{settings with { Iterations = model.Trees }}", auc,
                    Metrics.LogLoss(s.Select(Calibrator.Sigmoid).ToList(), _holdY)));
                if (auc > bestAuc)
                {
                    bestAuc = auc;
                    best = new Candidate<GbdtModel>(model, s, auc);
                    bestSeconds = lastTry.TotalSeconds;
                    bestSettings = settings with { Iterations = Math.Max(30, model.Trees) };
                }
            }
            return (best!, bestSettings!, bestSeconds);
        }

        private (Candidate<LogisticModel> Best, double L2) SearchLogistic()
        {
            var linearPos = Newest(_searchPos, LinearRows);
            var linearX = X(linearPos);
            var linearY = Ys(linearPos);
            Candidate<LogisticModel>? best = null;
            var bestAuc = double.NegativeInfinity;
            double bestL2 = 1;
            foreach (var l2 in L2Grid)
            {
                ct.ThrowIfCancellationRequested();
                progress?.Report($"Trying logistic regression: L2 {l2}");
                var model = LogisticModel.Train(linearX, linearY, l2, options.Seed);
                var s = _holdX.Select(model.Score).ToArray();
                var auc = Metrics.RocAuc(s, _holdY);
                _candidates.Add(new CandidateResult("logistic", $"L2 {l2}", auc, Metrics.LogLoss(s.Select(Calibrator.Sigmoid).ToList(), _holdY)));
                if (auc > bestAuc)
                {
                    bestAuc = auc;
                    best = new Candidate<LogisticModel>(model, s, auc);
                    bestL2 = l2;
                }
            }
            return (best!, bestL2);
        }

        /// <summary>
        /// Naive Bayes over field values (numbers in quantile bins): it ignores how fields interact, so it cannot
        /// fit the quirks of one period, which is what ranks best on some drifting data (bank marketing).
        /// </summary>
        private Candidate<NaiveBayesModel> TryNaiveBayes()
        {
            progress?.Report("Trying naive Bayes");
            var model = NaiveBayesModel.Train(schema, table, _searchPos.Select(k => labelled[k]).ToList(), BayesBins);
            var scores = _holdPos.Select(k => model.Score(schema, table.Rows[labelled[k]], _binding)).ToArray();
            var auc = Metrics.RocAuc(scores, _holdY);
            _candidates.Add(new CandidateResult("naive bayes", $"field values, numbers in {BayesBins} bins", auc,
                Metrics.LogLoss(scores.Select(Calibrator.Sigmoid).ToList(), _holdY)));
            return new Candidate<NaiveBayesModel>(model, scores, auc);
        }

        /// <summary>The kind: trees, logistic regression, their blend or naive Bayes, by ROC-AUC on the choosing slice.</summary>
        private (ScorerKind Kind, double Auc) ChooseKind(Candidate<GbdtModel> trees, Candidate<LogisticModel> linear, Candidate<NaiveBayesModel> bayes,
            Calibrator treeScale, Calibrator linearScale)
        {
            var kinds = new List<(ScorerKind Kind, double Auc)>
            {
                (ScorerKind.Logistic, Metrics.RocAuc(linear.Scores, _holdY)),
                (ScorerKind.NaiveBayes, Metrics.RocAuc(bayes.Scores, _holdY)),
                (ScorerKind.Gbdt, Metrics.RocAuc(trees.Scores, _holdY)),
            };
            // A part whose scores rank the newest fifth backwards (Platt slope <= 0) would enter the blend flipped; a
            // flip learned on one slice does not carry over to a model refit on every lead, so such a blend is no candidate.
            if (treeScale.A > 0 && linearScale.A > 0)
                kinds.Add((ScorerKind.Blend, Metrics.RocAuc(Blend(trees.Scores, linear.Scores, treeScale, linearScale), _holdY)));
            foreach (var o in kinds)
                _candidates.Add(new CandidateResult($"final {o.Kind.ToString().ToLowerInvariant()}", _random ? "on the held-out fifth" : "on the newest fifth", o.Auc, double.NaN));
            // The simpler model wins ties: it drifts more gracefully.
            return kinds.OrderByDescending(o => Math.Round(o.Auc, 3)).First();
        }

        /// <summary>
        /// The final model learns from every labelled lead, newest included, with the settings chosen above: on drifting
        /// data the newest leads carry most of what the next ones will look like (bank marketing, oldest 80% -> all:
        /// ROC-AUC on the later test period up by 0.03-0.2 for every model kind). The calibration map is fitted on
        /// out-of-sample scores only: the newest fifth scored by the models that did not see it (cross-fitting), so the
        /// refit model's own, over-confident in-sample scores never shape the probabilities.
        /// Without signal on the newest fifth a refit has no ranking to gain, and on drifting data its scores for new leads
        /// wander from the level the slice calibrated (maven-crm: ECE 0.09 -> 0.16), so the checked model stays.
        /// </summary>
        /// <returns>The final models of the chosen kind, and whether they were refit on every lead (else they are the checked ones).</returns>
        private ((GbdtModel? Gbdt, LogisticModel? Logistic, NaiveBayesModel? Bayes) Models, bool Refitted) Refit((ScorerKind Kind, double Auc) chosen,
            Candidate<GbdtModel> trees, GbdtSettings treeSettings, double treeSeconds, Candidate<LogisticModel> linear, double l2, Candidate<NaiveBayesModel> bayes)
        {
            var useTrees = chosen.Kind is ScorerKind.Gbdt or ScorerKind.Blend;
            var useLinear = chosen.Kind is ScorerKind.Logistic or ScorerKind.Blend;
            var refit = options.RefitOnAll && chosen.Auc >= NoSignalAuc;
            var refitTrees = refit && useTrees;
            if (refitTrees)
            {
                // The refit costs about what the chosen setting's search fit did, scaled by rows and trees; skip it (keep the
                // model checked on the newest fifth) when that would overrun the budget.
                var estimate = treeSeconds * N / Math.Max(1, _searchPos.Count) * treeSettings.Iterations / Math.Max(1, trees.Model.Trees);
                if (clock.Elapsed.TotalSeconds + estimate > _budget.TotalSeconds)
                {
                    refitTrees = false;
                    _warnings.Add($"The trees were not refit on all {N:N0} leads (about {estimate:0} s more than the {_budget.TotalSeconds:0} s budget allows); they learned from the rows {(_random ? "outside the held-out fifth" : "before the newest fifth")}.");
                }
            }
            var refitted = refit && (refitTrees || !useTrees);
            if (refitted) progress?.Report($"Training the final model on all {N:N0} leads");
            var allPos = Enumerable.Range(0, N).ToList();
            var gbdt = !useTrees ? null : refitTrees ? GbdtModel.Train(_x, _y, treeSettings, options.Seed) : trees.Model;
            LogisticModel? logistic = null;
            if (useLinear)
            {
                var lin = Newest(allPos, LinearRows * 2);
                logistic = refit ? LogisticModel.Train(X(lin), Ys(lin), l2, options.Seed) : linear.Model;
            }
            var naive = chosen.Kind != ScorerKind.NaiveBayes ? null
                : refit ? NaiveBayesModel.Train(schema, table, Newest(allPos, BayesRows).Select(k => labelled[k]).ToList(), BayesBins) : bayes.Model;
            return ((gbdt, logistic, naive), refitted);
        }

        /// <summary>
        /// The calibration map from the choosing slice's out-of-sample scores, and those scores as probabilities (the
        /// grades and the threshold follow their spread).
        /// </summary>
        private (Calibrator Calibrator, List<double> Newest) Calibrate(ScorerKind kind, Candidate<GbdtModel> trees, Candidate<LogisticModel> linear,
            Candidate<NaiveBayesModel> bayes, Calibrator treeScale, Calibrator linearScale, (GbdtModel? Gbdt, LogisticModel? Logistic, NaiveBayesModel? Bayes)? refit)
        {
            var oofRaw = kind switch
            {
                ScorerKind.Gbdt => trees.Scores,
                ScorerKind.Logistic => linear.Scores,
                ScorerKind.NaiveBayes => bayes.Scores,
                _ => Blend(trees.Scores, linear.Scores, treeScale, linearScale),
            };
            var calibrator = Calibrator.Fit(oofRaw, _holdY);
            if (refit is { } final)
            {
                // The map was fitted on the scores of the models trained before the slice; the refit model's scores sit at
                // another level (trees start from the base rate of the rows they learn from, naive Bayes from its prior), and a
                // steep map turns a small offset into a large error in every probability (no-signal data: ECE 0.09 -> 0.17).
                // Shifting the refit scores so that both models' average over every labelled lead agrees keeps the level the
                // newest fifth calibrated and leaves only the ranking to the refit.
                var before = RawScores(kind, trees.Model, linear.Model, bayes.Model, treeScale, linearScale).Average();
                var after = RawScores(kind, final.Gbdt, final.Logistic, final.Bayes, treeScale, linearScale).Average();
                calibrator = calibrator with { Shift = before - after };
            }
            return (calibrator, oofRaw.Select(r => calibrator.Apply(r - calibrator.Shift)).ToList());
        }

        /// <summary>The chosen kind's raw scores for every labelled lead.</summary>
        private double[] RawScores(ScorerKind kind, GbdtModel? trees, LogisticModel? linear, NaiveBayesModel? bayes, Calibrator treeScale, Calibrator linearScale) =>
            kind switch
            {
                ScorerKind.Gbdt => trees!.Score(_x),
                ScorerKind.Logistic => _x.Select(linear!.Score).ToArray(),
                ScorerKind.NaiveBayes => labelled.Select(i => bayes!.Score(schema, table.Rows[i], _binding)).ToArray(),
                _ => Blend(trees!.Score(_x), _x.Select(linear!.Score).ToArray(), treeScale, linearScale),
            };

        private string Describe(ScorerKind kind, GbdtSettings trees, double l2, Calibrator calibrator, bool refitted)
        {
            var description = kind switch
            {
                ScorerKind.Gbdt => $"Gradient-boosted trees ({trees}), {calibrator.Method} calibration",
                ScorerKind.Logistic => $"Logistic regression (L2 {l2}), {calibrator.Method} calibration",
                ScorerKind.NaiveBayes => $"Naive Bayes over field values (numbers in {BayesBins} bins), {calibrator.Method} calibration",
                _ => $"Blend of gradient-boosted trees ({trees}) and logistic regression (L2 {l2}), {calibrator.Method} calibration",
            };
            var slice = _random ? $"the held-out {_holdY.Count:N0} (every fifth row; row order taken as random)" : $"the newest {_holdY.Count:N0}";
            return description + (refitted
                ? $"; chosen on {slice} by models trained on the other {_fitPos.Count:N0}, then refit on all {N:N0} leads and calibrated on those out-of-sample scores"
                : $"; trained on {(_random ? "" : "the oldest ")}{_fitPos.Count:N0} leads, checked and calibrated on {slice}");
        }
    }
}
