using System.Globalization;
using System.Text.Json.Nodes;

namespace GrowthBrain.Tests.Integrations.Salesforce;

/// <summary>One record as the fake keeps it: field values as the API returns them (numbers, booleans, text).</summary>
public sealed class FakeSalesforceRecord
{
    public required string Id { get; init; }
    public required string Type { get; init; }
    public DateTimeOffset CreatedDate { get; set; }
    public DateTimeOffset LastModifiedDate { get; set; }
    public Dictionary<string, JsonNode?> Fields { get; } = new(StringComparer.OrdinalIgnoreCase);

    public string? Text(string field) => Fields.TryGetValue(field, out var v) && v is JsonValue value ? value.ToString() : v?.ToJsonString();

    internal FakeSalesforceRecord Copy()
    {
        var copy = new FakeSalesforceRecord { Id = Id, Type = Type, CreatedDate = CreatedDate, LastModifiedDate = LastModifiedDate };
        foreach (var (k, v) in Fields) copy.Fields[k] = v?.DeepClone();
        return copy;
    }
}

/// <summary>A field as describe lists it.</summary>
public sealed record FakeSalesforceField(string Name, string Label, string Type, int Length = 0, bool Updateable = true, bool Custom = false,
    string? RelationshipName = null, params string[] Picklist);

/// <summary>
/// The fake org's data: Leads, Contacts, Opportunities (kept ordered by LastModifiedDate, then Id, so paging many
/// records stays cheap), OpportunityContactRoles and Tasks, and each object's fields. Ids look like Salesforce's: a
/// three-character key prefix (00Q Lead, 003 Contact, 006 Opportunity, 00K OpportunityContactRole, 00T Task) and 15
/// more characters. Thread-safe.
/// </summary>
public sealed class FakeSalesforceStore(TimeProvider clock)
{
    public static readonly string[] RecordObjects = ["Lead", "Contact"];
    public static readonly DateTimeOffset SeedBase = new(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);
    public static readonly string[] LeadStatuses = ["Open - Not Contacted", "Working - Contacted", "Closed - Converted", "Closed - Not Converted"];
    public const string OwnerId = "005Dn000003XyZaIAK";
    public const string OwnerName = "Patricia Boyle";

