namespace GrowthBrain.Scoring;

/// <summary>
/// Leads as a flat table of text cells, oldest first: what the scorer learns from and scores. Built
/// from a CSV export (backtest) or from the database (leads, custom fields and activity aggregates),
/// so the model never depends on one CRM's columns.
/// </summary>
public sealed class LeadTable
{
    private readonly Dictionary<string, int> _index;

    public LeadTable(IReadOnlyList<string> columns)
    {
        Columns = columns;
        _index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < columns.Count; i++) _index.TryAdd(columns[i], i);
    }

    public IReadOnlyList<string> Columns { get; }
    public List<string?[]> Rows { get; } = [];

    /// <summary>True won, false lost, null still open (or unknown in a test file).</summary>
    public List<bool?> Labels { get; } = [];

    public List<string> Ids { get; } = [];
    public int Count => Rows.Count;

    public int IndexOf(string column) => _index.TryGetValue(column, out var i) ? i : -1;

    public void Add(string id, string?[] values, bool? label)
    {
        if (values.Length != Columns.Count)
            throw new ArgumentException($"Row '{id}' has {values.Length} values for {Columns.Count} columns.");
        Ids.Add(id);
        Rows.Add(values);
        Labels.Add(label);
    }

    public IEnumerable<int> Labelled() => Enumerable.Range(0, Count).Where(i => Labels[i].HasValue);
}
