using System.Text.Json.Nodes;

namespace GrowthBrain.Integrations.HubSpot;

/// <summary>
/// The contact properties GrowthBrain writes: growthbrain_score (number), growthbrain_grade (a select of A-D, so
/// HubSpot lists and reports can filter on it) and growthbrain_reasons (multi-line text), in a "GrowthBrain" group.
/// </summary>
internal sealed class HubSpotScoreFields(HubSpotApiClient api)
{
    public const string Score = "growthbrain_score";
    public const string Grade = "growthbrain_grade";
    public const string Reasons = "growthbrain_reasons";
    public const string Group = "growthbrain";

    private static readonly string[] Grades = ["A", "B", "C", "D"];

    public async Task<IReadOnlyList<string>> EnsureAsync(HubSpotOptions credentials, CancellationToken ct)
    {
        var missing = new List<JsonObject>();
        foreach (var definition in Definitions())
        {
            var name = definition["name"]!.GetValue<string>();
            var what = $"reading the contact property {name}";
            var response = await api.SendAsync(credentials, HttpMethod.Get, $"/crm/v3/properties/contacts/{name}", null, what, ct);
            if (response.Status == 404 && response.Body is JsonObject) missing.Add(definition);
            else if (!response.Success) throw HubSpotErrors.Exception(response, what);
        }
        if (missing.Count == 0) return [];

        var group = await api.SendAsync(credentials, HttpMethod.Post, "/crm/v3/properties/contacts/groups",
            new JsonObject { ["name"] = Group, ["label"] = "GrowthBrain", ["displayOrder"] = -1 }.ToJsonString(), "creating the GrowthBrain property group", ct);
        if (group.Status == 403) return Manual(missing, group);
        // 409: the group exists already, which is what we want.
        if (!group.Success && group.Status != 409) throw HubSpotErrors.Exception(group, "creating the GrowthBrain property group");

        foreach (var definition in missing)
        {
            var what = $"creating the contact property {definition["name"]}";
            var created = await api.SendAsync(credentials, HttpMethod.Post, "/crm/v3/properties/contacts", definition.ToJsonString(), what, ct);
            if (created.Status == 403) return Manual(missing, created);
            // 409: created meanwhile by another instance.
            if (!created.Success && created.Status != 409) throw HubSpotErrors.Exception(created, what);
        }
        return [];
    }

    private static List<string> Manual(List<JsonObject> missing, HubSpotResponse refusal)
    {
        var scopes = HubSpotErrors.MissingScopes(refusal.Body) is { Count: > 0 } s ? string.Join(", ", s) : "crm.schemas.contacts.write";
        return missing.Select(d =>
                $"HubSpot did not let GrowthBrain create the contact property {d["name"]} ({HubSpotErrors.Said(refusal)}). Either add the {scopes} scope " +
                $"to the private app, or create it by hand in HubSpot (Settings > Properties > Contact properties): internal name {d["name"]}, " +
                $"label \"{d["label"]}\", field type {Describe(d)}.")
            .ToList();
    }

    private static string Describe(JsonObject d) => d["fieldType"]!.GetValue<string>() switch
    {
        "number" => "Number",
        "select" => "Dropdown select with the options " + string.Join(", ", Grades),
        _ => "Multi-line text",
    };

    private static IEnumerable<JsonObject> Definitions()
    {
        yield return Property(Score, "GrowthBrain score", "number", "number", "How likely the contact is to convert, 0-100, as GrowthBrain scored it.");
        var grade = Property(Grade, "GrowthBrain grade", "enumeration", "select", "GrowthBrain's grade: A is the most likely to convert.");
        grade["options"] = new JsonArray(Grades.Select((g, i) => (JsonNode)new JsonObject
        {
            ["label"] = g, ["value"] = g, ["displayOrder"] = i, ["hidden"] = false,
        }).ToArray());
        yield return grade;
        yield return Property(Reasons, "GrowthBrain reasons", "string", "textarea", "What raised and lowered the score most.");
    }

    private static JsonObject Property(string name, string label, string type, string fieldType, string description) => new()
    {
        ["name"] = name, ["label"] = label, ["type"] = type, ["fieldType"] = fieldType, ["groupName"] = Group,
        ["description"] = description, ["formField"] = false,
    };
}
