using System.Buffers;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace GrowthBrain.Scoring;

public enum ScorerKind { Gbdt, Logistic, Blend, ColdStart, NaiveBayes }

/// <summary>Grade bands on calibrated probability: A is the best ~15% of leads as trained, D the bottom ~30%.</summary>
public sealed record GradeBands(double A, double B, double C)
{
    public string Grade(double p) => p >= A ? "A" : p >= B ? "B" : p >= C ? "C" : "D";
}

/// <summary>One reason behind a score: "Source is Referral: +9 points" (points are percentage points of probability).</summary>
public sealed record Factor(string Feature, string Text, int Points);

public sealed record Scored(double Probability, string Grade);

/// <summary>
/// A trained scorer: feature encoding, model(s), calibration and grade bands, saved and loaded as one
/// file so a model version scores exactly as it was evaluated.
/// </summary>
public sealed class TrainedScorer
{
    public required FeatureSchema Schema { get; init; }
    public required ScorerKind Kind { get; init; }
    public LogisticModel? Logistic { get; init; }
    public NaiveBayesModel? Bayes { get; init; }
    /// <summary>For a blend: each part's Platt scaling, so their log-odds are on one scale before averaging.</summary>
    public Calibrator? GbdtScale { get; init; }
    public Calibrator? LogisticScale { get; init; }
    public required Calibrator Calibrator { get; init; }
    public required GradeBands Grades { get; init; }
    public double Threshold { get; init; }
    public double BaseRate { get; init; }
    public string Description { get; init; } = "";
    public int GbdtTrees { get; init; }

    [JsonIgnore]
    public GbdtModel? Gbdt { get; init; }

    public bool IsColdStart => Kind == ScorerKind.ColdStart;

    /// <summary>Naive Bayes scores the raw field values, not the encoded feature vector: cold start and the learned naive Bayes.</summary>
    private bool UsesBayes => Kind is ScorerKind.ColdStart or ScorerKind.NaiveBayes;

    public Scored Score(string?[] row, int[] binding)
    {
        var p = Probability(row, binding);
        return new Scored(p, Grades.Grade(p));
    }

    public double Probability(string?[] row, int[] binding)
    {
        if (UsesBayes) return Calibrator.Apply(Bayes!.Score(Schema, row, binding));
        var v = Schema.Featurize(row, binding);
        return Calibrator.Apply(Raw(Kind == ScorerKind.Logistic ? double.NaN : Gbdt!.Score(v), v));
    }

    /// <summary>
    /// Probabilities for many rows, in their order: rows are encoded and scored in chunks across the cores,
    /// each chunk encoded into one reused buffer and its trees evaluated a block of rows at a time.
    /// </summary>
    public double[] Probabilities(LeadTable table, IReadOnlyList<int> rows)
    {
        var binding = Schema.Bind(table.Columns);
        var result = new double[rows.Count];
        var chunks = (rows.Count + BatchChunk - 1) / BatchChunk;
        var width = Schema.Width;
        Parallel.For(0, chunks, () => (Features: ArrayPool<float>.Shared.Rent(BatchChunk * width), Margins: ArrayPool<double>.Shared.Rent(BatchChunk)), (chunk, _, buffers) =>
        {
            var (features, margins) = buffers;
            var start = chunk * BatchChunk;
            var end = Math.Min(rows.Count, start + BatchChunk);
            if (UsesBayes)
            {
                for (var k = start; k < end; k++) result[k] = Calibrator.Apply(Bayes!.Score(Schema, table.Rows[rows[k]], binding));
                return buffers;
            }
            var n = end - start;
            for (var k = 0; k < n; k++) Schema.Featurize(table.Rows[rows[start + k]], binding, features.AsSpan(k * width, width));
            if (Kind != ScorerKind.Logistic) Gbdt!.Score(features.AsSpan(0, n * width), n, margins.AsSpan(0, n));
            for (var k = 0; k < n; k++)
            {
                var v = features.AsSpan(k * width, width);
                result[start + k] = Calibrator.Apply(Raw(Kind == ScorerKind.Logistic ? double.NaN : margins[k], v));
            }
            return buffers;
        }, buffers =>
        {
            ArrayPool<float>.Shared.Return(buffers.Features);
            ArrayPool<double>.Shared.Return(buffers.Margins);
        });
        return result;
    }

