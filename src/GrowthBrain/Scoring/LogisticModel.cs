using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace GrowthBrain.Scoring;

/// <summary>
/// Regularised logistic regression on standardised features: the simple candidate, which on drifting
/// CRM data often beats trees on the newest slice. Missing values become the training median.
/// </summary>
public sealed record LogisticModel(double[] Weights, double Bias, float[] Medians, float[] Means, float[] Scales, double L2)
{
    public static LogisticModel Train(IReadOnlyList<float[]> x, IReadOnlyList<bool> y, double l2, int seed)
    {
        var width = x[0].Length;
        var medians = new float[width];
        var means = new float[width];
        var scales = new float[width];
        for (var j = 0; j < width; j++)
        {
            var column = x.Select(v => v[j]).Where(f => !float.IsNaN(f)).Order().ToArray();
            medians[j] = column.Length == 0 ? 0 : column[column.Length / 2];
            var imputed = x.Select(v => float.IsNaN(v[j]) ? medians[j] : v[j]).ToArray();
            var mean = imputed.Average(f => (double)f);
            var sd = Math.Sqrt(imputed.Average(f => (f - mean) * (f - mean)));
            means[j] = (float)mean;
            scales[j] = sd > 1e-9 ? (float)(1 / sd) : 0;
        }
        var shell = new LogisticModel([], 0, medians, means, scales, l2);
        var ml = new MLContext(seed);
        var data = ml.Data.LoadFromEnumerable(x.Select((v, i) => new GbdtModel.MlRow { Label = y[i], Features = shell.Standardise(v) }), GbdtModel.Schema(width));
        var trainer = ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
        {
            L2Regularization = (float)l2,
            L1Regularization = 0,
            NumberOfThreads = 1,
            MaximumNumberOfIterations = 200,
        });
        var model = trainer.Fit(data).Model;
        var linear = ((CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>)model).SubModel;
        var weights = linear.Weights.ToArray().Select(w => (double)w).ToArray();
        return shell with { Weights = weights, Bias = linear.Bias };
    }

    public float[] Standardise(float[] v)
    {
        var s = new float[v.Length];
        for (var j = 0; j < v.Length; j++)
        {
            var f = float.IsNaN(v[j]) ? Medians[j] : v[j];
            s[j] = Math.Clamp((f - Means[j]) * Scales[j], -20f, 20f);
        }
        return s;
    }

    public double Score(float[] v) => Score((ReadOnlySpan<float>)v);

    public double Score(ReadOnlySpan<float> v)
    {
        var z = Bias;
        for (var j = 0; j < v.Length; j++)
        {
            var f = float.IsNaN(v[j]) ? Medians[j] : v[j];
            z += Weights[j] * Math.Clamp((f - Means[j]) * Scales[j], -20f, 20f);
        }
        return z;
    }
}
