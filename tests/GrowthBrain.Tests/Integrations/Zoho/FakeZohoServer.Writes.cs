using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace GrowthBrain.Tests.Integrations.Zoho;

/// <summary>The fake's writes: Update, Delete and Insert Records, one result per input in input order.</summary>
public sealed partial class FakeZohoServer
{
    private static readonly HashSet<string> SystemFields = ["id", "Modified_Time", "Created_Time", "Owner"];

    private async Task UpdateRecordsAsync(HttpContext http, string module, string body)
    {
        if (Parse(body)?["data"] is not JsonArray data) { await WriteAsync(http, 400, Error("INVALID_DATA", "body", new JsonObject())); return; }
        if (data.Count > MaxBatch) { await WriteAsync(http, 400, Error("LIMIT_EXCEEDED", "Record count exceeded", new JsonObject { ["limit"] = MaxBatch })); return; }
        var fields = Store.Fields(module).ToDictionary(f => f.ApiName, StringComparer.Ordinal);
        var results = new JsonArray();
        for (var i = 0; i < data.Count; i++)
        {
            var item = data[i] as JsonObject;
            var id = item?["id"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
            JsonObject Invalid(string message, string apiName) =>
                Error("INVALID_DATA", message, new JsonObject { ["api_name"] = apiName, ["json_path"] = $"$.data[{i}].{apiName}" });
            if (item is null || id is null)
            {
                results.Add(Error("MANDATORY_NOT_FOUND", "required field not found", new JsonObject { ["api_name"] = "id", ["json_path"] = $"$.data[{i}].id" }));
                continue;
            }
            lock (Store.Gate)
            {
                var record = Store.RawGet(module, id);
                if (record is null) { results.Add(Invalid("the id given seems to be invalid", "id")); continue; }
                if (RefuseIds.Contains(id)) { results.Add(Invalid("invalid data", item.Select(p => p.Key).FirstOrDefault(k => k != "id") ?? "id")); continue; }
                var problem = item.Where(p => p.Key != "id").Select(p => Check(fields, p.Key, p.Value)).FirstOrDefault(x => x is not null);
                if (problem is not null) { results.Add(Invalid(problem.Value.Message, problem.Value.Field)); continue; }
                foreach (var (k, value) in item.Where(p => p.Key != "id")) record.Fields[k] = value?.DeepClone();
                Store.Touch(record);
                results.Add(Success("record updated", record));
            }
        }
        await WriteAsync(http, StatusOf(results, allOk: 200), new JsonObject { ["data"] = results });
    }

    /// <summary>What Zoho would refuse in one value: a field the module does not have, or a value not of the field's type.</summary>
    private static (string Field, string Message)? Check(Dictionary<string, FakeZohoField> fields, string name, JsonNode? value)
    {
        if (SystemFields.Contains(name) && name != "Owner") return (name, "read only field");
        if (!fields.TryGetValue(name, out var field)) return (name, "the field api name given seems to be invalid");
        if (value is null) return null;
        var kind = value.GetValueKind();
        return field.DataType switch
        {
            "integer" when kind != JsonValueKind.Number || !value.AsValue().TryGetValue<long>(out _) => (name, "invalid data: expected integer"),
            "text" or "email" or "phone" or "picklist" when kind != JsonValueKind.String => (name, "invalid data: expected string"),
            "text" when value.GetValue<string>().Length > 255 => (name, "invalid data: maximum length 255"),
            "textarea" when kind != JsonValueKind.String || value.GetValue<string>().Length > 2000 => (name, "invalid data: maximum length 2000"),
            _ => null,
        };
    }

    private async Task DeleteRecordsAsync(HttpContext http, string module)
    {
        var ids = http.Request.Query["ids"].FirstOrDefault()?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (ids is null || ids.Length == 0)
        {
            await WriteAsync(http, 400, Error("REQUIRED_PARAM_MISSING", "One of the expected parameter is missing", new JsonObject { ["param_name"] = "ids" }));
            return;
        }
        if (ids.Length > MaxBatch) { await WriteAsync(http, 400, Error("LIMIT_EXCEEDED", "Record count exceeded", new JsonObject { ["limit"] = MaxBatch })); return; }
        var results = new JsonArray();
        foreach (var id in ids)
        {
            results.Add(Store.Delete(module, id)
                ? new JsonObject { ["status"] = "success", ["code"] = "SUCCESS", ["message"] = "record deleted", ["details"] = new JsonObject { ["id"] = id } }
                : Error("INVALID_DATA", "record not deleted", new JsonObject { ["id"] = id }));
        }
        await WriteAsync(http, StatusOf(results, allOk: 200), new JsonObject { ["data"] = results });
    }

    private async Task InsertAsync(HttpContext http, string module, string body, Func<JsonObject, int, JsonObject?> validate)
    {
        if (Parse(body)?["data"] is not JsonArray data) { await WriteAsync(http, 400, Error("INVALID_DATA", "body", new JsonObject())); return; }
        if (data.Count > MaxBatch) { await WriteAsync(http, 400, Error("LIMIT_EXCEEDED", "Record count exceeded", new JsonObject { ["limit"] = MaxBatch })); return; }
        var results = new JsonArray();
        for (var i = 0; i < data.Count; i++)
        {
            if (data[i] is not JsonObject item) { results.Add(Error("INVALID_DATA", "invalid data", new JsonObject { ["json_path"] = $"$.data[{i}]" })); continue; }
            if (validate(item, i) is { } error) { results.Add(error); continue; }
            var id = Store.Insert(module, item.ToDictionary(p => p.Key, p => p.Value));
            results.Add(Success("record added", Store.Get(module, id)!));
        }
        await WriteAsync(http, StatusOf(results, allOk: 201), new JsonObject { ["data"] = results });
    }

    /// <summary>A note needs a title or content and a parent record that exists, named with its module (v8's Parent_Id shape).</summary>
    private JsonObject? ValidateNote(JsonObject note, int i)
    {
        if (string.IsNullOrEmpty(Str(note["Note_Content"])) && string.IsNullOrEmpty(Str(note["Note_Title"])))
            return Error("EXPECTED_FIELD_MISSING", "should contain either content or title", new JsonObject
            {
                ["expected_fields"] = new JsonArray(new JsonObject { ["api_name"] = "Note_Content", ["json_path"] = $"$.data[{i}].Note_Content" }),
            });
        var parentModule = Str(note["Parent_Id"]?["module"]?["api_name"]);
        var parentId = Str(note["Parent_Id"]?["id"]);
        if (parentModule is null || parentId is null)
            return Error("MANDATORY_NOT_FOUND", "required field not found", new JsonObject { ["api_name"] = "Parent_Id", ["json_path"] = $"$.data[{i}].Parent_Id" });
        if (!FakeZohoStore.RecordModules.Contains(parentModule) || Store.Get(parentModule, parentId) is null)
            return Error("INVALID_DATA", "the related id given seems to be invalid", new JsonObject { ["api_name"] = "Parent_Id", ["json_path"] = $"$.data[{i}].Parent_Id" });
        return null;
    }

    /// <summary>A task needs a subject; a contact goes in Who_Id, any other record in What_Id with $se_module.</summary>
    private JsonObject? ValidateTask(JsonObject task, int i)
    {
        JsonObject Invalid(string field, string message = "invalid data") =>
            Error("INVALID_DATA", message, new JsonObject { ["api_name"] = field, ["json_path"] = $"$.data[{i}].{field}" });
        if (string.IsNullOrEmpty(Str(task["Subject"])))
            return Error("MANDATORY_NOT_FOUND", "required field not found", new JsonObject { ["api_name"] = "Subject", ["json_path"] = $"$.data[{i}].Subject" });
        if (task["Due_Date"] is { } due && !DateOnly.TryParseExact(Str(due), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            return Invalid("Due_Date");
        if (Str(task["Who_Id"]?["id"]) is { } who && Store.Get("Contacts", who) is null) return Invalid("Who_Id", "the related id given seems to be invalid");
        if (Str(task["What_Id"]?["id"]) is { } what)
        {
            var module = Str(task["$se_module"]);
            if (module is null) return Error("MANDATORY_NOT_FOUND", "required field not found", new JsonObject { ["api_name"] = "$se_module", ["json_path"] = $"$.data[{i}].$se_module" });
            if (!FakeZohoStore.RecordModules.Contains(module) || Store.Get(module, what) is null) return Invalid("What_Id", "the related id given seems to be invalid");
        }
        return null;
    }

    private JsonObject Success(string message, FakeZohoRecord record)
    {
        var by = new JsonObject { ["name"] = "Patricia Boyle", ["id"] = "4876876000000225013" };
        return new JsonObject
        {
            ["code"] = "SUCCESS", ["status"] = "success", ["message"] = message,
            ["details"] = new JsonObject
            {
                ["Modified_Time"] = Format(record.ModifiedTime), ["Modified_By"] = by, ["Created_Time"] = Format(record.CreatedTime),
                ["id"] = record.Id, ["Created_By"] = by.DeepClone(),
            },
        };
    }

    private static string? Str(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
