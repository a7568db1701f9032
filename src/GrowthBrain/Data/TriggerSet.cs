using System.Data.Common;

namespace GrowthBrain.Data;

/// <summary>
/// A versioned set of triggers (and the functions they call) that EF's model cannot describe, installed and upgraded
/// by <see cref="DatabaseObjects"/>. Every object is named <c>{Prefix}_v{Version}_…</c>, so the version a database
/// holds is recorded in its own catalogue, and a missing trigger (a SQLite table rebuild, a first load that stopped
/// half way) shows as plainly as an old version.
/// </summary>
/// <param name="Prefix">The start of every object's name; objects with this prefix and another version are replaced.</param>
/// <param name="Version">Bumped whenever the SQL changes (a test compares the SQL's hash per version), so migrate replaces the set.</param>
/// <param name="Tables">The tables the triggers are on, held against writers while the set is (re)installed.</param>
/// <param name="Statements">The statements that create the set on a provider, in order (functions before their triggers).</param>
/// <param name="Rebuild">Recomputes, in the installing transaction, whatever the triggers keep, since writes may have gone by without them.</param>
public sealed record TriggerSet(
    string Prefix,
    int Version,
    IReadOnlyList<string> Tables,
    Func<DatabaseProvider, IReadOnlyList<string>> Statements,
    Func<GrowthBrainDb, DbTransaction, CancellationToken, Task> Rebuild)
{
    public string Tag => $"{Prefix}_v{Version}";
}
