using System.Globalization;
using System.Text.Json;

namespace GrowthBrain.Integrations.Salesforce;

/// <summary>Turns a query's records[] into <see cref="CrmRecord"/>s: every value as invariant text, as the contract wants it.</summary>
public static class SalesforceRecordReader
{
    public const string ModifiedField = "LastModifiedDate";

    public static IReadOnlyList<CrmRecord> Read(SalesforceAnswer answer, JsonElement records, string sobject, IReadOnlyList<string> properties,
        IReadOnlySet<string> datetimeFields)
    {
        var list = new List<CrmRecord>(records.GetArrayLength());
        foreach (var item in records.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object) throw answer.Malformed("a records[] entry is not an object");
            var id = SalesforceDescribe.Text(item, "Id") ?? throw answer.Malformed("a record has no Id");
            if (ParseDateTime(SalesforceDescribe.Text(item, ModifiedField)) is not { } modified)
                throw answer.Malformed($"record {id} has no readable {ModifiedField}");
            var values = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var name in properties)
            {
                var value = Text(Find(item, name));
                values[name] = value is not null && datetimeFields.Contains(name) && ParseDateTime(value) is { } at ? Iso(at) : value;
            }
            values[ModifiedField] = Iso(modified);
            list.Add(new CrmRecord(sobject, id, modified.UtcDateTime, values));
        }
        return list;
    }

    /// <summary>A field, or a relationship's field (Owner.Name) by walking the nested objects; case as Salesforce spells it, matched ignoring case.</summary>
    private static JsonElement Find(JsonElement record, string path)
    {
        var current = record;
        foreach (var part in path.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object) return default;
            var found = current.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, part, StringComparison.OrdinalIgnoreCase));
            if (found.Value.ValueKind == JsonValueKind.Undefined) return default;
            current = found.Value;
        }
        return current;
    }

    /// <summary>
    /// A value as text: a related record by its Name, a compound value (an address) as its parts joined, numbers and
    /// booleans in invariant form, empty as null.
    /// </summary>
    public static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() is { Length: > 0 } s ? s : null,
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Object => value.TryGetProperty("Name", out var n) ? Text(n)
            : value.EnumerateObject().Where(p => p.Name != "attributes" && p.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                .Select(p => Text(p.Value)).OfType<string>().ToList() is { Count: > 0 } parts ? string.Join(", ", parts) : null,
        _ => null,
    };

    /// <summary>Salesforce writes date-times as 2026-01-05T08:00:00.000+0000, an offset without a colon that .NET does not read by itself.</summary>
    public static DateTimeOffset? ParseDateTime(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        if (text.Length > 5 && text[^5] is '+' or '-' && text[^4..].All(char.IsAsciiDigit)) text = $"{text[..^2]}:{text[^2..]}";
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
    }

    public static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
