using GrowthBrain.Leads.Import;

namespace GrowthBrain.Scoring;

/// <summary>
/// Decides, from the data alone, what each column is (number, category, date, e-mail, job title, free
/// text) and which columns must not be used: protected attributes, identifiers, columns that leak the
/// outcome. Every exclusion is reported with its reason.
/// </summary>
public static class FeatureInference
{
    private const int MaxLevels = 30;
    private const int MaxTokens = 40;

    /// <summary>Column kinds, levels, tokens and leak checks are settled on an evenly spread sample of this many rows.</summary>
    internal const int SampleRows = 40_000;

    public static FeatureSchema Infer(LeadTable table, IReadOnlyList<int> training, IReadOnlyList<string> protectedAttributes,
        IReadOnlySet<string>? skip = null, IReadOnlyDictionary<string, string>? templates = null, IReadOnlySet<string>? neverProtected = null)
    {
        var schema = new FeatureSchema();
        // Big tables: an evenly spread sample (still oldest first) decides as well as every row, many times faster.
        if (training.Count > SampleRows)
        {
            var step = training.Count / (double)SampleRows;
            var sample = new int[SampleRows];
            for (var k = 0; k < SampleRows; k++) sample[k] = training[(int)(k * step)];
            training = sample;
        }
        for (var c = 0; c < table.Columns.Count; c++)
        {
            var name = table.Columns[c].Trim();
            if (skip is not null && skip.Contains(name)) continue;
            // GrowthBrain's own computed columns ("Lead age in days") describe the lead's history, not a person.
            if (neverProtected?.Contains(name) != true && ProtectedAttributes.IsProtected(name, protectedAttributes))
            {
                schema.Excluded.Add(new ExcludedColumn(name, "protected attribute: never used for scoring"));
                continue;
            }
            var column = InferColumn(table, c, name, training, schema);
            if (column is null) continue;
            if (templates is not null && templates.TryGetValue(name, out var template)) column = column with { Template = template };
            schema.Columns.Add(column);
        }
        schema.Layout();
        DropLeaks(table, training, schema);
        schema.Layout();
        if (schema.Columns.Count == 0)
        {
            schema.Warnings.Add("No usable column is left after the exclusions; add columns describing the leads (source, industry, company size, activity).");
        }
        return schema;
    }

