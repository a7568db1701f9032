using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace GrowthBrain.Tests.Integrations.Salesforce;

/// <summary>The fake's write routes: sObject Collections update and create (SaveResults per record), sObject delete.</summary>
public sealed partial class FakeSalesforceServer
{
    public const int MaxCollection = 200;

    private Task UpdateAsync(HttpContext http, string body) => CollectionAsync(http, body, create: false);

    private Task CreateAsync(HttpContext http, string body) => CollectionAsync(http, body, create: true);

    private async Task CollectionAsync(HttpContext http, string body, bool create)
    {
        JsonObject request;
        try
        {
            request = JsonNode.Parse(body) as JsonObject ?? throw new JsonException();
        }
        catch (JsonException)
        {
            await WriteAsync(http, 400, Errors("JSON_PARSER_ERROR", "Unexpected character: was expecting a JSON object"));
            return;
        }
        if (request["records"] is not JsonArray records) { await WriteAsync(http, 400, Errors("INVALID_FIELD", "records is required")); return; }
        if (records.Count > MaxCollection)
        {
            await WriteAsync(http, 400, Errors("EXCEEDED_ID_LIMIT", "record limit reached. cannot submit more than 200 records into this call"));
            return;
        }
        var allOrNone = request["allOrNone"]?.GetValue<bool>() ?? false;
        // A field the object does not have fails the whole call, before any record is looked at.
        foreach (var record in records.OfType<JsonObject>())
        {
            var type = record["attributes"]?["type"]?.GetValue<string>();
            if (type is null || !Store.HasObject(type)) { await WriteAsync(http, 400, Errors("INVALID_TYPE", $"sObject type '{type}' is not supported.")); return; }
            foreach (var (name, _) in record)
                if (name is not ("attributes" or "id" or "Id") && Store.Field(type, name) is null)
                {
                    await WriteAsync(http, 400, Errors("INVALID_FIELD", $"No such column '{name}' on sobject of type {type}"));
                    return;
                }
        }
        var results = new JsonArray();
        var failed = false;
        lock (Store.Gate)
        {
            var planned = new List<Action>();
            foreach (var record in records.OfType<JsonObject>())
            {
                var type = record["attributes"]!["type"]!.GetValue<string>();
                var id = record["id"]?.GetValue<string>() ?? record["Id"]?.GetValue<string>();
                var error = create ? CheckCreate(type, id, record) : CheckUpdate(type, id, record);
                if (error is not null)
                {
                    failed = true;
                    results.Add(new JsonObject { ["id"] = create ? null : id, ["success"] = false, ["errors"] = new JsonArray(error) });
                    continue;
                }
                var values = record.Where(p => p.Key is not ("attributes" or "id" or "Id")).ToDictionary(p => p.Key, p => p.Value?.DeepClone());
                var result = new JsonObject { ["id"] = id, ["success"] = true, ["errors"] = new JsonArray() };
                results.Add(result);
                planned.Add(() =>
                {
                    if (create) result["id"] = Store.Create(type, values);
                    else
                    {
                        var r = Store.RawGet(type, id!)!;
                        foreach (var (k, v) in values) r.Fields[k] = v;
                        Store.Touch(r);
                    }
                });
            }
            if (allOrNone && failed)
            {
                foreach (var r in results.OfType<JsonObject>().Where(r => r["success"]!.GetValue<bool>()))
                {
                    r["success"] = false;
                    r["errors"] = new JsonArray(Error("ALL_OR_NONE_OPERATION_ROLLED_BACK", "Record rolled back because not all records were valid and the request was using AllOrNone header"));
                }
            }
            else planned.ForEach(p => p());
        }
        await WriteAsync(http, 200, results);
    }

    private JsonObject? CheckUpdate(string type, string? id, JsonObject record)
    {
        if (id is null) return Error("MISSING_ARGUMENT", "Id not specified in an update call", "Id");
        if (Store.RawGet(type, id) is null)
            return Store.WasDeleted(id)
                ? Error("ENTITY_IS_DELETED", "entity is deleted")
                : Error("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id");
        if (RefuseIds.TryGetValue(id, out var refusal)) return Error(refusal.Code, refusal.Message);
        return CheckValues(type, record);
    }

    private JsonObject? CheckCreate(string type, string? id, JsonObject record)
    {
        if (id is not null) return Error("INVALID_FIELD", "cannot specify Id in an insert call", "Id");
        if (type == "Task")
        {
            var who = record["WhoId"]?.GetValue<string>();
            if (who is not null && (Store.TypeOf(who) is not ("Lead" or "Contact")))
                return Error("INVALID_CROSS_REFERENCE_KEY", "Name ID: id value of incorrect type: " + who, "WhoId");
        }
        return CheckValues(type, record);
    }

    private JsonObject? CheckValues(string type, JsonObject record)
    {
        foreach (var (name, value) in record)
        {
            if (name is "attributes" or "id" or "Id") continue;
            var field = Store.Field(type, name)!;
            if (!field.Updateable) return Error("INVALID_FIELD_FOR_INSERT_UPDATE", $"Unable to create/update fields: {field.Name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.", field.Name);
            if (value is null) continue;
            if (field.Type is "double" or "currency" or "int" && value.GetValueKind() != JsonValueKind.Number)
                return Error("INVALID_TYPE_ON_FIELD_IN_RECORD", $"{field.Label}: value not of required type: {value.ToJsonString()}", field.Name);
            if (field.Length > 0 && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Length > field.Length)
                return Error("STRING_TOO_LONG", $"{field.Label}: data value too large: {value.GetValue<string>()[..20]}... (max length={field.Length})", field.Name);
            if (field.Type == "picklist" && field.Picklist.Length > 0 && !field.Picklist.Contains(value.GetValue<string>()))
                return Error("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", $"{field.Label}: bad value for restricted picklist field: {value.GetValue<string>()}", field.Name);
        }
        return null;
    }

    private Task DeleteAsync(HttpContext http, string type, string id)
    {
        if (!Store.HasObject(type)) return WriteAsync(http, 404, Errors("NOT_FOUND", "The requested resource does not exist"));
        if (Store.Delete(type, id, out var wasDeleted))
        {
            http.Response.StatusCode = 204;
            return Task.CompletedTask;
        }
        return WriteAsync(http, 404, wasDeleted ? Errors("ENTITY_IS_DELETED", "entity is deleted") : Errors("NOT_FOUND", "The requested resource does not exist"));
    }

    private static JsonObject Error(string code, string message, params string[] fields) =>
        new() { ["statusCode"] = code, ["message"] = message, ["fields"] = new JsonArray(fields.Select(f => (JsonNode)f).ToArray()) };
}
