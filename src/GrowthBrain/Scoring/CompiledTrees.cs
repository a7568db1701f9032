using System.Buffers;
using System.Numerics;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace GrowthBrain.Scoring;

/// <summary>
/// ML.NET's LightGBM trees flattened into arrays and evaluated the way ML.NET's InternalRegressionTree does:
/// a missing (NaN) value takes the node's default value for missing before the "value &lt;= threshold goes left"
/// test, leaf values are summed in tree order in double precision, and the sum is rounded to float (ML.NET's
/// Score column). For speed, a tree's leaves become nodes that lead to themselves, so every row takes exactly
/// the tree's depth in steps without a data-dependent branch, and rows go a block at a time, tree by tree.
/// </summary>
internal sealed class CompiledTrees
{
    internal const int Block = 256;

    /// <summary>A split, or a leaf (both children itself, threshold +inf, NaN left).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Node
    {
        public int Feature;
        public float Threshold;
        /// <summary>Children: indexes into the node array.</summary>
        public int Left;
        public int Right;
        public int MissingLeft; // 1: NaN goes left
    }

    private readonly Node[] _nodes;
    private readonly int[] _root;     // per tree: its first node
    private readonly int[] _depth;    // per tree: steps from the root to its deepest leaf
    private readonly double[] _leafValue; // by node index (0 for splits)
    private readonly int _width;

    // The same trees for scoring many rows at once, QuickScorer style: every split of a tree is tested for all
    // rows of a block with vector instructions, a false test ("goes right") clears the bits of the leaves in its
    // left subtree, and the exit leaf is the lowest bit left (leaves numbered left to right). Trees of up to 32
    // leaves; -1 in _maskStart: a tree evaluated by walking (_nodes) instead.
    private readonly int[] _maskStart;   // per tree: first split in the arrays below (length trees + 1)
    private readonly int[] _maskFeature;
    private readonly float[] _maskThreshold;
    private readonly int[] _maskMissingLeft; // -1: NaN goes left, 0: right
    private readonly int[] _mask;            // bits of the leaves kept when the test is false
    private readonly int[] _orderedLeafStart; // per tree: its leaves, left to right, in _orderedLeaf
    private readonly double[] _orderedLeaf;
    private readonly bool[] _bitTree;

    private CompiledTrees(Node[] nodes, int[] root, int[] depth, double[] leafValue, int width, int[] maskStart, int[] maskFeature,
        float[] maskThreshold, int[] maskMissingLeft, int[] mask, int[] orderedLeafStart, double[] orderedLeaf, bool[] bitTree)
    {
        (_nodes, _root, _depth, _leafValue, _width) = (nodes, root, depth, leafValue, width);
        (_maskStart, _maskFeature, _maskThreshold, _maskMissingLeft, _mask, _orderedLeafStart, _orderedLeaf, _bitTree) =
            (maskStart, maskFeature, maskThreshold, maskMissingLeft, mask, orderedLeafStart, orderedLeaf, bitTree);
    }

    public int Count => _root.Length;

