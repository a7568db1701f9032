using GrowthBrain.Scoring;

namespace GrowthBrain.Tests.Scoring;

/// <summary>
/// GrowthBrain evaluates LightGBM's trees itself for speed; these check it scores exactly as ML.NET does,
/// blanks (NaN) and values on split thresholds included, for small trees (the vectorised path) and big ones.
/// </summary>
public sealed class GbdtModelTests
{
    private static (List<float[]> X, List<bool> Y) Data(int rows, int seed)
    {
        var random = new Random(seed);
        var x = new List<float[]>();
        var y = new List<bool>();
        for (var i = 0; i < rows; i++)
        {
            var v = new float[6];
            for (var j = 0; j < v.Length; j++) v[j] = random.NextDouble() < 0.15 ? float.NaN : (float)Math.Round(random.NextDouble() * 10, 1);
            var z = (float.IsNaN(v[0]) ? 1 : v[0] - 5) + (float.IsNaN(v[1]) ? -2 : v[1] * v[2] / 20 - 1) + (v[3] > 5 ? 1 : 0);
            x.Add(v);
            y.Add(random.NextDouble() < 1 / (1 + Math.Exp(-z)));
        }
        return (x, y);
    }

    [Theory]
    [InlineData(15, 60)]
    [InlineData(63, 40)]
    public void The_flattened_trees_score_exactly_as_MLNET_does(int leaves, int trees)
    {
        var (x, y) = Data(4_000, 1);
        var model = GbdtModel.Train(x, y, new GbdtSettings(leaves, 0.1, 10, 1.0, trees), seed: 3);
        var (probe, _) = Data(2_000, 2);

        var fast = model.Score(probe);
        var reference = model.ScoreThroughMlNet(probe);
        var single = probe.Select(model.Score).ToArray();
        var reloaded = GbdtModel.Load(model.Save(), 6, model.Trees).Score(probe);

        model.DirectTrees.ShouldBeTrue();
        fast.ShouldBe(reference);
        single.ShouldBe(reference);
        reloaded.ShouldBe(reference);
    }
}
