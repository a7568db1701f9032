namespace GrowthBrain.Web.Components.Shared;

/// <summary>
/// Which column a table is sorted by. Clicking the sorted column flips the direction; a new column starts
/// descending, because "most leads, highest rate first" is what a manager looks for.
/// </summary>
public sealed class TableSort(string key, bool descending = true)
{
    public string Key { get; private set; } = key;
    public bool Descending { get; private set; } = descending;

    public void Toggle(string key)
    {
        Descending = key == Key ? !Descending : true;
        Key = key;
    }

    /// <summary>Rows ordered by the column's value; rows without a value (null) always go last.</summary>
    public IEnumerable<T> Apply<T>(IEnumerable<T> rows, IReadOnlyDictionary<string, Func<T, IComparable?>> columns)
    {
        if (!columns.TryGetValue(Key, out var value)) return rows;
        var withValue = rows.Where(r => value(r) is not null);
        var ordered = Descending ? withValue.OrderByDescending(value) : withValue.OrderBy(value);
        return ordered.Concat(rows.Where(r => value(r) is null));
    }
}
