using System.Text.Json;
using System.Text.Json.Serialization;
using GrowthBrain.Leads;
using GrowthBrain.Leads.Import;

namespace GrowthBrain.Integrations.Sync;

/// <param name="Object">The CRM object (contacts, Leads).</param>
/// <param name="Property">The property's API name.</param>
/// <param name="Field">What it becomes here: a lead field, Custom (kept and used by the model) or Ignore.</param>
public sealed record CrmFieldMap(string Object, string Property, LeadField Field);

/// <summary>
/// Which CRM property fills which lead field, and which values of the stage or status property mean won and lost.
/// Suggested from the CRM's own property list, confirmed (and editable) by an admin, stored on the sync state.
/// </summary>
/// <param name="OutcomeProperty">A further property whose values decide the outcome, besides the ones mapped to Stage and Status; usually null.</param>
/// <param name="Won">Values of the stage, status (or outcome) property that mean the lead was won (compared case-insensitively):
/// HubSpot's lifecycle stage "customer", Zoho's lead status "Converted".</param>
/// <param name="Lost">Values that mean it was lost ("UNQUALIFIED", "Junk Lead"). Every other value means open; won wins over lost.</param>
public sealed record CrmMapping(IReadOnlyList<CrmFieldMap> Fields, string? OutcomeProperty, IReadOnlyList<string> Won, IReadOnlyList<string> Lost)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>The properties GrowthBrain writes: never read back into leads, or a score would feed the next score.</summary>
    public static bool IsOwnProperty(string name) => name.StartsWith("growthbrain", StringComparison.OrdinalIgnoreCase);

    public IEnumerable<CrmFieldMap> Used(string crmObject) =>
        Fields.Where(f => f.Object == crmObject && f.Field != LeadField.Ignore);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static CrmMapping FromJson(string json) =>
        JsonSerializer.Deserialize<CrmMapping>(json, Json) ?? throw new InvalidDataException("The stored CRM mapping is empty.");

    /// <summary>Checks a mapping an admin edited against the CRM's properties; says what is wrong and how to fix it.</summary>
    public void Validate(IReadOnlyList<CrmProperty> properties, string crm)
    {
        var known = properties.Select(p => (p.Object, p.Name)).ToHashSet();
        foreach (var f in Fields)
        {
            if (!known.Contains((f.Object, f.Property)))
                throw new ArgumentException($"{crm} has no property '{f.Property}' on {f.Object}; pick one from the list, or refresh the suggestion.");
            if (!Enum.IsDefined(f.Field)) throw new ArgumentException($"'{f.Field}' is not a lead field.");
            if (IsOwnProperty(f.Property) && f.Field != LeadField.Ignore)
                throw new ArgumentException($"'{f.Property}' is where GrowthBrain writes its score; it cannot also be read into leads.");
        }
        foreach (var group in Fields.Where(f => f.Field is not (LeadField.Custom or LeadField.Ignore)).GroupBy(f => (f.Object, f.Field)))
        {
            if (group.Count() > 1)
                throw new ArgumentException($"{group.Key.Field} is filled from {string.Join(" and ", group.Select(g => $"'{g.Property}'"))} on {group.Key.Object}; choose one.");
        }
        if (OutcomeProperty is not null && !properties.Any(p => p.Name == OutcomeProperty))
            throw new ArgumentException($"{crm} has no property '{OutcomeProperty}' to read won and lost from.");
        if (Won.Intersect(Lost, StringComparer.OrdinalIgnoreCase).FirstOrDefault() is { } both)
            throw new ArgumentException($"'{both}' is listed as both won and lost; keep it in one list.");
        if (!Fields.Any(f => f.Field == LeadField.Email))
            throw new ArgumentException("No property fills the e-mail address; map one (it is how existing leads are found once and how follow-ups reach people).");
    }

    /// <summary>What an admin sees first: every property GrowthBrain recognises by name or label, and the won and lost values.</summary>
    public static CrmMapping Suggest(IReadOnlyList<CrmProperty> properties)
    {
        var fields = new List<CrmFieldMap>();
        foreach (var group in properties.Where(p => !IsOwnProperty(p.Name)).GroupBy(p => p.Object))
        {
            var taken = new HashSet<LeadField>();
            var custom = 0;
            // Exact API names first (email, firstname, Last_Name), then labels: a label such as "Email Domain" must not win over "email".
            foreach (var p in group.OrderBy(p => Recognise(p) == LeadField.Custom).ThenBy(p => p.Name.Length))
            {
                var field = Recognise(p);
                if (field is LeadField.ExternalId || IsVolatile(p.Name) || field is not LeadField.Custom && !taken.Add(field)) field = LeadField.Ignore;
                // The team's own properties count (the model learns from custom fields), but not a CRM's internal
                // bookkeeping (HubSpot's hs_* analytics, ids, lookups), and not hundreds of them.
                if (field == LeadField.Custom && (IsInternal(p) || ++custom > MaxSuggestedCustom)) field = LeadField.Ignore;
                fields.Add(new CrmFieldMap(p.Object, p.Name, field));
            }
        }
        var options = fields.Where(f => f.Field is LeadField.Stage or LeadField.Status).SelectMany(f => OptionsOf(properties, f)).Distinct().ToList();
        return new CrmMapping(fields.OrderBy(f => f.Object).ThenBy(f => f.Field == LeadField.Ignore).ThenBy(f => f.Property).ToList(),
            null,
            options.Where(o => CellParsers.OutcomeFromStage(o) == LeadOutcome.Won).ToList(),
            options.Where(o => CellParsers.OutcomeFromStage(o) == LeadOutcome.Lost).ToList());
    }

    public const int MaxSuggestedCustom = 40;

    /// <summary>
    /// Bookkeeping a CRM changes by itself whenever anything, our own write-back included, touches the record. Read into
    /// leads, each write would look like a change on the next pull.
    /// </summary>
    public static bool IsVolatile(string name) =>
        LeadHeaderRecognizer.Fold(name) is var f && (f.Contains("lastmodified") || f.Contains("modifiedtime") || f.Contains("modifiedby")
            || f.Contains("modifiedat") || f.Contains("modifieddate") || f.Contains("updatedat") || f.Contains("updatetime") || f.Contains("systemmodstamp"));

    private static bool IsInternal(CrmProperty p) =>
        p.Name.StartsWith("hs_", StringComparison.OrdinalIgnoreCase) || p.Name.EndsWith("_id", StringComparison.OrdinalIgnoreCase)
        || p.Name.StartsWith('$') || p.Type is "lookup" or "ownerlookup" or "userlookup" or "profileimage" or "fileupload" or "object";

    private static IEnumerable<string> OptionsOf(IReadOnlyList<CrmProperty> properties, CrmFieldMap f) =>
        properties.Where(p => p.Object == f.Object && p.Name == f.Property).SelectMany(p => p.Options);

    private static LeadField Recognise(CrmProperty p)
    {
        var byName = LeadHeaderRecognizer.Recognize(p.Name);
        return byName != LeadField.Custom ? byName : LeadHeaderRecognizer.Recognize(p.Label);
    }
}
