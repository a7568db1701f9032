using System.Globalization;
using System.Text.Json.Nodes;

namespace GrowthBrain.Tests.Integrations.HubSpot;

/// <summary>
/// POST /crm/v3/objects/contacts/search as the reference describes it: filterGroups (OR of groups, AND of filters),
/// sorts, properties, limit (at most 200), `after` paging, and at most 10,000 results per query: an `after` at or past
/// that answers 400. Records that tie on the sort key come in no particular order (here: a hash of the id), so a
/// client cannot rely on id order it was never promised.
/// </summary>
public sealed class FakeHubSpotSearch(FakeHubSpotStore store)
{
    private (string Key, long Version, List<FakeHubSpotContact> Sorted)? _cache;
    private Dictionary<string, string> _types = [];

    public int MaxPage { get; set; } = 200;
    public int MaxTotal { get; set; } = 10_000;

    /// <summary>The <c>after</c> values asked, in order: tests check the 10,000 cap was never crossed.</summary>
    public List<int> AfterSeen { get; } = [];

    public (int Status, JsonObject Body) Search(JsonObject request)
    {
        var limit = request["limit"] is JsonValue l ? (int)Number(l) : 10;
        if (limit < 1 || limit > MaxPage) return (400, FakeHubSpotErrors.Validation($"limit must be between 1 and {MaxPage}, was {limit}"));
        var after = 0;
        if (request["after"] is JsonValue a && !int.TryParse(a.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out after))
            return (400, FakeHubSpotErrors.Validation($"after must be a number, was {a}"));
        lock (AfterSeen) AfterSeen.Add(after);
        if (after >= MaxTotal)
            return (400, FakeHubSpotErrors.Validation($"There was a problem with the request. Paging through more than {MaxTotal} results is not supported (after={after})."));

        List<FakeHubSpotContact> sorted;
        try
        {
            sorted = Sorted(request);
        }
        catch (FormatException e)
        {
            return (400, FakeHubSpotErrors.Validation(e.Message));
        }
        var requested = (request["properties"] as JsonArray)?.Select(p => p!.GetValue<string>()).ToList() ?? ["email", "firstname", "lastname"];
        var page = sorted.Skip(after).Take(Math.Min(limit, MaxTotal - after)).ToList();
        var body = new JsonObject
        {
            ["total"] = sorted.Count,
            ["results"] = new JsonArray(page.Select(c => (JsonNode)Result(c, requested)).ToArray()),
        };
        var next = after + page.Count;
        if (next < sorted.Count)
            body["paging"] = new JsonObject { ["next"] = new JsonObject { ["after"] = next.ToString(CultureInfo.InvariantCulture), ["link"] = "?after=" + next } };
        return (200, body);
    }

    /// <summary>A contact as search and batch read give it: the requested properties plus the three HubSpot always adds.</summary>
    public static JsonObject Result(FakeHubSpotContact c, IEnumerable<string> requested)
    {
        var properties = new JsonObject();
        foreach (var name in requested.Concat(["hs_object_id", "createdate", "lastmodifieddate"]).Distinct())
            properties[name] = c.Value(name);
        return new JsonObject
        {
            ["id"] = c.Id.ToString(CultureInfo.InvariantCulture), ["properties"] = properties,
            ["createdAt"] = FakeHubSpotStore.Iso(c.CreatedAt), ["updatedAt"] = FakeHubSpotStore.Iso(c.UpdatedAt), ["archived"] = false,
        };
    }

    private List<FakeHubSpotContact> Sorted(JsonObject request)
    {
        var groups = (request["filterGroups"] as JsonArray ?? []).Select(g => (g?["filters"] as JsonArray ?? []).Select(f => (
            Property: f!["propertyName"]!.GetValue<string>(), Operator: f["operator"]!.GetValue<string>(), Value: f["value"]?.ToString()))
            .ToList()).ToList();
        var sorts = (request["sorts"] as JsonArray ?? []).Select(s => (Property: s!["propertyName"]!.GetValue<string>(),
            Descending: s["direction"]?.GetValue<string>() == "DESCENDING")).ToList();
        var key = request.DeepClone().AsObject();
        key.Remove("after");
        key.Remove("limit");
        key.Remove("properties");
        var cacheKey = key.ToJsonString();
        lock (store.Gate)
        {
            if (_cache is { } cached && cached.Key == cacheKey && cached.Version == store.Version) return cached.Sorted;
            _types = store.Properties().ToDictionary(p => p["name"]!.GetValue<string>(), p => p["type"]!.GetValue<string>());
            var matches = store.AllContacts().Where(c => groups.Count == 0 || groups.Any(g => g.All(f => Matches(c, f.Property, f.Operator, f.Value))));
            IOrderedEnumerable<FakeHubSpotContact>? ordered = null;
            foreach (var (property, descending) in sorts)
            {
                Func<FakeHubSpotContact, IComparable> by = c => Comparable(property, c.Value(property));
                ordered = ordered is null
                    ? descending ? matches.OrderByDescending(by) : matches.OrderBy(by)
                    : descending ? ordered.ThenByDescending(by) : ordered.ThenBy(by);
            }
            // Ties in no promised order: a scramble of the id, stable between calls.
            var sorted = (ordered?.ThenBy(c => Scramble(c.Id)) ?? matches.OrderBy(c => c.Id)).ToList();
            _cache = (cacheKey, store.Version, sorted);
            return sorted;
        }
    }

    private bool Matches(FakeHubSpotContact c, string property, string op, string? value)
    {
        var actual = c.Value(property);
        if (op == "HAS_PROPERTY") return actual is not null;
        if (op == "NOT_HAS_PROPERTY") return actual is null;
        if (actual is null) return op == "NEQ";
        var compare = Comparable(property, actual).CompareTo(Comparable(property, value ?? throw new FormatException($"filter on {property} has no value")));
        return op switch
        {
            "EQ" => compare == 0, "NEQ" => compare != 0, "GT" => compare > 0, "GTE" => compare >= 0, "LT" => compare < 0, "LTE" => compare <= 0,
            _ => throw new FormatException($"operator {op} is not supported by this fake"),
        };
    }

    /// <summary>Datetimes compare as epoch milliseconds (filters send millis, values are ISO), numbers as numbers, the rest as text.</summary>
    private IComparable Comparable(string property, string? value)
    {
        var type = _types.GetValueOrDefault(property, "string");
        if (value is null) return type is "datetime" or "number" ? decimal.MinValue : "";
        return type switch
        {
            "datetime" when long.TryParse(value, out var ms) => (decimal)ms,
            "datetime" => (decimal)DateTimeOffset.Parse(value, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(),
            "number" => decimal.Parse(value, CultureInfo.InvariantCulture),
            _ => value.ToLowerInvariant(),
        };
    }

    private static long Scramble(long id) => (id * 2_654_435_761L) % 1_000_003;

    private static double Number(JsonValue v) => v.TryGetValue<double>(out var d) ? d : double.Parse(v.ToString(), CultureInfo.InvariantCulture);
}
