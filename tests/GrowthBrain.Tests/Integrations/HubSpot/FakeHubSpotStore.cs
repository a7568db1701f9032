using System.Globalization;
using System.Text.Json.Nodes;

namespace GrowthBrain.Tests.Integrations.HubSpot;

/// <summary>A contact as the fake keeps it: HubSpot keeps every property value as text.</summary>
public sealed class FakeHubSpotContact(long id, DateTimeOffset createdAt)
{
    public long Id { get; } = id;
    public DateTimeOffset CreatedAt { get; } = createdAt;
    public DateTimeOffset UpdatedAt { get; set; } = createdAt;
    public Dictionary<string, string?> Properties { get; } = new(StringComparer.Ordinal);

    /// <summary>A property's value, the built-in ones included, as HubSpot gives it.</summary>
    public string? Value(string name) => name switch
    {
        "hs_object_id" => Id.ToString(CultureInfo.InvariantCulture),
        "createdate" => FakeHubSpotStore.Iso(CreatedAt),
        "lastmodifieddate" or "hs_lastmodifieddate" => FakeHubSpotStore.Iso(UpdatedAt),
        _ => Properties.GetValueOrDefault(name),
    };
}

/// <summary>A note or task the fake created, with the contact ids it is associated with and the association type used.</summary>
public sealed record FakeHubSpotActivity(string Id, string Type, IReadOnlyDictionary<string, string?> Properties, IReadOnlyList<(string ContactId, int TypeId)> Associations);

/// <summary>
/// The fake's state: contacts, contact property definitions and groups, notes and tasks. One lock guards it all;
/// <see cref="Version"/> moves on every write so searches can reuse a sorted list until something changes.
/// </summary>
public sealed class FakeHubSpotStore(TimeProvider clock)
{
    private readonly Dictionary<long, FakeHubSpotContact> _contacts = [];
    private readonly Dictionary<string, JsonObject> _properties = new(StringComparer.Ordinal);
    private readonly HashSet<string> _groups = ["contactinformation"];
    private readonly List<FakeHubSpotActivity> _activities = [];
    private long _nextId = 100_000;
    private long _nextActivityId = 9_000_000;

    public object Gate { get; } = new();
    public long Version { get; private set; }

    public FakeHubSpotStore Init()
    {
        foreach (var (name, type, field) in new[]
        {
            ("email", "string", "text"), ("firstname", "string", "text"), ("lastname", "string", "text"), ("company", "string", "text"),
            ("jobtitle", "string", "text"), ("phone", "string", "phonenumber"), ("createdate", "datetime", "date"),
            ("lastmodifieddate", "datetime", "date"), ("hs_lastmodifieddate", "datetime", "date"), ("hs_object_id", "number", "number"),
        })
            AddProperty(Definition(name, type, field, "contactinformation"));
        var stage = Definition("lifecyclestage", "enumeration", "radio", "contactinformation");
        stage["options"] = Options("subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity", "customer", "evangelist", "other");
        AddProperty(stage);
        var status = Definition("hs_lead_status", "enumeration", "select", "contactinformation");
        status["options"] = Options("NEW", "OPEN", "IN_PROGRESS", "OPEN_DEAL", "UNQUALIFIED", "ATTEMPTED_TO_CONTACT", "CONNECTED", "BAD_TIMING");
        AddProperty(status);
        return this;
    }

    public static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public DateTimeOffset Now() => clock.GetUtcNow();

    // --- contacts -------------------------------------------------------------------------------------------

    /// <summary>Adds contacts; each gets <paramref name="modifiedAt"/>(i), default now.</summary>
    public IReadOnlyList<string> Seed(int count, Func<int, DateTimeOffset>? modifiedAt = null, Func<int, IDictionary<string, string?>>? properties = null)
    {
        var ids = new List<string>(count);
        lock (Gate)
        {
            for (var i = 0; i < count; i++)
            {
                var at = modifiedAt?.Invoke(i) ?? Now();
                var contact = new FakeHubSpotContact(++_nextId, at);
                contact.Properties["email"] = $"contact{contact.Id}@example.test";
                contact.Properties["firstname"] = $"First{contact.Id}";
                if (properties?.Invoke(i) is { } values)
                    foreach (var (k, v) in values) contact.Properties[k] = v;
                _contacts[contact.Id] = contact;
                ids.Add(contact.Id.ToString(CultureInfo.InvariantCulture));
            }
            Version++;
        }
        return ids;
    }

