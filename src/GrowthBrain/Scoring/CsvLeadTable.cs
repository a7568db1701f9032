using GrowthBrain.Leads.Import;

namespace GrowthBrain.Scoring;

/// <summary>Reads a flat CSV export (one row per lead, a label column) into a <see cref="LeadTable"/>.</summary>
public static class CsvLeadTable
{
    public sealed record Loaded(LeadTable Table, bool HasLabel, IReadOnlyList<string> Warnings);

    /// <param name="labelRequired">Training files must have the label; test files may not.</param>
    public static Loaded Read(string path, string label, string id, bool labelRequired, string role)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"The {role} file '{path}' does not exist.", path);
        using var stream = File.OpenRead(path);
        using var csv = new CsvRecordReader(stream);
        var header = csv.ReadHeader() ?? throw new InvalidDataException($"The {role} file '{path}' is empty; expected a header line and rows.");
        var labelIndex = IndexOf(header, label);
        var idIndex = IndexOf(header, id);
        if (labelIndex < 0 && labelRequired)
        {
            throw new InvalidDataException(
                $"The {role} file has no '{label}' column to learn from; name the label column with --label. Columns: {string.Join(", ", header.Take(30))}.");
        }
        var warnings = new List<string>();
        if (idIndex < 0) warnings.Add($"The {role} file has no '{id}' column; rows are identified by their row number (--id names another column).");

        var featureColumns = Enumerable.Range(0, header.Count).Where(c => c != labelIndex && c != idIndex).ToArray();
        var table = new LeadTable(featureColumns.Select(c => header[c]).ToList());
        int badRows = 0, badLabels = 0;
        var ids = new HashSet<string>(StringComparer.Ordinal);
        while (csv.TryRead(out var record))
        {
            if (record.Error is not null || record.Fields.Count != header.Count)
            {
                if (!labelRequired)
                {
                    throw new InvalidDataException($"Row {record.RowNumber} (line {record.LineNumber}) of the {role} file has {record.Fields.Count} fields but the header has {header.Count}; every test row needs a score, so fix that row.");
                }
                badRows++;
                continue;
            }
            bool? y = null;
            if (labelIndex >= 0)
            {
                var raw = FeatureSchema.Clean(record.Fields[labelIndex]);
                if (raw is not null)
                {
                    y = raw.Trim().ToLowerInvariant() switch
                    {
                        "not converted" or "not_converted" or "notconverted" => false,
                        _ => FeatureSchema.Truthy(raw),
                    };
                    if (y is null)
                    {
                        if (labelRequired && badLabels < 1)
                        {
                            throw new InvalidDataException(
                                $"Row {record.RowNumber} of the {role} file has '{raw}' in '{label}'; use 0/1, yes/no, true/false, won/lost or converted/not converted.");
                        }
                        badLabels++;
                    }
                }
            }
            var rowId = idIndex >= 0 ? record.Fields[idIndex] : record.RowNumber.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!ids.Add(rowId)) warnings.Add($"Id '{rowId}' appears more than once in the {role} file.");
            table.Add(rowId, featureColumns.Select(c => record.Fields[c]).ToArray(), y);
        }
        if (badRows > 0) warnings.Add($"{badRows} rows of the {role} file had the wrong number of fields and were skipped.");
        if (badLabels > 0) warnings.Add($"{badLabels} rows of the {role} file have a label that is not 0/1, yes/no or won/lost; they are scored but not evaluated.");
        if (table.Count == 0) throw new InvalidDataException($"The {role} file '{path}' has a header but no rows.");
        return new Loaded(table, labelIndex >= 0, warnings.Distinct().Take(20).ToList());
    }

    private static int IndexOf(IReadOnlyList<string> header, string name)
    {
        for (var i = 0; i < header.Count; i++)
        {
            if (string.Equals(header[i].Trim(), name, StringComparison.OrdinalIgnoreCase)) return i;
        }
        return -1;
    }
}
