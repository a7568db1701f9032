using System.Text.Json;

namespace GrowthBrain.Integrations.Salesforce;

/// <summary>One field of an object as describe says it.</summary>
/// <param name="Type">string, picklist, boolean, datetime, double, reference, ... as Salesforce names it.</param>
/// <param name="Length">A text field's maximum length; 0 for other types.</param>
/// <param name="Updateable">Whether the connected user may write it (field-level security included).</param>
/// <param name="RelationshipName">A reference field's relationship (OwnerId: Owner), for Owner.Name; null otherwise.</param>
public sealed record SalesforceField(string Name, string Label, string Type, IReadOnlyList<string> Options, int Length, bool Updateable,
    string? RelationshipName);

/// <summary>
/// The describe resource (/sobjects/{Object}/describe): which fields an object has and which the connected user sees.
/// Read once per connector (one sync), as fields change rarely and describe costs an API request each time.
/// </summary>
public sealed class SalesforceDescribe(SalesforceApiClient api)
{
    /// <summary>The fields GrowthBrain writes: label, field type as an admin creates it in Setup.</summary>
    public static readonly IReadOnlyList<(string Name, string Label, string Type)> ScoreFields =
    [
        ("GrowthBrain_Score__c", "GrowthBrain Score", "Number(3, 0)"),
        ("GrowthBrain_Grade__c", "GrowthBrain Grade", "Text(10)"),
        ("GrowthBrain_Reasons__c", "GrowthBrain Reasons", "Long Text Area(2000)"),
    ];

    private readonly Dictionary<string, IReadOnlyList<SalesforceField>> _cache = new(StringComparer.OrdinalIgnoreCase);

    public async Task<IReadOnlyList<SalesforceField>> FieldsAsync(SalesforceOptions o, string sobject, CancellationToken ct)
    {
        if (_cache.TryGetValue(sobject, out var known)) return known;
        var answer = SalesforceApiClient.Ok(await api.SendAsync(o, HttpMethod.Get, $"{SalesforceApiClient.Data(o)}/sobjects/{Uri.EscapeDataString(sobject)}/describe", null, ct));
        var body = answer.Require(JsonValueKind.Object);
        if (!body.TryGetProperty("fields", out var fields) || fields.ValueKind != JsonValueKind.Array) throw answer.Malformed("no fields[] array");
        var list = new List<SalesforceField>();
        foreach (var f in fields.EnumerateArray())
        {
            var name = Text(f, "name") ?? throw answer.Malformed("a field has no name");
            var options = f.TryGetProperty("picklistValues", out var p) && p.ValueKind == JsonValueKind.Array
                ? p.EnumerateArray().Where(v => !(v.TryGetProperty("active", out var a) && a.ValueKind == JsonValueKind.False))
                    .Select(v => Text(v, "value")).OfType<string>().ToList()
                : [];
            list.Add(new SalesforceField(name, Text(f, "label") ?? name, Text(f, "type") ?? "string", options,
                f.TryGetProperty("length", out var l) && l.TryGetInt32(out var length) ? length : 0,
                f.TryGetProperty("updateable", out var u) && u.ValueKind == JsonValueKind.True, Text(f, "relationshipName")));
        }
        _cache[sobject] = list;
        return list;
    }

    /// <summary>Forgets what describe said, after an admin may have added fields.</summary>
    public void Forget() => _cache.Clear();

    /// <summary>What an admin must do on <paramref name="sobject"/> so GrowthBrain can write its scores: one instruction per field missing or read-only.</summary>
    public static IReadOnlyList<string> Missing(string sobject, IReadOnlyList<SalesforceField> fields)
    {
        var todo = new List<string>();
        foreach (var (name, label, type) in ScoreFields)
        {
            var field = fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
            if (field is null)
                todo.Add($"In Salesforce Setup → Object Manager → {sobject} → Fields & Relationships → New: {type} '{label}' (API name {name}), " +
                         "visible and editable for the user GrowthBrain connects as (the REST API cannot create fields).");
            else if (!field.Updateable)
                todo.Add($"In Salesforce Setup → Object Manager → {sobject} → Fields & Relationships → {label} ({name}) → Set Field-Level Security: " +
                         "make it visible and editable (not read-only) for the profile of the user GrowthBrain connects as.");
        }
        return todo;
    }

    internal static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : null;
}