    private static FeatureColumn? InferColumn(LeadTable table, int c, string name, IReadOnlyList<int> training, FeatureSchema schema)
    {
        var values = new List<string>(training.Count);
        foreach (var i in training)
        {
            if (FeatureSchema.Clean(table.Rows[i][c]) is { } v) values.Add(v);
        }
        if (values.Count == 0)
        {
            schema.Excluded.Add(new ExcludedColumn(name, "empty in every training row"));
            return null;
        }
        var counts = values.GroupBy(v => v, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Count(), StringComparer.OrdinalIgnoreCase);
        if (counts.Count == 1 && values.Count == training.Count)
        {
            schema.Excluded.Add(new ExcludedColumn(name, $"the same value ('{values[0]}') in every row"));
            return null;
        }
        var missingRate = 1 - values.Count / (double)training.Count;
        var hasMissing = missingRate > 0.01;
        var typical = counts.MaxBy(kv => kv.Value).Key;
        var folded = LeadHeaderRecognizer.Fold(name);
        var uniqueRatio = counts.Count / (double)values.Count;

        if (folded.Contains("email") || values.Take(200).Count(v => v.Contains('@')) > 0.9 * Math.Min(200, values.Count))
        {
            return new FeatureColumn { Name = name, Kind = FeatureKind.EmailDomain, HasMissingSlot = hasMissing, Typical = null };
        }
        if (folded is "jobtitle" or "title" or "designation" or "position" or "role" or "persontitle")
        {
            return new FeatureColumn { Name = name, Kind = FeatureKind.JobTitle, Typical = typical };
        }
        if (counts.Keys.All(k => FeatureSchema.Truthy(k) is not null))
        {
            return new FeatureColumn { Name = name, Kind = FeatureKind.Boolean, HasMissingSlot = hasMissing, Typical = typical };
        }
        var numeric = values.Count(v => FeatureSchema.TryNumber(v, out _));
        if (numeric >= 0.95 * values.Count)
        {
            if ((folded == "id" || folded.EndsWith("id", StringComparison.Ordinal)) && uniqueRatio > 0.9)
            {
                schema.Excluded.Add(new ExcludedColumn(name, "identifier-like: almost one value per row"));
                return null;
            }
            if (numeric < values.Count)
                schema.Warnings.Add($"'{name}': {values.Count - numeric} values are not numbers and are treated as missing.");
            var median = values.Select(v => FeatureSchema.TryNumber(v, out var n) ? n : double.NaN).Where(double.IsFinite).Order().ElementAt(numeric / 2);
            return new FeatureColumn
            {
                Name = name, Kind = FeatureKind.Numeric, HasMissingSlot = hasMissing,
                Typical = median.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
        }
        if (values.Take(500).Count(v => CellParsers.TryParseDate(v, null, out _)) >= 0.95 * Math.Min(500, values.Count))
        {
            return new FeatureColumn { Name = name, Kind = FeatureKind.Date, Typical = null };
        }
        var averageLength = values.Average(v => v.Length);
        if (averageLength >= 25 && uniqueRatio > 0.3)
        {
            var tokens = SelectTokens(table, c, training);
            if (tokens.Length == 0)
            {
                schema.Excluded.Add(new ExcludedColumn(name, "free text with no word common enough to learn from"));
                return null;
            }
            return new FeatureColumn { Name = name, Kind = FeatureKind.Text, Levels = tokens };
        }
        if (uniqueRatio > 0.9 && counts.Count > 50)
        {
            schema.Excluded.Add(new ExcludedColumn(name, "identifier-like: almost one value per row"));
            return null;
        }
        // Rare values are grouped: a level needs enough rows for its effect to be more than noise.
        var minCount = Math.Max(5, (int)(0.002 * training.Count));
        var levels = counts.Where(kv => kv.Value >= minCount).OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Take(MaxLevels).Select(kv => kv.Key).ToArray();
        if (levels.Length == 0)
        {
            schema.Excluded.Add(new ExcludedColumn(name, "every value is too rare to learn from"));
            return null;
        }
        return new FeatureColumn { Name = name, Kind = FeatureKind.Category, Levels = levels, HasMissingSlot = hasMissing, Typical = typical };
    }

    private static string[] SelectTokens(LeadTable table, int c, IReadOnlyList<int> training)
    {
        var df = new Dictionary<string, (int Docs, int Wins)>(StringComparer.Ordinal);
        var docs = 0;
        foreach (var i in training)
        {
            if (FeatureSchema.Clean(table.Rows[i][c]) is not { } text) continue;
            docs++;
            var won = table.Labels[i] == true;
            foreach (var t in TextTokens.Of(text))
            {
                df.TryGetValue(t, out var e);
                df[t] = (e.Docs + 1, e.Wins + (won ? 1 : 0));
            }
        }
        if (docs == 0) return [];
        var labelled = training.Count(i => table.Labels[i].HasValue);
        var baseRate = (training.Count(i => table.Labels[i] == true) + 1.0) / (labelled + 2.0);
        var min = Math.Max(10, (int)(0.01 * docs));
        // Words that are neither rare nor everywhere, ranked by how far their win rate is from the average.
        return df.Where(kv => kv.Value.Docs >= min && kv.Value.Docs <= 0.5 * docs)
            .OrderByDescending(kv => Math.Abs(Math.Log((kv.Value.Wins + baseRate) / (kv.Value.Docs + 1.0) / baseRate)))
            .ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Take(MaxTokens).Select(kv => kv.Key).ToArray();
    }

    /// <summary>
    /// A column that alone predicts the outcome almost perfectly, or that is filled only once a lead has
    /// closed (a close date, a "customer since" date), tells the model the answer; such a model looks
    /// brilliant in testing and is useless on open leads.
    /// </summary>
    private static void DropLeaks(LeadTable table, IReadOnlyList<int> training, FeatureSchema schema)
    {
        var labelled = training.Where(i => table.Labels[i].HasValue).ToList();
        var open = training.Where(i => !table.Labels[i].HasValue).ToList();
        if (labelled.Count < 50) return;
        var binding = schema.Bind(table.Columns);
        var y = labelled.Select(i => table.Labels[i]!.Value).ToList();
        foreach (var (col, c) in schema.Columns.Select((col, c) => (col, c)).ToList())
        {
            var source = binding[c];
            if (open.Count >= 30)
            {
                var filledClosed = labelled.Count(i => FeatureSchema.Clean(table.Rows[i][source]) is not null) / (double)labelled.Count;
                var filledOpen = open.Count(i => FeatureSchema.Clean(table.Rows[i][source]) is not null) / (double)open.Count;
                if (filledClosed >= 0.5 && filledOpen <= 0.05)
                {
                    Exclude(col, $"leaks the outcome: filled for {filledClosed:P0} of closed leads but {filledOpen:P0} of open ones");
                    continue;
                }
            }
            var auc = SingleColumnAuc(table, col, source, labelled, y);
            if (auc >= 0.98)
            {
                Exclude(col, $"leaks the outcome: alone it predicts won/lost with ROC-AUC {auc:0.000}");
            }
        }

        void Exclude(FeatureColumn col, string reason)
        {
            schema.Columns.Remove(col);
            schema.Excluded.Add(new ExcludedColumn(col.Name, reason));
        }
    }

    private static double SingleColumnAuc(LeadTable table, FeatureColumn col, int source, List<int> labelled, List<bool> y)
    {
        var slots = new float[col.Width];
        if (col.Kind is FeatureKind.Numeric or FeatureKind.Date)
        {
            // Ordered values: the column's own order is the score (missing ranks lowest).
            var scores = labelled.Select(i =>
            {
                FeatureSchema.Encode(col, FeatureSchema.Clean(table.Rows[i][source]), slots);
                return float.IsNaN(slots[0]) ? double.MinValue : slots[0];
            }).ToList();
            var ordered = Metrics.RocAuc(scores, y);
            return double.IsNaN(ordered) ? 0.5 : Math.Max(ordered, 1 - ordered);
        }
        var keys = new List<string>(labelled.Count);
        foreach (var i in labelled)
        {
            FeatureSchema.Encode(col, FeatureSchema.Clean(table.Rows[i][source]), slots);
            keys.Add(string.Join('|', slots.Select(s => float.IsNaN(s) ? "nan" : s.ToString("R", System.Globalization.CultureInfo.InvariantCulture))));
        }
        // Each distinct encoded value scored by its own win rate: the best any model could do with this column alone.
        var rate = keys.Select((k, j) => (k, y[j])).GroupBy(t => t.k)
            .ToDictionary(g => g.Key, g => (g.Count(t => t.Item2) + 0.5) / (g.Count() + 1.0));
        var distinct = rate.Count;
        if (distinct > labelled.Count / 3) return 0.5; // near-unique values: the per-value rate would only memorise
        var auc = Metrics.RocAuc(keys.Select(k => rate[k]).ToList(), y);
        return double.IsNaN(auc) ? 0.5 : Math.Max(auc, 1 - auc);
    }
}
