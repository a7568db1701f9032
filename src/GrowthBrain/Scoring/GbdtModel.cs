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
    /// <summary>The same trees flattened for direct evaluation; null: score through ML.NET.</summary>
    private readonly CompiledTrees? _compiled;

    private GbdtModel(MLContext ml, ITransformer model, int width, int trees)
    {
        _ml = ml;
        _model = model;
        _width = width;
        Trees = trees;
        _compiled = CompiledTrees.From(model, width);
        // The flattened trees must give ML.NET's scores exactly; if a probe disagrees (say a later ML.NET
        // evaluates differently), keep scoring through ML.NET.
        if (_compiled is not null && !_compiled.Agrees(ScoreThroughMlNet)) _compiled = null;
    }

    /// <summary>Whether scoring evaluates the trees directly (else through ML.NET's pipeline); for tests and benchmarks.</summary>
    internal bool DirectTrees => _compiled is not null;

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
        if (_compiled is null) return ScoreThroughMlNet(x);
        var result = new double[x.Count];
        var block = new float[Math.Min(x.Count, CompiledTrees.Block) * _width];
        for (var start = 0; start < x.Count; start += CompiledTrees.Block)
        {
            var n = Math.Min(CompiledTrees.Block, x.Count - start);
            for (var i = 0; i < n; i++) x[start + i].AsSpan(0, _width).CopyTo(block.AsSpan(i * _width, _width));
            _compiled.Score(block.AsSpan(0, n * _width), n, result.AsSpan(start, n));
        }
        return result;
    }

    /// <summary>
    /// Raw margins for <paramref name="rows"/> feature vectors laid out one after another in <paramref name="features"/>
    /// (each <see cref="FeatureSchema.Width"/> long), into <paramref name="margins"/>. No allocation on the direct path.
    /// </summary>
    internal void Score(ReadOnlySpan<float> features, int rows, Span<double> margins)
    {
        if (_compiled is not null)
        {
            _compiled.Score(features, rows, margins);
            return;
        }
        var x = new float[rows][];
        for (var i = 0; i < rows; i++) x[i] = features.Slice(i * _width, _width).ToArray();
        ScoreThroughMlNet(x).CopyTo(margins);
    }

    /// <summary>ML.NET's own evaluation: the reference the flattened trees are checked against.</summary>
    internal double[] ScoreThroughMlNet(IReadOnlyList<float[]> x)
    {
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

    /// <summary>One row: the flattened trees, else a pooled prediction engine (they are not thread-safe, and cost a millisecond to make).</summary>
    public double Score(float[] x)
    {
        if (_compiled is not null)
        {
            Span<double> margin = stackalloc double[1];
            _compiled.Score(x.AsSpan(0, _width), 1, margin);
            return margin[0];
        }
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
