using System.Security.Cryptography;
using System.Text;
using GrowthBrain.Data;

namespace GrowthBrain.Tests.Data;

/// <summary>
/// Migrate replaces a trigger set only when its version differs from the one installed, so SQL changed under the same
/// version would never reach a database that already has the set. Every version's SQL is recorded here by hash.
/// </summary>
public sealed class TriggerVersionTests
{
    // (set prefix, version, provider) → SHA-256 of the set's statements as installed. Keep old rows: they are the record.
    private static readonly Dictionary<(string Prefix, int Version, DatabaseProvider Provider), string> Recorded = new()
    {
        [("gb_lead_stats", 3, DatabaseProvider.Sqlite)] = "ddf3edd4133213f356b81e2aaa987c40927937a29e4121e298dfc5f316efc240",
        [("gb_lead_stats", 3, DatabaseProvider.Postgres)] = "00470b570e06d2d40dd021b9a0e92690fc9eddb9c185f077470509123fa6fba5",
    };

    public static TheoryData<string, DatabaseProvider> Sets() =>
        new(DatabaseObjects.TriggerSets.SelectMany(s => new[] { DatabaseProvider.Sqlite, DatabaseProvider.Postgres }.Select(p => (s.Prefix, p))));

    [Theory]
    [MemberData(nameof(Sets))]
    public void A_trigger_set_changes_only_with_its_version(string prefix, DatabaseProvider provider)
    {
        var set = DatabaseObjects.TriggerSets.Single(s => s.Prefix == prefix);
        // Line ends normalised: a checkout with CRLF puts them into the raw string literals without changing the SQL's meaning.
        var sql = string.Join("\n;\n", set.Statements(provider)).Replace("\r\n", "\n", StringComparison.Ordinal);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql)));

        Recorded.TryGetValue((prefix, set.Version, provider), out var recorded).ShouldBeTrue(
            $"{prefix} version {set.Version} has no recorded hash on {provider}: add [(\"{prefix}\", {set.Version}, DatabaseProvider.{provider})] = \"{hash}\" to {nameof(Recorded)}.");
        hash.ShouldBe(recorded,
            $"trigger SQL changed: bump the version of {prefix} (LeadStatsTriggers.Version for the lead stats) and record the new hash " +
            $"[(\"{prefix}\", <new version>, DatabaseProvider.{provider})] = \"{hash}\" in {nameof(Recorded)}.");
    }
}
