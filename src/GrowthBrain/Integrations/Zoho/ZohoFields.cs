using System.Text.Json;

namespace GrowthBrain.Integrations.Zoho;

/// <summary>One field of a module as the fields metadata API describes it.</summary>
public sealed record ZohoField(string ApiName, string Label, string DataType, IReadOnlyList<string> Options);

/// <summary>
/// The fields metadata API (/crm/v8/settings/fields): what a module has, and the three score fields GrowthBrain
/// adds. Zoho derives a custom field's API name from its label and may suffix it when the name is taken, so the
/// fields are found by API name or by label, and written under the API name Zoho gave.
/// </summary>
public sealed class ZohoFields(ZohoApiClient api)
{
    public const string Scope = "ZohoCRM.settings.fields.ALL";

    /// <summary>The fields GrowthBrain writes: the label it creates them with and their Zoho data type.</summary>
    public static readonly IReadOnlyList<(string ApiName, string Label, string DataType)> ScoreFields =
    [
        ("GrowthBrain_Score", "GrowthBrain Score", "integer"),
        ("GrowthBrain_Grade", "GrowthBrain Grade", "text"),
        ("GrowthBrain_Reasons", "GrowthBrain Reasons", "textarea"),
    ];

    public async Task<IReadOnlyList<ZohoField>> ListAsync(ZohoOptions o, string module, CancellationToken ct)
    {
        var answer = ZohoApiClient.Ok(await api.SendAsync(o, HttpMethod.Get, $"/crm/v8/settings/fields?module={Uri.EscapeDataString(module)}", null, 0, ct), Scope);
        var body = answer.RequireObject();
        if (!body.TryGetProperty("fields", out var fields) || fields.ValueKind != JsonValueKind.Array) throw answer.Malformed("no fields[] array");
        var list = new List<ZohoField>();
        foreach (var f in fields.EnumerateArray())
        {
            var apiName = f.TryGetProperty("api_name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            if (string.IsNullOrEmpty(apiName)) throw answer.Malformed("a field has no api_name");
            var label = f.TryGetProperty("field_label", out var l) && l.ValueKind == JsonValueKind.String ? l.GetString()!
                : f.TryGetProperty("display_label", out var dl) && dl.ValueKind == JsonValueKind.String ? dl.GetString()! : apiName;
            var type = f.TryGetProperty("data_type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "text";
            var options = f.TryGetProperty("pick_list_values", out var p) && p.ValueKind == JsonValueKind.Array
                ? p.EnumerateArray().Select(v => v.TryGetProperty("actual_value", out var a) ? ZohoRecordReader.Text(a) : null)
                    .OfType<string>().ToList()
                : [];
            list.Add(new ZohoField(apiName, label, type, options));
        }
        return list;
    }

    /// <summary>The API names Zoho gave the score fields in <paramref name="module"/>; a field not there is missing from the map.</summary>
    public static Dictionary<string, string> Resolve(IReadOnlyList<ZohoField> fields) =>
        ScoreFields.Select(s => (s.ApiName, Found: fields.FirstOrDefault(f => string.Equals(f.ApiName, s.ApiName, StringComparison.OrdinalIgnoreCase))
                                                   ?? fields.FirstOrDefault(f => string.Equals(f.Label, s.Label, StringComparison.OrdinalIgnoreCase))))
            .Where(x => x.Found is not null).ToDictionary(x => x.ApiName, x => x.Found!.ApiName);

    /// <summary>Creates the score fields missing in <paramref name="module"/>; returns what an admin must still do by hand.</summary>
    public async Task<IReadOnlyList<string>> EnsureAsync(ZohoOptions o, string module, CancellationToken ct)
    {
        var present = Resolve(await ListAsync(o, module, ct));
        var missing = ScoreFields.Where(s => !present.ContainsKey(s.ApiName)).ToList();
        if (missing.Count == 0) return [];
        var body = new
        {
            fields = missing.Select(m => m.DataType switch
            {
                "integer" => (object)new { field_label = m.Label, data_type = m.DataType, length = 3 },
                "textarea" => new { field_label = m.Label, data_type = m.DataType, textarea = new { type = "small" } },
                _ => new { field_label = m.Label, data_type = m.DataType, length = 20 },
            }).ToList(),
        };
        var answer = await api.SendAsync(o, HttpMethod.Post, $"/crm/v8/settings/fields?module={Uri.EscapeDataString(module)}", body, missing.Count, ct);
        if (!answer.IsSuccess && !(answer.Body is { ValueKind: JsonValueKind.Object } b && b.TryGetProperty("fields", out _)))
        {
            if (answer.Status is 400 or 403 && answer.Code is not null and not "OAUTH_SCOPE_MISMATCH")
                return [Manual(module, missing.Select(m => m.Label), $"{answer.Code}: {answer.Message}")];
            throw ZohoApiClient.Refused(answer, Scope);
        }
        var results = answer.RequireObject().TryGetProperty("fields", out var r) && r.ValueKind == JsonValueKind.Array
            ? r.EnumerateArray().ToList() : throw answer.Malformed("no fields[] results");
        var refused = new List<(string Label, string Why)>();
        for (var i = 0; i < missing.Count; i++)
        {
            var result = i < results.Count ? results[i] : default;
            var ok = result.ValueKind == JsonValueKind.Object && result.TryGetProperty("status", out var s) && s.GetString() == "success";
            if (!ok)
                refused.Add((missing[i].Label, result.ValueKind == JsonValueKind.Object
                    ? $"{(result.TryGetProperty("code", out var c) ? c.ToString() : "?")}: {(result.TryGetProperty("message", out var msg) ? msg.ToString() : "")}"
                    : "no result"));
        }
        return refused.Count == 0 ? [] : [Manual(module, refused.Select(x => x.Label), string.Join("; ", refused.Select(x => x.Why)))];
    }

    private static string Manual(string module, IEnumerable<string> labels, string why) =>
        $"Zoho did not let GrowthBrain create the fields {string.Join(", ", labels.Select(l => $"'{l}'"))} in {module} ({why}). " +
        $"Create them by hand in Zoho CRM (Setup → Customization → Modules and Fields → {module}): 'GrowthBrain Score' as Number, " +
        "'GrowthBrain Grade' as Single Line, 'GrowthBrain Reasons' as Multi Line; keep those labels.";
}
