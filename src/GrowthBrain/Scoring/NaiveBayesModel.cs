namespace GrowthBrain.Scoring;

/// <summary>
/// The cold-start scorer: naive Bayes over field values with Laplace priors. With fewer than 50 won
/// and 50 lost leads a learned model would be noise; this one is honest about being a rough guide
/// and is labelled "cold start" wherever its scores show.
/// </summary>
public sealed record NaiveBayesModel(double PriorLogOdds, List<NaiveBayesModel.Field> Fields)
{
    public sealed record Field(int Column, double[] Cuts, Dictionary<string, double> LogRatio, double UnseenLogRatio);

    private const double Laplace = 1.0;

    /// <param name="bins">Numbers and dates fall into this many quantile bins: few for a cold start's handful of leads, more when thousands give each bin enough outcomes.</param>
    public static NaiveBayesModel Train(FeatureSchema schema, LeadTable table, IReadOnlyList<int> rows, int bins = 5)
    {
        var binding = schema.Bind(table.Columns);
        var labelled = rows.Where(i => table.Labels[i].HasValue).ToList();
        double wins = labelled.Count(i => table.Labels[i] == true), losses = labelled.Count - wins;
        var fields = new List<Field>();
        for (var c = 0; c < schema.Columns.Count; c++)
        {
            var col = schema.Columns[c];
            if (col.Kind == FeatureKind.Text) continue;
            var cuts = col.Kind is FeatureKind.Numeric or FeatureKind.Date ? QuantileCuts(table, binding[c], labelled, col, bins) : [];
            var counts = new Dictionary<string, (double W, double L)>();
            foreach (var i in labelled)
            {
                var key = Key(col, cuts, binding[c] >= 0 ? table.Rows[i][binding[c]] : null);
                counts.TryGetValue(key, out var e);
                counts[key] = table.Labels[i] == true ? (e.W + 1, e.L) : (e.W, e.L + 1);
            }
            var k = counts.Count + 1;
            var ratios = counts.ToDictionary(kv => kv.Key,
                kv => Math.Log((kv.Value.W + Laplace) / (wins + Laplace * k)) - Math.Log((kv.Value.L + Laplace) / (losses + Laplace * k)));
            var unseen = Math.Log(Laplace / (wins + Laplace * k)) - Math.Log(Laplace / (losses + Laplace * k));
            fields.Add(new Field(c, cuts, ratios, unseen));
        }
        return new NaiveBayesModel(Math.Log((wins + 1) / (losses + 1)), fields);
    }

    public double Score(FeatureSchema schema, string?[] row, int[] binding)
    {
        var z = PriorLogOdds;
        foreach (var f in Fields)
        {
            var col = schema.Columns[f.Column];
            var key = Key(col, f.Cuts, binding[f.Column] >= 0 ? row[binding[f.Column]] : null);
            z += f.LogRatio.TryGetValue(key, out var r) ? r : f.UnseenLogRatio;
        }
        return z;
    }

    private static double[] QuantileCuts(LeadTable table, int source, List<int> rows, FeatureColumn col, int bins)
    {
        var slots = new float[col.Width];
        var values = new List<float>();
        foreach (var i in rows)
        {
            FeatureSchema.Encode(col, FeatureSchema.Clean(source >= 0 ? table.Rows[i][source] : null), slots);
            if (!float.IsNaN(slots[0])) values.Add(slots[0]);
        }
        if (values.Count == 0) return [];
        values.Sort();
        return Enumerable.Range(1, bins - 1).Select(q => (double)values[(int)((long)q * values.Count / bins)]).Distinct().ToArray();
    }

    private static string Key(FeatureColumn col, double[] cuts, string? raw)
    {
        var value = FeatureSchema.Clean(raw);
        if (value is null) return "(missing)";
        switch (col.Kind)
        {
            case FeatureKind.Numeric:
            case FeatureKind.Date:
                var slots = new float[col.Width];
                FeatureSchema.Encode(col, value, slots);
                if (float.IsNaN(slots[0])) return "(missing)";
                // A cut is the lowest value of its bin. Numbers often pile up on one value (pdays 999, previous 0, a
                // monthly rate); the pile then opens its own bin instead of swallowing the few values just below it.
                var bin = 0;
                while (bin < cuts.Length && slots[0] >= cuts[bin]) bin++;
                return "bin" + bin;
            case FeatureKind.EmailDomain:
                return EmailDomains.Classify(value).ToString();
            case FeatureKind.JobTitle:
                return JobTitles.Read(value).Seniority.ToString(System.Globalization.CultureInfo.InvariantCulture);
            case FeatureKind.Category:
                return col.Levels.FirstOrDefault(l => string.Equals(l, value, StringComparison.OrdinalIgnoreCase)) ?? "(other)";
            default:
                return value.ToLowerInvariant();
        }
    }
}