    /// <summary>The trees of a trained or loaded LightGBM model, or null if the model isn't one this can evaluate.</summary>
    public static CompiledTrees? From(ITransformer model, int width)
    {
        try
        {
            if (model is not ISingleFeaturePredictionTransformer<object> { Model: var parameters }) return null;
            var ensemble = parameters switch
            {
                CalibratedModelParametersBase<LightGbmBinaryModelParameters, PlattCalibrator> c => c.SubModel.TrainedTreeEnsemble,
                LightGbmBinaryModelParameters p => p.TrainedTreeEnsemble,
                _ => null,
            };
            if (ensemble is null || ensemble.Bias != 0 || ensemble.TreeWeights.Any(w => w != 1)) return null;
            var inner = typeof(RegressionTreeBase).GetField("_tree", BindingFlags.Instance | BindingFlags.NonPublic);
            if (inner is null) return null;
            var nodes = new List<Node>();
            var leafValue = new List<double>();
            var root = new List<int>();
            var depth = new List<int>();
            var maskStart = new List<int> { 0 };
            var maskFeature = new List<int>();
            var maskThreshold = new List<float>();
            var maskMissingLeft = new List<int>();
            var mask = new List<int>();
            var orderedLeafStart = new List<int> { 0 };
            var orderedLeaf = new List<double>();
            var bitTree = new List<bool>();
            foreach (var tree in ensemble.Trees)
            {
                if (tree.CategoricalSplitFlags.Any(f => f)) return null;
                var internalTree = inner.GetValue(tree);
                if (internalTree is null) return null;
                var missing = internalTree.GetType().GetField("DefaultValueForMissing", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)?.GetValue(internalTree);
                if (missing is not null and not float[]) return null;
                var missingValues = (float[]?)missing;
                var baseIndex = nodes.Count;
                // ML.NET answers leaf 0 for a one-leaf tree without looking at the features.
                var splits = tree.NumberOfLeaves == 1 ? 0 : tree.NumberOfNodes;
                var leaves = tree.LeafValues.Count;
                int Child(int c) => c >= 0 ? (c < splits ? baseIndex + c : throw new ArgumentException("child")) : baseIndex + splits + ~c;
                for (var n = 0; n < splits; n++)
                {
                    var f = tree.NumericalSplitFeatureIndexes[n];
                    if (f < 0 || f >= width) return null;
                    var t = tree.NumericalSplitThresholds[n];
                    nodes.Add(new Node
                    {
                        Feature = f, Threshold = t, Left = Child(tree.LeftChild[n]), Right = Child(tree.RightChild[n]),
                        // ML.NET: NaN becomes DefaultValueForMissing[node] (if any), then "<= threshold" goes left.
                        MissingLeft = missingValues is not null && missingValues[n] <= t ? 1 : 0,
                    });
                    leafValue.Add(0);
                }
                for (var l = 0; l < leaves; l++)
                {
                    var self = baseIndex + splits + l;
                    nodes.Add(new Node { Feature = 0, Threshold = float.PositiveInfinity, Left = self, Right = self, MissingLeft = 1 });
                    leafValue.Add(tree.LeafValues[l]);
                }
                root.Add(baseIndex);
                depth.Add(splits == 0 ? 0 : Depth(tree, 0));
                var bits = splits > 0 && leaves <= 32;
                bitTree.Add(bits);
                if (bits)
                {
                    // Leaves numbered left to right; each split's mask clears its left subtree's leaves.
                    var position = new int[leaves];
                    var next = 0;
                    void Number(int node)
                    {
                        if (node < 0) { position[~node] = next++; return; }
                        Number(tree.LeftChild[node]);
                        Number(tree.RightChild[node]);
                    }
                    Number(0);
                    var ordered = new double[leaves];
                    for (var l = 0; l < leaves; l++) ordered[position[l]] = tree.LeafValues[l];
                    orderedLeaf.AddRange(ordered);
                    for (var n = 0; n < splits; n++)
                    {
                        var cleared = 0u;
                        void Clear(int node)
                        {
                            if (node < 0) { cleared |= 1u << position[~node]; return; }
                            Clear(tree.LeftChild[node]);
                            Clear(tree.RightChild[node]);
                        }
                        Clear(tree.LeftChild[n]);
                        var node = nodes[baseIndex + n];
                        maskFeature.Add(node.Feature);
                        maskThreshold.Add(node.Threshold);
                        maskMissingLeft.Add(node.MissingLeft != 0 ? -1 : 0);
                        mask.Add((int)~cleared);
                    }
                }
                maskStart.Add(maskFeature.Count);
                orderedLeafStart.Add(orderedLeaf.Count);
            }
            return new CompiledTrees(nodes.ToArray(), root.ToArray(), depth.ToArray(), leafValue.ToArray(), width, maskStart.ToArray(),
                maskFeature.ToArray(), maskThreshold.ToArray(), maskMissingLeft.ToArray(), mask.ToArray(), orderedLeafStart.ToArray(),
                orderedLeaf.ToArray(), bitTree.ToArray());
        }
        catch (Exception e) when (e is InvalidCastException or MemberAccessException or ArgumentException or IndexOutOfRangeException or TargetException)
        {
            return null;
        }
    }

    private static int Depth(RegressionTree tree, int node) =>
        node < 0 ? 0 : 1 + Math.Max(Depth(tree, tree.LeftChild[node]), Depth(tree, tree.RightChild[node]));