    public FakeHubSpotContact? Find(string id)
    {
        lock (Gate) return long.TryParse(id, out var n) ? _contacts.GetValueOrDefault(n) : null;
    }

    public List<FakeHubSpotContact> AllContacts()
    {
        lock (Gate) return _contacts.Values.ToList();
    }

    public int ContactCount
    {
        get
        {
            lock (Gate) return _contacts.Count;
        }
    }

    /// <summary>Sets properties and bumps lastmodifieddate, as any change in HubSpot does.</summary>
    public void Update(FakeHubSpotContact contact, IEnumerable<KeyValuePair<string, string?>> values, DateTimeOffset? at = null)
    {
        lock (Gate)
        {
            foreach (var (k, v) in values) contact.Properties[k] = string.IsNullOrEmpty(v) ? null : v;
            contact.UpdatedAt = at ?? Now();
            Version++;
        }
    }

    public bool Delete(string id)
    {
        lock (Gate)
        {
            Version++;
            return long.TryParse(id, out var n) && _contacts.Remove(n);
        }
    }

    // --- properties -----------------------------------------------------------------------------------------

    public static JsonObject Definition(string name, string type, string fieldType, string group) => new()
    {
        ["name"] = name, ["label"] = CultureInfo.InvariantCulture.TextInfo.ToTitleCase(name.Replace('_', ' ')), ["type"] = type,
        ["fieldType"] = fieldType, ["groupName"] = group, ["description"] = "", ["options"] = new JsonArray(), ["hidden"] = false,
        ["formField"] = true, ["calculated"] = false, ["hasUniqueValue"] = false, ["createdAt"] = Iso(DateTimeOffset.UnixEpoch),
    };

    private static JsonArray Options(params string[] values) =>
        new(values.Select((v, i) => (JsonNode)new JsonObject { ["label"] = v, ["value"] = v, ["displayOrder"] = i, ["hidden"] = false }).ToArray());

    public void AddProperty(JsonObject definition)
    {
        lock (Gate) _properties[definition["name"]!.GetValue<string>()] = definition;
    }

    public JsonObject? Property(string name)
    {
        lock (Gate) return _properties.GetValueOrDefault(name)?.DeepClone().AsObject();
    }

    public List<JsonObject> Properties()
    {
        lock (Gate) return _properties.Values.Select(p => p.DeepClone().AsObject()).ToList();
    }

    public bool RemoveProperty(string name)
    {
        lock (Gate) return _properties.Remove(name);
    }

    public bool AddGroup(string name)
    {
        lock (Gate) return _groups.Add(name);
    }

    public bool HasGroup(string name)
    {
        lock (Gate) return _groups.Contains(name);
    }

    /// <summary>Why HubSpot would refuse this value for the property, or null: unknown properties and enumeration values outside the options.</summary>
    public string? Invalid(string name, string? value)
    {
        var definition = Property(name);
        if (definition is null) return $"Property \"{name}\" does not exist";
        if (string.IsNullOrEmpty(value)) return null;
        var type = definition["type"]!.GetValue<string>();
        if (type == "number" && !decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out _))
            return $"{value} was not a valid number.";
        if (type == "enumeration" && definition["options"] is JsonArray options && options.Count > 0
            && !options.Any(o => o?["value"]?.GetValue<string>() == value))
            return $"{value} was not one of the allowed options: {string.Join(", ", options.Select(o => o?["value"]))}";
        return null;
    }

    // --- notes and tasks ------------------------------------------------------------------------------------

    public FakeHubSpotActivity AddActivity(string type, IReadOnlyDictionary<string, string?> properties, IReadOnlyList<(string, int)> associations)
    {
        lock (Gate)
        {
            var activity = new FakeHubSpotActivity((++_nextActivityId).ToString(CultureInfo.InvariantCulture), type, properties, associations);
            _activities.Add(activity);
            return activity;
        }
    }

    public List<FakeHubSpotActivity> Activities(string? type = null)
    {
        lock (Gate) return _activities.Where(a => type is null || a.Type == type).ToList();
    }

    public bool DeleteActivity(string type, string id)
    {
        lock (Gate) return _activities.RemoveAll(a => a.Type == type && a.Id == id) > 0;
    }
}
