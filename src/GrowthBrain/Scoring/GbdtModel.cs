using System.Collections.Concurrent;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;

namespace GrowthBrain.Scoring;

public sealed record GbdtSettings(int Leaves, double LearningRate, int MinLeaf, double FeatureFraction, int Iterations)
{
    public override string ToString() => $"leaves {Leaves}, learning rate {LearningRate}, min leaf {MinLeaf}, feature fraction {FeatureFraction}, {Iterations} trees";
}

/// <summary>Gradient-boosted trees through ML.NET's LightGBM: the strong, non-linear candidate.</summary>
public sealed class GbdtModel
{
    private readonly MLContext _ml;
    private readonly ITransformer _model;
    private readonly int _width;
    private readonly ConcurrentBag<PredictionEngine<MlRow, MlScore>> _engines = [];

    private GbdtModel(MLContext ml, ITransformer model, int width, int trees)
    {
        _ml = ml;
        _model = model;
        _width = width;
        Trees = trees;
    }

    public int Trees { get; }

    public sealed class MlRow
    {
        public bool Label { get; set; }
        public float[] Features { get; set; } = [];
    }

    public sealed class MlScore
    {
        public float Score { get; set; }
    }

    internal static SchemaDefinition Schema(int width)
    {
        var def = SchemaDefinition.Create(typeof(MlRow));
        def[nameof(MlRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        return def;
    }

    public static GbdtModel Train(IReadOnlyList<float[]> x, IReadOnlyList<bool> y, GbdtSettings settings, int seed,
        IReadOnlyList<float[]>? validX = null, IReadOnlyList<bool>? validY = null)
    {
        var ml = new MLContext(seed);
        var width = x[0].Length;
        var train = ml.Data.LoadFromEnumerable(x.Select((v, i) => new MlRow { Label = y[i], Features = v }), Schema(width));
        var options = new LightGbmBinaryTrainer.Options
        {
            NumberOfLeaves = settings.Leaves,
            LearningRate = settings.LearningRate,
            MinimumExampleCountPerLeaf = settings.MinLeaf,
            NumberOfIterations = settings.Iterations,
            // 2-core machines: more threads than cores makes OpenMP spin and slows training many times over.
            NumberOfThreads = Math.Max(1, Environment.ProcessorCount),
            Seed = seed,
            Booster = new GradientBooster.Options { FeatureFraction = settings.FeatureFraction, L2Regularization = 1, SubsampleFraction = 0.8, SubsampleFrequency = 1 },
            UseCategoricalSplit = false,
            HandleMissingValue = true,
            Silent = true,
        };
        ITransformer model;
        if (validX is not null && validY is not null && validX.Count > 0)
        {
            options.EarlyStoppingRound = 50;
            options.EvaluationMetric = LightGbmBinaryTrainer.Options.EvaluateMetricType.Logloss;
            var valid = ml.Data.LoadFromEnumerable(validX.Select((v, i) => new MlRow { Label = validY[i], Features = v }), Schema(width));
            model = ml.BinaryClassification.Trainers.LightGbm(options).Fit(train, valid);
        }
        else
        {
            model = ml.BinaryClassification.Trainers.LightGbm(options).Fit(train);
        }
        var trees = ((ISingleFeaturePredictionTransformer<CalibratedModelParametersBase<LightGbmBinaryModelParameters, PlattCalibrator>>)model)
            .Model.SubModel.TrainedTreeEnsemble.Trees.Count;
        return new GbdtModel(ml, model, width, trees);
    }

    /// <summary>Raw margins for many rows at once: the fast path for batch scoring.</summary>
    public double[] Score(IReadOnlyList<float[]> x)
    {
        if (x.Count == 0) return [];
        var data = _ml.Data.LoadFromEnumerable(x.Select(v => new MlRow { Features = v }), Schema(_width));
        var scored = _model.Transform(data);
        var result = new double[x.Count];
        using var cursor = scored.GetRowCursor([scored.Schema["Score"]]);
        var getter = cursor.GetGetter<float>(scored.Schema["Score"]);
        var i = 0;
        float s = 0;
        while (cursor.MoveNext())
        {
            getter(ref s);
            result[i++] = s;
        }
        return result;
    }

    /// <summary>One row: a pooled prediction engine (they are not thread-safe, and cost a millisecond to make).</summary>
    public double Score(float[] x)
    {
        if (!_engines.TryTake(out var engine))
        {
            engine = _ml.Model.CreatePredictionEngine<MlRow, MlScore>(_model, inputSchemaDefinition: Schema(_width));
        }
        try
        {
            return engine.Predict(new MlRow { Features = x }).Score;
        }
        finally
        {
            _engines.Add(engine);
        }
    }

    public byte[] Save()
    {
        using var stream = new MemoryStream();
        var schema = _ml.Data.LoadFromEnumerable(Array.Empty<MlRow>(), Schema(_width)).Schema;
        _ml.Model.Save(_model, schema, stream);
        return stream.ToArray();
    }

    public static GbdtModel Load(byte[] bytes, int width, int trees)
    {
        var ml = new MLContext(0);
        using var stream = new MemoryStream(bytes);
        var model = ml.Model.Load(stream, out _);
        return new GbdtModel(ml, model, width, trees);
    }
}