    /// <summary>Scores <paramref name="rows"/> row-major feature vectors into <paramref name="margins"/>.</summary>
    public void Score(ReadOnlySpan<float> features, int rows, Span<double> margins)
    {
        if (features.Length < rows * _width || margins.Length < rows) throw new ArgumentException("Too few features or margins for the rows.");
        if (rows >= 2 * Vector<float>.Count && Vector.IsHardwareAccelerated && Vector<float>.Count == Vector<int>.Count) ScoreByMasks(features, rows, margins);
        else ScoreByWalking(features, rows, margins);
    }

    /// <summary>Many rows: a block at a time, transposed so that one feature of the block's rows is one run of floats.</summary>
    private void ScoreByMasks(ReadOnlySpan<float> features, int rows, Span<double> margins)
    {
        var lanes = Vector<float>.Count;
        var columns = ArrayPool<float>.Shared.Rent(_width * Block);
        var acc = ArrayPool<int>.Shared.Rent(Block);
        Span<double> sums = stackalloc double[Block];
        ref var nodes = ref MemoryMarshal.GetArrayDataReference(_nodes);
        ref var values = ref MemoryMarshal.GetArrayDataReference(_leafValue);
        for (var start = 0; start < rows; start += Block)
        {
            var n = Math.Min(Block, rows - start);
            var padded = (n + lanes - 1) / lanes * lanes;
            var block = features.Slice(start * _width, n * _width);
            for (var i = 0; i < n; i++)
            {
                var row = block.Slice(i * _width, _width);
                for (var j = 0; j < _width; j++) columns[j * Block + i] = row[j];
            }
            if (padded > n)
            {
                for (var j = 0; j < _width; j++) columns.AsSpan(j * Block + n, padded - n).Clear();
            }
            var sum = sums[..n];
            sum.Clear();
            for (var t = 0; t < _root.Length; t++)
            {
                if (_bitTree[t])
                {
                    acc.AsSpan(0, padded).Fill(-1);
                    var accVectors = MemoryMarshal.Cast<int, Vector<int>>(acc.AsSpan(0, padded));
                    for (var k = _maskStart[t]; k < _maskStart[t + 1]; k++)
                    {
                        var column = MemoryMarshal.Cast<float, Vector<float>>(columns.AsSpan(_maskFeature[k] * Block, padded));
                        var threshold = new Vector<float>(_maskThreshold[k]);
                        var missingLeft = new Vector<int>(_maskMissingLeft[k]);
                        var keep = new Vector<int>(_mask[k]);
                        for (var v = 0; v < accVectors.Length; v++)
                        {
                            var x = column[v];
                            // Goes left: x <= threshold, or x is NaN and NaN goes left here; else clear the left subtree.
                            var left = Vector.LessThanOrEqual(x, threshold) | (Vector.OnesComplement(Vector.Equals(x, x)) & missingLeft);
                            accVectors[v] &= left | keep;
                        }
                    }
                    var leaves = _orderedLeafStart[t];
                    for (var i = 0; i < n; i++) sum[i] += _orderedLeaf[leaves + BitOperations.TrailingZeroCount(acc[i])];
                }
                else
                {
                    var root = _root[t];
                    var depth = _depth[t];
                    for (var i = 0; i < n; i++)
                    {
                        ref var row = ref MemoryMarshal.GetReference(block.Slice(i * _width, _width));
                        var node = root;
                        for (var d = 0; d < depth; d++) node = Step(ref nodes, node, ref row);
                        sum[i] += Unsafe.Add(ref values, node);
                    }
                }
            }
            for (var i = 0; i < n; i++) margins[start + i] = (float)sum[i];
        }
        ArrayPool<float>.Shared.Return(columns);
        ArrayPool<int>.Shared.Return(acc);
    }

