using System.Globalization;
using System.Text.Json.Nodes;

namespace GrowthBrain.Tests.Integrations.Zoho;

/// <summary>One record of a module as the fake keeps it: its values as the API returns them (lookups as {name, id}).</summary>
public sealed class FakeZohoRecord
{
    public required string Id { get; init; }
    public required string Module { get; init; }
    public DateTimeOffset CreatedTime { get; set; }
    public DateTimeOffset ModifiedTime { get; set; }
    public Dictionary<string, JsonNode?> Fields { get; } = new(StringComparer.Ordinal);

    public string? Text(string field) => Fields.TryGetValue(field, out var v) && v is JsonValue value ? value.ToString() : v?.ToJsonString();

    internal FakeZohoRecord Copy()
    {
        var copy = new FakeZohoRecord { Id = Id, Module = Module, CreatedTime = CreatedTime, ModifiedTime = ModifiedTime };
        foreach (var (k, v) in Fields) copy.Fields[k] = v?.DeepClone();
        return copy;
    }
}

/// <summary>A field of the fields metadata API.</summary>
public sealed record FakeZohoField(string ApiName, string Label, string DataType, IReadOnlyList<string> PickList, bool Custom, string Id);

/// <summary>
/// The fake org's data: Leads and Contacts (kept ordered by Modified_Time so paging 100,000 records stays cheap),
/// Notes and Tasks, and each module's fields. Thread-safe; ids look like Zoho's 19-digit ones.
/// </summary>
public sealed class FakeZohoStore(TimeProvider clock)
{
    public static readonly string[] RecordModules = ["Leads", "Contacts"];
    public static readonly DateTimeOffset SeedBase = new(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);

    private readonly object _gate = new();
    private readonly Dictionary<string, Dictionary<string, FakeZohoRecord>> _records = new(StringComparer.Ordinal)
    {
        ["Leads"] = new(), ["Contacts"] = new(), ["Notes"] = new(), ["Tasks"] = new(),
    };
    private readonly Dictionary<string, SortedSet<(DateTimeOffset Modified, string Id)>> _byModified = new(StringComparer.Ordinal)
    {
        ["Leads"] = new(KeyOrder.Instance), ["Contacts"] = new(KeyOrder.Instance),
    };
    private readonly Dictionary<string, List<FakeZohoField>> _fields = new(StringComparer.Ordinal)
    {
        ["Leads"] = StandardFields("Leads"), ["Contacts"] = StandardFields("Contacts"),
    };
    private long _nextId = 4876876000000100000;

    public object Gate => _gate;

    private static List<FakeZohoField> StandardFields(string module)
    {
        var id = module == "Leads" ? 4876876000000000500L : 4876876000000000700L;
        FakeZohoField F(string api, string label, string type, params string[] picks) => new(api, label, type, picks, false, (id++).ToString(CultureInfo.InvariantCulture));
        var fields = new List<FakeZohoField>
        {
            F("Owner", module == "Leads" ? "Lead Owner" : "Contact Owner", "ownerlookup"),
            F("First_Name", "First Name", "text"), F("Last_Name", "Last Name", "text"), F("Email", "Email", "email"),
            F("Phone", "Phone", "phone"), F("Title", "Title", "text"),
            F("Lead_Source", "Lead Source", "picklist", "-None-", "Advertisement", "Cold Call", "Web Download", "Trade Show"),
            F("Created_Time", "Created Time", "datetime"), F("Modified_Time", "Modified Time", "datetime"),
        };
        if (module == "Leads")
        {
            fields.Add(F("Company", "Company", "text"));
            fields.Add(F("Lead_Status", "Lead Status", "picklist", "-None-", "Not Contacted", "Contacted", "Junk Lead", "Pre-Qualified"));
            fields.Add(F("Annual_Revenue", "Annual Revenue", "currency"));
            fields.Add(F("No_of_Employees", "No. of Employees", "integer"));
        }
        else
        {
            fields.Add(F("Account_Name", "Account Name", "lookup"));
            fields.Add(F("Email_Opt_Out", "Email Opt Out", "boolean"));
        }
        return fields;
    }

    public bool HasModule(string module) => _fields.ContainsKey(module);

    public IReadOnlyList<FakeZohoField> Fields(string module)
    {
        lock (_gate) return _fields[module].ToList();
    }

    /// <summary>Adds a custom field as the fields API does: the API name from the label, suffixed when taken.</summary>
    public FakeZohoField AddField(string module, string label, string dataType)
    {
        lock (_gate)
        {
            var baseName = string.Concat(label.Trim().Select(c => char.IsLetterOrDigit(c) ? c : '_'));
            var name = baseName;
            for (var n = 1; _fields[module].Any(f => string.Equals(f.ApiName, name, StringComparison.OrdinalIgnoreCase)); n++) name = $"{baseName}{n}";
            var field = new FakeZohoField(name, label, dataType, [], true, NewId());
            _fields[module].Add(field);
            return field;
        }
    }

    public void RemoveField(string module, string apiName)
    {
        lock (_gate) _fields[module].RemoveAll(f => f.ApiName == apiName);
    }

