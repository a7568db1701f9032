using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GrowthBrain.Integrations.Pipedrive;

/// <summary>Pipedrive's JSON values as the invariant text the sync contract wants.</summary>
public static class PipedriveValues
{
    /// <summary>A string, number or boolean as text; null for empty strings, null and anything else.</summary>
    public static string? Scalar(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>() is { Length: > 0 } s ? s : null,
        JsonValueKind.Number => value.ToJsonString(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    /// <summary>
    /// Any value as text: e-mail and phone lists ([{value, primary}]) by their primary entry, objects with a value or
    /// name (monetary, address, user) by it, other arrays comma-joined.
    /// </summary>
    public static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v => Scalar(v),
        JsonArray a when a.OfType<JsonObject>().Any(e => e.ContainsKey("value")) =>
            Text((a.OfType<JsonObject>().FirstOrDefault(e => e["primary"] is JsonValue p && p.GetValueKind() == JsonValueKind.True)
                  ?? a.OfType<JsonObject>().First())["value"]),
        JsonArray a => a.Select(Text).OfType<string>().ToList() is { Count: > 0 } parts ? string.Join(", ", parts) : null,
        JsonObject o when o.ContainsKey("formatted_address") => Text(o["formatted_address"]),
        JsonObject o when o.ContainsKey("value") => Text(o["value"]),
        JsonObject o when o.ContainsKey("name") => Text(o["name"]),
        _ => node.ToJsonString(),
    };

    /// <summary>An id as Pipedrive gives it (a number, or an object with value/id in v1) as a long.</summary>
    public static long? Id(JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var n) => n,
        JsonValue v when v.GetValueKind() == JsonValueKind.String && long.TryParse(v.GetValue<string>(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) => s,
        JsonObject o => Id(o["value"]) ?? Id(o["id"]),
        _ => null,
    };

    /// <summary>A v2 RFC 3339 timestamp or a v1 "yyyy-MM-dd HH:mm:ss" (UTC) as a UTC instant.</summary>
    public static DateTime? Time(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String
        && DateTimeOffset.TryParse(v.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t.UtcDateTime : null;

    /// <summary>How Pipedrive wants an instant in updated_since: RFC 3339 in UTC.</summary>
    public static string Rfc3339(DateTime at) =>
        DateTime.SpecifyKind(at, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
