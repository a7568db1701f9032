using System.Globalization;
using System.Text.Json;

namespace GrowthBrain.Integrations.Zoho;

/// <summary>Turns Get Records' data[] into <see cref="CrmRecord"/>s: every value as text, as the contract wants it.</summary>
public static class ZohoRecordReader
{
    public const string ModifiedTime = "Modified_Time";

    public static IReadOnlyList<CrmRecord> Read(ZohoAnswer answer, string module, IReadOnlyList<string> properties)
    {
        var body = answer.RequireObject();
        if (!body.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
            throw answer.Malformed("no data[] array");
        var records = new List<CrmRecord>(data.GetArrayLength());
        foreach (var item in data.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object) throw answer.Malformed("a data[] entry is not an object");
            var id = Text(item.TryGetProperty("id", out var i) ? i : default) ?? throw answer.Malformed("a record has no id");
            if (!item.TryGetProperty(ModifiedTime, out var m) || m.ValueKind != JsonValueKind.String
                || !DateTimeOffset.TryParse(m.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var modified))
                throw answer.Malformed($"record {id} has no readable Modified_Time");
            var values = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var name in properties) values[name] = item.TryGetProperty(name, out var v) ? Text(v) : null;
            values[ModifiedTime] = m.GetString();
            records.Add(new CrmRecord(module, id, modified.UtcDateTime, values));
        }
        return records;
    }

    /// <summary>
    /// A field's value as text: lookups and owners ({name, id}) by their name, multi-select lists comma-joined,
    /// numbers and booleans in invariant form, empty as null.
    /// </summary>
    public static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() is { Length: > 0 } s ? s : null,
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Object => value.TryGetProperty("name", out var n) ? Text(n)
            : value.TryGetProperty("id", out var id) ? Text(id) : value.GetRawText(),
        JsonValueKind.Array => value.EnumerateArray().Select(Text).Where(t => t is not null).ToList() is { Count: > 0 } parts
            ? string.Join(", ", parts) : null,
        _ => null,
    };
}
