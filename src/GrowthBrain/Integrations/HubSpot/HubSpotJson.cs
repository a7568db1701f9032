using System.Globalization;
using System.Text.Json.Nodes;

namespace GrowthBrain.Integrations.HubSpot;

/// <summary>Reads HubSpot's answers defensively: a shape that differs from the reference is a clear CrmException, never a null reference.</summary>
internal static class HubSpotJson
{
    public static JsonArray Array(JsonObject body, string name, string what, bool required = true) => body[name] switch
    {
        JsonArray a => a,
        null when !required => [],
        _ => throw Malformed(what, $"no '{name}' list"),
    };

    public static JsonObject Object(JsonNode? node, string what, string name) =>
        node as JsonObject ?? throw Malformed(what, $"an item of '{name}' that is not an object");

    /// <summary>A string, or a number written as text (HubSpot writes ids both ways in different places).</summary>
    public static string? Text(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<long>(out var l) => l.ToString(CultureInfo.InvariantCulture),
        JsonValue v when v.TryGetValue<double>(out var d) => d.ToString(CultureInfo.InvariantCulture),
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
        _ => null,
    };

    public static string RequiredText(JsonObject item, string name, string what) =>
        Text(item[name]) is { Length: > 0 } s ? s : throw Malformed(what, $"an item without '{name}'");

    /// <summary>HubSpot's ISO 8601 timestamps ("2024-05-02T10:11:12.345Z") as UTC.</summary>
    public static DateTime? Instant(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at.UtcDateTime
            : long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime : null;

    public static string Iso(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static long Millis(DateTime utc) => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToUnixTimeMilliseconds();

    public static CrmException Malformed(string what, string problem) =>
        new($"HubSpot answered {what} with JSON that does not have the documented shape ({problem}); nothing was changed here. " +
            "Check that Crm:HubSpot:BaseUrl is the HubSpot API (https://api.hubapi.com); if it is, sync again later.", retryable: true);
}
