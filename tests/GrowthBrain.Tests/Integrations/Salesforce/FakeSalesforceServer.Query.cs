using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace GrowthBrain.Tests.Integrations.Salesforce;

/// <summary>The fake's read routes: describe, and query with Salesforce's batches and query locators.</summary>
public sealed partial class FakeSalesforceServer
{
    private readonly ConcurrentDictionary<string, Locator> _locators = new();
    private int _nextLocator;

    /// <summary>A query's result set, as the server keeps it behind a locator: the ids matched when the query ran.</summary>
    private sealed class Locator(FakeSalesforceSoql query, IReadOnlyList<string> ids, int batch)
    {
        public FakeSalesforceSoql Query { get; } = query;
        public IReadOnlyList<string> Ids { get; } = ids;
        public int Batch { get; } = batch;
        public DateTimeOffset LastUsed { get; set; }
    }

    /// <summary>Every open query locator is gone, as after 15 idle minutes: INVALID_QUERY_LOCATOR.</summary>
    public void ExpireQueryLocators() => _locators.Clear();

    private Task DescribeAsync(HttpContext http, string type)
    {
        if (!Store.HasObject(type)) return WriteAsync(http, 404, Errors("NOT_FOUND", $"The requested resource does not exist"));
        var fields = new JsonArray();
        foreach (var f in Store.Fields(type))
        {
            fields.Add(new JsonObject
            {
                ["name"] = f.Name, ["label"] = f.Label, ["type"] = f.Type, ["length"] = f.Length, ["updateable"] = f.Updateable, ["createable"] = f.Updateable,
                ["custom"] = f.Custom, ["nillable"] = f.Name != "LastName", ["relationshipName"] = f.RelationshipName,
                ["picklistValues"] = new JsonArray(f.Picklist.Select(p => (JsonNode)new JsonObject { ["active"] = true, ["defaultValue"] = false, ["label"] = p, ["value"] = p }).ToArray()),
            });
        }
        return WriteAsync(http, 200, new JsonObject { ["name"] = type, ["label"] = type, ["custom"] = false, ["queryable"] = true, ["fields"] = fields });
    }

    private Task QueryAsync(HttpContext http, string version)
    {
        var q = http.Request.Query["q"].FirstOrDefault();
        if (string.IsNullOrWhiteSpace(q)) return WriteAsync(http, 400, Errors("MALFORMED_QUERY", "A query string has to be specified"));
        FakeSalesforceSoql soql;
        try
        {
            soql = FakeSalesforceSoql.Parse(q, Store);
        }
        catch (FakeSoqlException e)
        {
            return WriteAsync(http, 400, Errors(e.Code, e.Message));
        }
        List<string> ids;
        lock (Store.Gate)
        {
            var matched = Store.Ordered(soql.Object).Where(r => soql.Matches(f => Value(r, f)));
            if (soql.OrderBy.Count > 0 && !(soql.OrderBy is ["LastModifiedDate", "Id"]))
                matched = soql.OrderBy.Aggregate((IOrderedEnumerable<FakeSalesforceRecord>?)null, (o, f) =>
                    o is null ? matched.OrderBy(r => Value(r, f), ValueOrder.Instance) : o.ThenBy(r => Value(r, f), ValueOrder.Instance))!;
            ids = matched.Select(r => r.Id).Take(soql.Limit ?? int.MaxValue).ToList();
        }
        var locator = new Locator(soql, ids, BatchSize(http)) { LastUsed = Clock.GetUtcNow() };
        var id = $"01gDn{Interlocked.Increment(ref _nextLocator):D10}AAA";
        _locators[id] = locator;
        return PageAsync(http, version, id, locator, 0);
    }

    private Task QueryMoreAsync(HttpContext http, string version, string locatorAndPosition)
    {
        var dash = locatorAndPosition.LastIndexOf('-');
        if (dash < 0 || !int.TryParse(locatorAndPosition[(dash + 1)..], CultureInfo.InvariantCulture, out var position)
            || !_locators.TryGetValue(locatorAndPosition[..dash], out var locator) || Clock.GetUtcNow() - locator.LastUsed > LocatorLifetime)
            return WriteAsync(http, 400, Errors("INVALID_QUERY_LOCATOR", "invalid query locator"));
        locator.LastUsed = Clock.GetUtcNow();
        return PageAsync(http, version, locatorAndPosition[..dash], locator, position);
    }

    /// <summary>Sforce-Query-Options: batchSize=n, 200 to 2,000 (outside that, the default 2,000), never above this fake's ceiling.</summary>
    private int BatchSize(HttpContext http)
    {
        var header = http.Request.Headers["Sforce-Query-Options"].FirstOrDefault() ?? "";
        var asked = header.Split(',', StringSplitOptions.TrimEntries).Where(p => p.StartsWith("batchSize=", StringComparison.OrdinalIgnoreCase))
            .Select(p => int.TryParse(p["batchSize=".Length..], CultureInfo.InvariantCulture, out var n) ? n : 0).FirstOrDefault();
        return Math.Min(asked is >= 200 and <= 2000 ? asked : 2000, MaxBatchSize);
    }