    private const int BatchChunk = 4096;

    /// <summary>The uncalibrated score the calibrator was fitted on.</summary>
    internal double Raw(double gbdtMargin, ReadOnlySpan<float> v) => Kind switch
    {
        ScorerKind.Gbdt => gbdtMargin,
        ScorerKind.Logistic => Logistic!.Score(v),
        // Platt is linear in log-odds, so the blend is the average of the two calibrated log-odds.
        ScorerKind.Blend => 0.5 * (GbdtScale!.A * gbdtMargin + GbdtScale.B) + 0.5 * (LogisticScale!.A * Logistic!.Score(v) + LogisticScale.B),
        _ => throw new InvalidOperationException($"{Kind} has no raw score."),
    };

    /// <summary>
    /// The factors for and against, by asking for each field "what if this lead were typical here?".
    /// Model-agnostic, so trees, the linear model, the blend and cold start explain the same way.
    /// </summary>
    public IReadOnlyList<Factor> Explain(string?[] row, int[] binding, int top = 3)
    {
        var p = Probability(row, binding);
        var factors = new List<(Factor Factor, double Delta)>();
        for (var c = 0; c < Schema.Columns.Count; c++)
        {
            var col = Schema.Columns[c];
            if (binding[c] < 0) continue;
            var value = FeatureSchema.Clean(row[binding[c]]);
            var typical = col.Typical;
            if (string.Equals(value, typical, StringComparison.OrdinalIgnoreCase)) continue;
            var changed = (string?[])row.Clone();
            changed[binding[c]] = typical;
            var delta = p - Probability(changed, binding);
            // A lead scored at 1% still has reasons: a field that moves it by a tenth of a point or more is shown,
            // as at least one point, so low scores are explained too instead of showing no factor at all.
            if (Math.Abs(delta) < 0.001) continue;
            var points = Math.Sign(delta) * Math.Max(1, (int)Math.Round(100 * Math.Abs(delta)));
            factors.Add((new Factor(col.Name, FeatureSchema.Describe(col, value), points), delta));
        }
        return factors.Where(f => f.Delta > 0).OrderByDescending(f => f.Delta).Take(top)
            .Concat(factors.Where(f => f.Delta < 0).OrderBy(f => f.Delta).Take(top)).Select(f => f.Factor).ToList();
    }

    /// <summary>The probability if a row were changed: "what would raise it".</summary>
    public double WhatIf(string?[] row, int[] binding, Action<string?[]> change)
    {
        var changed = (string?[])row.Clone();
        change(changed);
        return Probability(changed, binding);
    }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public byte[] Save()
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var entry = zip.CreateEntry("scorer.json").Open())
                JsonSerializer.Serialize(entry, this, Json);
            if (Gbdt is not null)
            {
                using var entry = zip.CreateEntry("gbdt.zip").Open();
                entry.Write(Gbdt.Save());
            }
        }
        return stream.ToArray();
    }

    public static TrainedScorer Load(byte[] bytes)
    {
        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        TrainedScorer scorer;
        using (var entry = zip.GetEntry("scorer.json")!.Open())
            scorer = JsonSerializer.Deserialize<TrainedScorer>(entry, Json)!;
        scorer.Schema.Layout();
        if (zip.GetEntry("gbdt.zip") is { } g)
        {
            using var s = g.Open();
            using var buffer = new MemoryStream();
            s.CopyTo(buffer);
            return new TrainedScorer
            {
                Schema = scorer.Schema, Kind = scorer.Kind, Logistic = scorer.Logistic, Bayes = scorer.Bayes,
                GbdtScale = scorer.GbdtScale, LogisticScale = scorer.LogisticScale, Calibrator = scorer.Calibrator,
                Grades = scorer.Grades, Threshold = scorer.Threshold, BaseRate = scorer.BaseRate, Description = scorer.Description,
                GbdtTrees = scorer.GbdtTrees, Gbdt = GbdtModel.Load(buffer.ToArray(), scorer.Schema.Width, scorer.GbdtTrees),
            };
        }
        return scorer;
    }
}