    /// <summary>Few rows: each walks each tree.</summary>
    private void ScoreByWalking(ReadOnlySpan<float> features, int rows, Span<double> margins)
    {
        Span<double> sums = stackalloc double[Block];
        ref var nodes = ref MemoryMarshal.GetArrayDataReference(_nodes);
        ref var values = ref MemoryMarshal.GetArrayDataReference(_leafValue);
        ref var first = ref MemoryMarshal.GetReference(features);
        for (var start = 0; start < rows; start += Block)
        {
            var n = Math.Min(Block, rows - start);
            var sum = sums[..n];
            sum.Clear();
            for (var t = 0; t < _root.Length; t++)
            {
                var root = _root[t];
                var depth = _depth[t];
                var i = 0;
                // Four rows at once: their paths are independent, so the processor overlaps their loads.
                for (; i + 4 <= n; i += 4)
                {
                    ref var row0 = ref Unsafe.Add(ref first, (start + i) * _width);
                    ref var row1 = ref Unsafe.Add(ref row0, _width);
                    ref var row2 = ref Unsafe.Add(ref row1, _width);
                    ref var row3 = ref Unsafe.Add(ref row2, _width);
                    int node0 = root, node1 = root, node2 = root, node3 = root;
                    for (var d = 0; d < depth; d++)
                    {
                        node0 = Step(ref nodes, node0, ref row0);
                        node1 = Step(ref nodes, node1, ref row1);
                        node2 = Step(ref nodes, node2, ref row2);
                        node3 = Step(ref nodes, node3, ref row3);
                    }
                    sum[i] += Unsafe.Add(ref values, node0);
                    sum[i + 1] += Unsafe.Add(ref values, node1);
                    sum[i + 2] += Unsafe.Add(ref values, node2);
                    sum[i + 3] += Unsafe.Add(ref values, node3);
                }
                for (; i < n; i++)
                {
                    ref var row = ref Unsafe.Add(ref first, (start + i) * _width);
                    var node = root;
                    for (var d = 0; d < depth; d++) node = Step(ref nodes, node, ref row);
                    sum[i] += Unsafe.Add(ref values, node);
                }
            }
            for (var i = 0; i < n; i++) margins[start + i] = (float)sum[i];
        }
    }

    /// <summary>One step down a tree (a leaf stays where it is). NaN fails "&lt;=", so it goes left only if the node says so.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Step(ref Node nodes, int node, ref float row)
    {
        ref var split = ref Unsafe.Add(ref nodes, node);
        var v = Unsafe.Add(ref row, split.Feature);
        var left = (v <= split.Threshold ? 1 : 0) | ((float.IsNaN(v) ? 1 : 0) & split.MissingLeft);
        return left != 0 ? split.Left : split.Right;
    }

    /// <summary>
    /// Compares with a reference scorer on probe rows that send every feature to both sides of every threshold
    /// and to NaN: exact equality, or false.
    /// </summary>
    public bool Agrees(Func<IReadOnlyList<float[]>, double[]> reference)
    {
        var random = new Random(12345);
        var thresholds = new List<float>[_width];
        for (var j = 0; j < _width; j++) thresholds[j] = [];
        foreach (var node in _nodes)
        {
            if (node.Left != node.Right) thresholds[node.Feature].Add(node.Threshold);
        }
        var probes = new float[512][];
        for (var r = 0; r < probes.Length; r++)
        {
            var v = probes[r] = new float[_width];
            for (var j = 0; j < _width; j++)
            {
                var choice = random.Next(8);
                var options = thresholds[j];
                v[j] = choice == 0 || options.Count == 0 ? (random.Next(2) == 0 ? float.NaN : random.Next(-3, 4))
                    : options[random.Next(options.Count)] is var t && choice <= 3 ? t
                    : choice <= 5 ? MathF.BitIncrement(t) : MathF.BitDecrement(t);
            }
        }
        var expected = reference(probes);
        var flat = probes.SelectMany(p => p).ToArray();
        var walked = new double[probes.Length];
        ScoreByWalking(flat, probes.Length, walked);
        var masked = new double[probes.Length];
        Score(flat, probes.Length, masked);
        for (var r = 0; r < probes.Length; r++)
        {
            if (BitConverter.DoubleToInt64Bits(expected[r]) != BitConverter.DoubleToInt64Bits(walked[r])
                || BitConverter.DoubleToInt64Bits(expected[r]) != BitConverter.DoubleToInt64Bits(masked[r])) return false;
        }
        return true;
    }
}