    private Task PageAsync(HttpContext http, string version, string id, Locator locator, int position)
    {
        var records = new JsonArray();
        var slice = locator.Ids.Skip(position).Take(locator.Batch).ToList();
        lock (Store.Gate)
            foreach (var recordId in slice)
                if (Store.RawGet(locator.Query.Object, recordId) is { } r) records.Add(Render(r, locator.Query.Fields, version));
        var next = position + slice.Count;
        var done = next >= locator.Ids.Count;
        if (done) _locators.TryRemove(id, out _);
        var body = new JsonObject { ["totalSize"] = locator.Ids.Count, ["done"] = done };
        if (!done) body["nextRecordsUrl"] = $"/services/data/{version}/query/{id}-{next}";
        body["records"] = records;
        return WriteAsync(http, 200, body);
    }

    private JsonObject Render(FakeSalesforceRecord r, IReadOnlyList<string> fields, string version)
    {
        var o = new JsonObject { ["attributes"] = new JsonObject { ["type"] = r.Type, ["url"] = $"/services/data/{version}/sobjects/{r.Type}/{r.Id}" } };
        foreach (var f in fields)
        {
            if (f.Contains('.'))
            {
                var (rel, sub) = (f.Split('.')[0], f.Split('.')[1]);
                var relField = Store.Fields(r.Type).First(x => string.Equals(x.RelationshipName, rel, StringComparison.OrdinalIgnoreCase));
                var target = r.Text(relField.Name);
                if (target is not null && Store.RelationshipTarget(rel) is { } targetType)
                {
                    // The related record's fields, gathered into one nested object as Salesforce nests them.
                    if (Store.RawGet(targetType, target) is not { } related) { o[rel] = null; continue; }
                    if (o[rel] is not JsonObject nested) o[rel] = nested = new JsonObject { ["attributes"] = new JsonObject { ["type"] = targetType } };
                    var subName = Store.Field(targetType, sub)!.Name;
                    nested[subName] = Json(Value(related, subName));
                    continue;
                }
                o[rel] = target is null ? null : new JsonObject
                {
                    ["attributes"] = new JsonObject { ["type"] = rel == "Owner" ? "User" : rel }, ["Id"] = target,
                    ["Name"] = target == FakeSalesforceStore.OwnerId ? FakeSalesforceStore.OwnerName : $"{rel} {target}",
                };
                continue;
            }
            var name = Store.Field(r.Type, f)!.Name;
            o[name] = Json(Value(r, name));
        }
        return o;
    }

    private static JsonNode? Json(object? value) => value switch
    {
        DateTimeOffset at => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture),
        JsonNode node => node.DeepClone(),
        bool b => JsonValue.Create(b),
        decimal d => JsonValue.Create(d),
        string t => JsonValue.Create(t),
        _ => null,
    };

    /// <summary>A field as SOQL compares it: date-times as instants, numbers as decimals, relationship names, compound addresses.</summary>
    private static object? Value(FakeSalesforceRecord r, string field)
    {
        switch (field.ToLowerInvariant())
        {
            case "id": return r.Id;
            case "lastmodifieddate" or "systemmodstamp": return r.LastModifiedDate;
            case "createddate": return r.CreatedDate;
            case "isdeleted": return false;
            case "name" when r.Type is "Lead" or "Contact": return $"{r.Text("FirstName")} {r.Text("LastName")}".Trim();
            case "address" or "mailingaddress":
                var city = r.Text(field.StartsWith("mailing", StringComparison.OrdinalIgnoreCase) ? "MailingCity" : "City");
                return city is null ? null : new JsonObject { ["city"] = city, ["country"] = r.Text("Country"), ["street"] = null };
            case "owner.name": return r.Text("OwnerId") == FakeSalesforceStore.OwnerId ? FakeSalesforceStore.OwnerName : null;
        }
        if (!r.Fields.TryGetValue(field, out var node) || node is null) return null;
        if (node is not JsonValue value) return node;
        if (value.TryGetValue<bool>(out var b)) return b;
        if (value.TryGetValue<decimal>(out var d)) return d;
        if (value.TryGetValue<int>(out var i)) return (decimal)i;
        if (value.TryGetValue<double>(out var dbl)) return (decimal)dbl;
        return value.ToString();
    }

    private sealed class ValueOrder : IComparer<object?>
    {
        public static readonly ValueOrder Instance = new();

        public int Compare(object? x, object? y) => (x, y) switch
        {
            (null, null) => 0,
            (null, _) => -1,
            (_, null) => 1,
            (DateTimeOffset a, DateTimeOffset b) => a.CompareTo(b),
            (decimal a, decimal b) => a.CompareTo(b),
            _ => string.CompareOrdinal(Convert.ToString(x, CultureInfo.InvariantCulture), Convert.ToString(y, CultureInfo.InvariantCulture)),
        };
    }
}