    /// <summary>
    /// Adds <paramref name="count"/> records modified one second apart from <see cref="SeedBase"/> (after any seeded
    /// before), each with a name, an e-mail, an owner and (Contacts) an account. Returns their ids in that order.
    /// </summary>
    public IReadOnlyList<string> Seed(string module, int count, Action<int, FakeZohoRecord>? customize = null)
    {
        lock (_gate)
        {
            var start = _records[module].Count == 0 ? SeedBase : _records[module].Values.Max(r => r.ModifiedTime).AddSeconds(1);
            var ids = new List<string>(count);
            for (var i = 0; i < count; i++)
            {
                var at = start.AddSeconds(i);
                var r = new FakeZohoRecord { Id = NewId(), Module = module, CreatedTime = at, ModifiedTime = at };
                r.Fields["First_Name"] = $"Ana{i}";
                r.Fields["Last_Name"] = $"Silva{i}";
                r.Fields["Email"] = $"ana.silva{i}@{module.ToLowerInvariant()}.example";
                r.Fields["Owner"] = new JsonObject { ["name"] = "Patricia Boyle", ["id"] = "4876876000000225013", ["email"] = "patricia@zylker.example" };
                r.Fields["Lead_Source"] = "Web Download";
                if (module == "Leads")
                {
                    r.Fields["Company"] = $"Zylker {i}";
                    r.Fields["Lead_Status"] = "Not Contacted";
                }
                else r.Fields["Account_Name"] = new JsonObject { ["name"] = $"Zylker {i}", ["id"] = "4876876000000330001" };
                customize?.Invoke(i, r);
                Insert(r);
                ids.Add(r.Id);
            }
            return ids;
        }
    }

    /// <summary>A record as stored now (a copy), or null.</summary>
    public FakeZohoRecord? Get(string module, string id)
    {
        lock (_gate) return _records[module].TryGetValue(id, out var r) ? r.Copy() : null;
    }

    public IReadOnlyList<FakeZohoRecord> All(string module)
    {
        lock (_gate) return _records[module].Values.Select(r => r.Copy()).ToList();
    }

    public int Count(string module)
    {
        lock (_gate) return _records[module].Count;
    }

    /// <summary>Changes fields as a user in Zoho would; Modified_Time becomes now (never earlier than before).</summary>
    public void Change(string module, string id, IReadOnlyDictionary<string, JsonNode?> values)
    {
        lock (_gate)
        {
            var r = _records[module][id];
            foreach (var (k, v) in values) r.Fields[k] = v?.DeepClone();
            Touch(r);
        }
    }

    public void ChangeEmail(string module, string id, string email) => Change(module, id, new Dictionary<string, JsonNode?> { ["Email"] = email });

    public string Insert(string module, IReadOnlyDictionary<string, JsonNode?> values)
    {
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            var r = new FakeZohoRecord { Id = NewId(), Module = module, CreatedTime = now, ModifiedTime = now };
            foreach (var (k, v) in values) r.Fields[k] = v?.DeepClone();
            Insert(r);
            return r.Id;
        }
    }

    public bool Delete(string module, string id)
    {
        lock (_gate)
        {
            if (!_records[module].Remove(id, out var r)) return false;
            if (_byModified.TryGetValue(module, out var index)) index.Remove((r.ModifiedTime, r.Id));
            return true;
        }
    }

    /// <summary>Records modified strictly after <paramref name="after"/> (by modified time, then id), in ascending order; the caller holds <see cref="Gate"/>.</summary>
    internal IEnumerable<FakeZohoRecord> ByModified(string module, (DateTimeOffset Modified, string Id)? after)
    {
        var index = _byModified[module];
        if (index.Count == 0 || (after is { } last && KeyOrder.Instance.Compare(last, index.Max) >= 0)) return [];
        var view = after is { } a ? index.GetViewBetween(a, index.Max) : index;
        return view.Where(k => after is null || KeyOrder.Instance.Compare(k, after.Value) > 0).Select(k => _records[module][k.Id]);
    }

    internal IEnumerable<FakeZohoRecord> Raw(string module) => _records[module].Values;

    internal FakeZohoRecord? RawGet(string module, string id) => _records[module].GetValueOrDefault(id);

    internal void Touch(FakeZohoRecord r)
    {
        var index = _byModified.GetValueOrDefault(r.Module);
        index?.Remove((r.ModifiedTime, r.Id));
        var now = clock.GetUtcNow();
        r.ModifiedTime = now > r.ModifiedTime ? now : r.ModifiedTime.AddSeconds(1);
        index?.Add((r.ModifiedTime, r.Id));
    }

    private void Insert(FakeZohoRecord r)
    {
        _records[r.Module][r.Id] = r;
        _byModified.GetValueOrDefault(r.Module)?.Add((r.ModifiedTime, r.Id));
    }

    private string NewId() => Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);

    internal sealed class KeyOrder : IComparer<(DateTimeOffset Modified, string Id)>
    {
        public static readonly KeyOrder Instance = new();

        public int Compare((DateTimeOffset Modified, string Id) x, (DateTimeOffset Modified, string Id) y)
        {
            var c = x.Modified.UtcTicks.CompareTo(y.Modified.UtcTicks);
            return c != 0 ? c : string.CompareOrdinal(x.Id, y.Id);
        }
    }
}