    private readonly object _gate = new();
    private readonly Dictionary<string, Dictionary<string, FakeSalesforceRecord>> _records = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Lead"] = new(), ["Contact"] = new(), ["Task"] = new(), ["Opportunity"] = new(), ["OpportunityContactRole"] = new(),
    };
    private readonly Dictionary<string, SortedSet<(DateTimeOffset Modified, string Id)>> _byModified = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Lead"] = new(KeyOrder.Instance), ["Contact"] = new(KeyOrder.Instance), ["Opportunity"] = new(KeyOrder.Instance),
    };
    private readonly Dictionary<string, List<FakeSalesforceField>> _fields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Lead"] = StandardFields("Lead"), ["Contact"] = StandardFields("Contact"), ["Task"] = TaskFields(),
        ["Opportunity"] = OpportunityFields(), ["OpportunityContactRole"] = ContactRoleFields(),
    };
    private readonly HashSet<string> _deleted = [];
    private long _next = 1000;

    public static readonly FakeSalesforceField[] ScoreFields =
    [
        new("GrowthBrain_Score__c", "GrowthBrain Score", "double", Custom: true),
        new("GrowthBrain_Grade__c", "GrowthBrain Grade", "string", 10, Custom: true),
        new("GrowthBrain_Reasons__c", "GrowthBrain Reasons", "textarea", 2000, Custom: true),
    ];

    private static List<FakeSalesforceField> StandardFields(string type)
    {
        var fields = new List<FakeSalesforceField>
        {
            new("Id", $"{type} ID", "id", 18, false), new("IsDeleted", "Deleted", "boolean", Updateable: false),
            new("LastName", "Last Name", "string", 80), new("FirstName", "First Name", "string", 40), new("Name", "Full Name", "string", 121, false),
            new("Title", "Title", "string", 128), new("Email", "Email", "email", 80), new("Phone", "Phone", "phone", 40),
            new("LeadSource", "Lead Source", "picklist", 255, true, false, null, "Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other"),
            new("OwnerId", "Owner ID", "reference", 18, true, false, "Owner"),
            new("CreatedDate", "Created Date", "datetime", Updateable: false), new("LastModifiedDate", "Last Modified Date", "datetime", Updateable: false),
            new("SystemModstamp", "System Modstamp", "datetime", Updateable: false),
        };
        if (type == "Lead")
        {
            fields.Add(new("Company", "Company", "string", 255));
            fields.Add(new("Status", "Lead Status", "picklist", 255, true, false, null, LeadStatuses));
            fields.Add(new("IsConverted", "Converted", "boolean", Updateable: false));
            fields.Add(new("ConvertedOpportunityId", "Converted Opportunity ID", "reference", 18, false, false, "ConvertedOpportunity"));
            fields.Add(new("ConvertedContactId", "Converted Contact ID", "reference", 18, false, false, "ConvertedContact"));
            fields.Add(new("Industry", "Industry", "picklist", 255, true, false, null, "Agriculture", "Banking", "Technology", "Other"));
            fields.Add(new("AnnualRevenue", "Annual Revenue", "currency"));
            fields.Add(new("NumberOfEmployees", "Employees", "int"));
            fields.Add(new("City", "City", "string", 40));
            fields.Add(new("Country", "Country", "string", 80));
            fields.Add(new("Address", "Address", "address", Updateable: false));
        }
        else
        {
            fields.Add(new("AccountId", "Account ID", "reference", 18, true, false, "Account"));
            fields.Add(new("Department", "Department", "string", 80));
            fields.Add(new("MailingCity", "Mailing City", "string", 40));
            fields.Add(new("MailingAddress", "Mailing Address", "address", Updateable: false));
            fields.Add(new("HasOptedOutOfEmail", "Email Opt Out", "boolean"));
        }
        fields.AddRange(ScoreFields);
        return fields;
    }

    private static List<FakeSalesforceField> TaskFields() =>
    [
        new("Id", "Activity ID", "id", 18, false), new("WhoId", "Name ID", "reference", 18, true, false, "Who"),
        new("Subject", "Subject", "combobox", 255), new("Description", "Description", "textarea", 32000),
        new("ActivityDate", "Due Date Only", "date"),
        new("Status", "Status", "picklist", 255, true, false, null, "Not Started", "In Progress", "Completed", "Waiting on someone else", "Deferred"),
        new("Priority", "Priority", "picklist", 255, true, false, null, "High", "Normal", "Low"),
        new("CreatedDate", "Created Date", "datetime", Updateable: false), new("LastModifiedDate", "Last Modified Date", "datetime", Updateable: false),
    ];

    public static readonly string[] OpportunityStages = ["Prospecting", "Qualification", "Negotiation/Review", "Closed Won", "Closed Lost"];

    private static List<FakeSalesforceField> OpportunityFields() =>
    [
        new("Id", "Opportunity ID", "id", 18, false), new("Name", "Name", "string", 120),
        new("StageName", "Stage", "picklist", 255, true, false, null, OpportunityStages),
        new("IsClosed", "Closed", "boolean", Updateable: false), new("IsWon", "Won", "boolean", Updateable: false),
        new("CreatedDate", "Created Date", "datetime", Updateable: false), new("LastModifiedDate", "Last Modified Date", "datetime", Updateable: false),
    ];

    private static List<FakeSalesforceField> ContactRoleFields() =>
    [
        new("Id", "Contact Role ID", "id", 18, false), new("ContactId", "Contact ID", "reference", 18, true, false, "Contact"),
        new("OpportunityId", "Opportunity ID", "reference", 18, false, false, "Opportunity"), new("Role", "Role", "picklist", 40),
        new("CreatedDate", "Created Date", "datetime", Updateable: false), new("LastModifiedDate", "Last Modified Date", "datetime", Updateable: false),
    ];

    /// <summary>The object a relationship (Opportunity, ConvertedOpportunity, Contact) leads to when the fake keeps it; null for others (Owner).</summary>
    public string? RelationshipTarget(string relationship)
    {
        var type = relationship.StartsWith("Converted", StringComparison.OrdinalIgnoreCase) ? relationship["Converted".Length..] : relationship;
        return type is "Opportunity" or "Contact" or "Lead" ? type : null;
    }

    /// <summary>
    /// An opportunity at <paramref name="stage"/>, closed and won or lost as Salesforce derives them from the stage; modified
    /// as a seeded record is (a second after the last one from <see cref="SeedBase"/>), so it predates a sync.
    /// </summary>
    public string AddOpportunity(string stage) => Seed("Opportunity", 1, (_, r) =>
    {
        r.Fields.Clear();
        r.Fields["Name"] = $"Deal {stage}";
        r.Fields["StageName"] = stage;
        r.Fields["IsClosed"] = stage.StartsWith("Closed", StringComparison.Ordinal);
        r.Fields["IsWon"] = stage == "Closed Won";
    }).Single();

    /// <summary>Moves an opportunity to <paramref name="stage"/>, as a user would; LastModifiedDate becomes now.</summary>
    public void MoveOpportunity(string id, string stage) => Change("Opportunity", id, new Dictionary<string, JsonNode?>
    {
        ["StageName"] = stage, ["IsClosed"] = stage.StartsWith("Closed", StringComparison.Ordinal), ["IsWon"] = stage == "Closed Won",
    });

    /// <summary>Converts a lead as Salesforce does: status set, opportunity and contact linked, the contact given a role on the opportunity.</summary>
    public void ConvertLead(string leadId, string opportunityId, string? contactId, string status = "Closed - Converted")
    {
        Change("Lead", leadId, new Dictionary<string, JsonNode?>
        {
            ["IsConverted"] = true, ["Status"] = status, ["ConvertedOpportunityId"] = opportunityId, ["ConvertedContactId"] = contactId,
        });
        if (contactId is not null) AddContactRole(contactId, opportunityId);
    }

    public string AddContactRole(string contactId, string opportunityId) =>
        Create("OpportunityContactRole", new Dictionary<string, JsonNode?> { ["ContactId"] = contactId, ["OpportunityId"] = opportunityId, ["Role"] = "Decision Maker" });

    public bool HasObject(string type) => _fields.ContainsKey(type);

    public IReadOnlyList<FakeSalesforceField> Fields(string type)
    {
        lock (_gate) return _fields[type].ToList();
    }

    public FakeSalesforceField? Field(string type, string name)
    {
        lock (_gate) return _fields.TryGetValue(type, out var f) ? f.FirstOrDefault(x => string.Equals(x.Name, name, StringComparison.OrdinalIgnoreCase)) : null;
    }

    /// <summary>An org where an admin has not created the score fields (or deleted one).</summary>
    public void RemoveField(string type, string name)
    {
        lock (_gate) _fields[type].RemoveAll(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
    }

    public void ReplaceField(string type, FakeSalesforceField field)
    {
        lock (_gate)
        {
            _fields[type].RemoveAll(f => string.Equals(f.Name, field.Name, StringComparison.OrdinalIgnoreCase));
            _fields[type].Add(field);
        }
    }

    /// <summary>Adds <paramref name="count"/> records modified one second apart from <see cref="SeedBase"/> (after any seeded before). Returns their ids in that order.</summary>
    public IReadOnlyList<string> Seed(string type, int count, Action<int, FakeSalesforceRecord>? customize = null)
    {
        lock (_gate)
        {
            var start = _records[type].Count == 0 ? SeedBase : _records[type].Values.Max(r => r.LastModifiedDate).AddSeconds(1);
            var ids = new List<string>(count);
            for (var i = 0; i < count; i++)
            {
                var at = start.AddSeconds(i);
                var r = new FakeSalesforceRecord { Id = NewId(type), Type = type, CreatedDate = at, LastModifiedDate = at };
                r.Fields["FirstName"] = $"Ana{i}";
                r.Fields["LastName"] = $"Silva{i}";
                r.Fields["Email"] = $"ana.silva{i}@{type.ToLowerInvariant()}.example";
                r.Fields["OwnerId"] = OwnerId;
                r.Fields["LeadSource"] = "Web";
                if (type == "Lead")
                {
                    r.Fields["Company"] = $"Acme {i}";
                    r.Fields["Status"] = LeadStatuses[0];
                    r.Fields["IsConverted"] = false;
                    r.Fields["City"] = "Lisbon";
                }
                else r.Fields["MailingCity"] = "Porto";
                customize?.Invoke(i, r);
                Insert(r);
                ids.Add(r.Id);
            }
            return ids;
        }
    }

    public FakeSalesforceRecord? Get(string type, string id)
    {
        lock (_gate) return _records[type].TryGetValue(id, out var r) ? r.Copy() : null;
    }

    public IReadOnlyList<FakeSalesforceRecord> All(string type)
    {
        lock (_gate) return _records[type].Values.Select(r => r.Copy()).ToList();
    }

    /// <summary>Changes fields as a user in Salesforce would; LastModifiedDate becomes now (never earlier than before).</summary>
    public void Change(string type, string id, IReadOnlyDictionary<string, JsonNode?> values)
    {
        lock (_gate)
        {
            var r = _records[type][id];
            foreach (var (k, v) in values) r.Fields[k] = v?.DeepClone();
            Touch(r);
        }
    }

    public void ChangeEmail(string type, string id, string email) => Change(type, id, new Dictionary<string, JsonNode?> { ["Email"] = email });

    public string Create(string type, IReadOnlyDictionary<string, JsonNode?> values)
    {
        lock (_gate)
        {
            var now = Millis(clock.GetUtcNow());
            var r = new FakeSalesforceRecord { Id = NewId(type), Type = type, CreatedDate = now, LastModifiedDate = now };
            foreach (var (k, v) in values) r.Fields[k] = v?.DeepClone();
            Insert(r);
            return r.Id;
        }
    }

    /// <summary>True when deleted now; false when not there (<paramref name="wasDeleted"/>: it existed once).</summary>
    public bool Delete(string type, string id, out bool wasDeleted)
    {
        lock (_gate)
        {
            wasDeleted = _deleted.Contains(id);
            if (!_records[type].Remove(id, out var r)) return false;
            if (_byModified.TryGetValue(type, out var index)) index.Remove((r.LastModifiedDate, r.Id));
            _deleted.Add(id);
            return true;
        }
    }

    public bool WasDeleted(string id)
    {
        lock (_gate) return _deleted.Contains(id);
    }

    public string? TypeOf(string id)
    {
        lock (_gate) return _records.FirstOrDefault(kv => kv.Value.ContainsKey(id)).Key;
    }

    public object Gate => _gate;

    /// <summary>Records in (LastModifiedDate, Id) order; the caller holds <see cref="Gate"/>.</summary>
    internal IEnumerable<FakeSalesforceRecord> Ordered(string type) =>
        _byModified.TryGetValue(type, out var index) ? index.Select(k => _records[type][k.Id]) : _records[type].Values.OrderBy(r => r.Id, StringComparer.Ordinal);

    internal FakeSalesforceRecord? RawGet(string type, string id) => _records[type].GetValueOrDefault(id);

    internal void Touch(FakeSalesforceRecord r)
    {
        var index = _byModified.GetValueOrDefault(r.Type);
        index?.Remove((r.LastModifiedDate, r.Id));
        var now = Millis(clock.GetUtcNow());
        r.LastModifiedDate = now > r.LastModifiedDate ? now : r.LastModifiedDate.AddSeconds(1);
        index?.Add((r.LastModifiedDate, r.Id));
    }

    /// <summary>Salesforce keeps date-times to the millisecond.</summary>
    private static DateTimeOffset Millis(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);

    private void Insert(FakeSalesforceRecord r)
    {
        _records[r.Type][r.Id] = r;
        _byModified.GetValueOrDefault(r.Type)?.Add((r.LastModifiedDate, r.Id));
    }

    private string NewId(string type)
    {
        var prefix = type switch { "Lead" => "00Q", "Contact" => "003", "Opportunity" => "006", "OpportunityContactRole" => "00K", _ => "00T" };
        return $"{prefix}Dn{Interlocked.Increment(ref _next).ToString("D10", CultureInfo.InvariantCulture)}AAA";
    }

    private sealed class KeyOrder : IComparer<(DateTimeOffset Modified, string Id)>
    {
        public static readonly KeyOrder Instance = new();

        public int Compare((DateTimeOffset Modified, string Id) x, (DateTimeOffset Modified, string Id) y)
        {
            var c = x.Modified.UtcTicks.CompareTo(y.Modified.UtcTicks);
            return c != 0 ? c : string.CompareOrdinal(x.Id, y.Id);
        }
    }
}
