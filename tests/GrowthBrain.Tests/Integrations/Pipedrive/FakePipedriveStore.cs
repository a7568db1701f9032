using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace GrowthBrain.Tests.Integrations.Pipedrive;

public sealed class FakePerson
{
    public long Id { get; init; }
    public string Name { get; set; } = "";
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public long? OrgId { get; set; }
    public long OwnerId { get; set; } = 1;
    public Dictionary<string, JsonNode?> Custom { get; } = new(StringComparer.Ordinal);
    public DateTimeOffset AddTime { get; set; }
    public DateTimeOffset UpdateTime { get; set; }
    public bool Deleted { get; set; }
}

public sealed class FakeDeal
{
    public long Id { get; init; }
    public long? PersonId { get; set; }
    public string Status { get; set; } = "open";
    public long StageId { get; set; } = 1;
    public DateTimeOffset UpdateTime { get; set; }
}

public sealed record FakeField(long Id, string Key, string Name, string Type, IReadOnlyList<(long Id, string Label)> Options);

public sealed record FakeActivity(long Id, string Kind, long PersonId, JsonObject Body);

/// <summary>
/// The fake Pipedrive company's data: persons, organizations, deals, stages, person fields (custom ones keyed by a
/// generated 40-hex hash), notes and activities. Every change moves the item's update_time to the clock's now (to
/// the second, as Pipedrive keeps it).
/// </summary>
public sealed class FakePipedriveStore(TimeProvider clock)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, FakePerson> _persons = [];
    private readonly Dictionary<long, FakeDeal> _deals = [];
    private readonly List<FakeField> _fields =
    [
        new(1, "name", "Name", "varchar", []), new(2, "first_name", "First name", "varchar", []), new(3, "last_name", "Last name", "varchar", []),
        new(4, "email", "Email", "varchar", []), new(5, "phone", "Phone", "phone", []), new(6, "org_id", "Organization", "org", []),
        new(7, "owner_id", "Owner", "user", []), new(8, "add_time", "Person created", "date", []), new(9, "update_time", "Update time", "date", []),
    ];
    private long _nextId = 1000;

    public Dictionary<long, string> Organizations { get; } = new() { [1] = "Acme GmbH", [2] = "Globex Ltd" };
    public Dictionary<long, string> Stages { get; } = new() { [1] = "Qualified", [2] = "Contact Made", [3] = "Negotiations Started" };
    public Dictionary<long, string> Users { get; } = new() { [1] = "Mia Owner", [2] = "Sam Seller" };
    public List<FakeActivity> Activities { get; } = [];

    public DateTimeOffset Now() => Truncate(clock.GetUtcNow());

    private static DateTimeOffset Truncate(DateTimeOffset t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);

    /// <summary>Persons with an e-mail, an organization and distinct update times in the past (oldest first).</summary>
    public IReadOnlyList<string> Seed(int count, Action<int, FakePerson>? shape = null)
    {
        var ids = new List<string>(count);
        lock (_gate)
        {
            var start = Now() - TimeSpan.FromSeconds(count + 10);
            for (var i = 0; i < count; i++)
            {
                var p = new FakePerson
                {
                    Id = ++_nextId, FirstName = $"First{i}", LastName = $"Last{i}", Email = $"person{_nextId}@example.com", Phone = $"+49 30 {i:D6}",
                    OrgId = 1 + i % 2, AddTime = start, UpdateTime = start + TimeSpan.FromSeconds(i),
                };
                p.Name = $"{p.FirstName} {p.LastName}";
                shape?.Invoke(i, p);
                _persons[p.Id] = p;
                ids.Add(p.Id.ToString(CultureInfo.InvariantCulture));
            }
        }
        return ids;
    }

    public FakeDeal AddDeal(string personId, string status, long stageId = 1, DateTimeOffset? updated = null)
    {
        lock (_gate)
        {
            var deal = new FakeDeal { Id = ++_nextId, PersonId = long.Parse(personId, CultureInfo.InvariantCulture), Status = status, StageId = stageId, UpdateTime = updated ?? Now() };
            _deals[deal.Id] = deal;
            return deal;
        }
    }

    public void SetDealStatus(long dealId, string status)
    {
        lock (_gate) (_deals[dealId].Status, _deals[dealId].UpdateTime) = (status, Now());
    }

    public FakePerson? Person(string id)
    {
        lock (_gate) return _persons.GetValueOrDefault(long.Parse(id, CultureInfo.InvariantCulture)) is { Deleted: false } p ? p : null;
    }

    public void Touch(string id, Action<FakePerson> change)
    {
        lock (_gate)
        {
            var p = _persons[long.Parse(id, CultureInfo.InvariantCulture)];
            change(p);
            p.UpdateTime = Now();
        }
    }

    /// <summary>A custom field's value on a person, found by the field's name.</summary>
    public JsonNode? CustomValue(string personId, string fieldName)
    {
        lock (_gate)
        {
            var field = _fields.FirstOrDefault(f => f.Name == fieldName);
            return field is null ? null : Person(personId)?.Custom.GetValueOrDefault(field.Key);
        }
    }

    public IReadOnlyList<FakeField> Fields
    {
        get { lock (_gate) return _fields.ToList(); }
    }

    public FakeField AddField(string name, string type, IReadOnlyList<string>? options = null)
    {
        lock (_gate)
        {
            var id = _fields.Max(f => f.Id) + 1;
            var field = new FakeField(id, Convert.ToHexString(RandomNumberGenerator.GetBytes(20)).ToLowerInvariant(), name, type,
                (options ?? []).Select((label, i) => (id * 100 + i, label)).ToList());
            _fields.Add(field);
            return field;
        }
    }

    public void RemoveField(string name)
    {
        lock (_gate) _fields.RemoveAll(f => f.Name == name);
    }

    public List<FakePerson> Persons(Func<FakePerson, bool> where)
    {
        lock (_gate) return _persons.Values.Where(p => !p.Deleted && where(p)).OrderBy(p => p.UpdateTime).ThenBy(p => p.Id).ToList();
    }

    public List<FakeDeal> Deals(Func<FakeDeal, bool> where)
    {
        lock (_gate) return _deals.Values.Where(where).OrderBy(d => d.UpdateTime).ThenBy(d => d.Id).ToList();
    }

    public bool Delete(long id)
    {
        lock (_gate)
        {
            if (!_persons.TryGetValue(id, out var p) || p.Deleted) return false;
            (p.Deleted, p.UpdateTime) = (true, Now());
            return true;
        }
    }

    public long NextId()
    {
        lock (_gate) return ++_nextId;
    }

    /// <summary>The v2 person: emails/phones lists, ids for organization and owner, custom fields under custom_fields (every one, null when unset).</summary>
    public JsonObject ToV2(FakePerson p)
    {
        lock (_gate)
        {
            var custom = new JsonObject();
            foreach (var f in _fields.Where(f => f.Key.Length == 40)) custom[f.Key] = p.Custom.GetValueOrDefault(f.Key)?.DeepClone();
            return new JsonObject
            {
                ["id"] = p.Id, ["name"] = p.Name, ["first_name"] = p.FirstName, ["last_name"] = p.LastName, ["owner_id"] = p.OwnerId, ["org_id"] = p.OrgId,
                ["add_time"] = Rfc(p.AddTime), ["update_time"] = Rfc(p.UpdateTime), ["visible_to"] = 3, ["label_ids"] = new JsonArray(),
                ["emails"] = p.Email is null ? new JsonArray() : new JsonArray(new JsonObject { ["value"] = p.Email, ["primary"] = true, ["label"] = "work" }),
                ["phones"] = p.Phone is null ? new JsonArray() : new JsonArray(new JsonObject { ["value"] = p.Phone, ["primary"] = true, ["label"] = "work" }),
                ["custom_fields"] = custom,
            };
        }
    }

    public static JsonObject ToV2(FakeDeal d) => new()
    {
        ["id"] = d.Id, ["title"] = $"Deal {d.Id}", ["person_id"] = d.PersonId, ["org_id"] = null, ["stage_id"] = d.StageId, ["pipeline_id"] = 1,
        ["status"] = d.Status, ["value"] = 1000, ["currency"] = "EUR", ["update_time"] = Rfc(d.UpdateTime), ["add_time"] = Rfc(d.UpdateTime),
    };

    public static string Rfc(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
