using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace GrowthBrain.Tests.Integrations.Pipedrive;

public sealed partial class FakePipedriveServer
{
    private const int MaxLimit = 500;
    private static readonly HashSet<string> FieldTypes = ["varchar", "varchar_auto", "text", "double", "monetary", "date", "set", "enum", "user", "org", "people", "phone", "time", "timerange", "daterange", "address"];

    private async Task RouteAsync(HttpContext http, string path, string body)
    {
        var method = http.Request.Method;
        var q = http.Request.Query;
        var parts = path.Trim('/').Split('/');
        switch (method, path)
        {
            case ("GET", "/v1/users/me"):
                await Ok(http, new JsonObject { ["id"] = 1, ["name"] = "Mia Owner", ["email"] = "mia@acme.example", ["company_id"] = 77, ["company_name"] = "Acme Sales", ["company_domain"] = "acme" });
                return;
            case ("GET", "/v1/users"):
                await Ok(http, new JsonArray(Store.Users.Select(u => (JsonNode)new JsonObject { ["id"] = u.Key, ["name"] = u.Value }).ToArray()));
                return;
            case ("GET", "/v1/personFields"):
                await PersonFieldsAsync(http);
                return;
            case ("POST", "/v1/personFields"):
                await CreateFieldAsync(http, body);
                return;
            case ("GET", "/api/v2/persons"):
                await ListAsync(http, q["ids"].FirstOrDefault() is { } ids
                    ? Store.Persons(p => Ids(ids).Contains(p.Id)).Select(p => (p.UpdateTime, p.Id, (JsonNode)Store.ToV2(p))).ToList()
                    : Store.Persons(p => Since(q, p.UpdateTime)).Select(p => (p.UpdateTime, p.Id, (JsonNode)Store.ToV2(p))).ToList());
                return;
            case ("GET", "/api/v2/deals"):
                await ListAsync(http, Store.Deals(d => Since(q, d.UpdateTime) && (q["status"].FirstOrDefault() is { } s ? d.Status == s : d.Status != "deleted")
                                                       && (q["person_id"].FirstOrDefault() is not { } pid || d.PersonId?.ToString(CultureInfo.InvariantCulture) == pid))
                    .Select(d => (d.UpdateTime, d.Id, (JsonNode)FakePipedriveStore.ToV2(d))).ToList());
                return;
            case ("GET", "/api/v2/stages"):
                await ListAsync(http, Store.Stages.Select(s => (DateTimeOffset.MinValue, s.Key, (JsonNode)new JsonObject { ["id"] = s.Key, ["name"] = s.Value, ["pipeline_id"] = 1 })).ToList());
                return;
            case ("GET", "/api/v2/organizations"):
                var orgIds = Ids(q["ids"].FirstOrDefault() ?? "");
                await ListAsync(http, Store.Organizations.Where(o => orgIds.Count == 0 || orgIds.Contains(o.Key))
                    .Select(o => (DateTimeOffset.MinValue, o.Key, (JsonNode)new JsonObject { ["id"] = o.Key, ["name"] = o.Value })).ToList());
                return;
            case ("POST", "/v1/notes"):
            case ("POST", "/v1/activities"):
                await CreateActivityAsync(http, parts[1], body);
                return;
        }
        if (parts.Length == 4 && parts[0] == "api" && parts[2] == "persons" && long.TryParse(parts[3], CultureInfo.InvariantCulture, out var personId))
        {
            if (method == "PATCH") await PatchPersonAsync(http, personId, body);
            else if (method == "DELETE") await (Store.Delete(personId) ? Ok(http, new JsonObject { ["id"] = personId }) : WriteAsync(http, 404, Error("Person not found", 404)));
            else await WriteAsync(http, 405, Error("Method not allowed", 405));
            return;
        }
        if (parts.Length == 3 && parts[0] == "v1" && parts[1] is "notes" or "activities" && method == "DELETE" && long.TryParse(parts[2], CultureInfo.InvariantCulture, out var activityId))
        {
            bool removed;
            lock (Store.Activities) removed = Store.Activities.RemoveAll(a => a.Id == activityId) > 0;
            await (removed ? Ok(http, new JsonObject { ["id"] = activityId }) : WriteAsync(http, 404, Error("Item not found", 404)));
            return;
        }
        await WriteAsync(http, 404, Error("Unknown method .", 404));
    }

    private static HashSet<long> Ids(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToHashSet();

    private static bool Since(IQueryCollection q, DateTimeOffset updated) =>
        q["updated_since"].FirstOrDefault() is not { } s || updated >= DateTimeOffset.Parse(s, CultureInfo.InvariantCulture);

    /// <summary>v2 cursor paging: items in (update_time, id) order; the cursor is an opaque marker of the last item given.</summary>
    private static async Task ListAsync(HttpContext http, List<(DateTimeOffset Updated, long Id, JsonNode Item)> items)
    {
        var q = http.Request.Query;
        var limit = q["limit"].FirstOrDefault() is { } l ? int.Parse(l, CultureInfo.InvariantCulture) : 100;
        if (limit is < 1 or > MaxLimit)
        {
            await WriteAsync(http, 400, new JsonObject { ["success"] = false, ["error"] = $"Validation failed: limit: Parameter 'limit' must be less than or equal to {MaxLimit}", ["code"] = "ERR_SCHEMA_VALIDATION_FAILED" });
            return;
        }
        var byUpdate = q["sort_by"].FirstOrDefault() == "update_time";
        var ordered = byUpdate ? items.OrderBy(i => i.Updated).ThenBy(i => i.Id).ToList() : items.OrderBy(i => i.Id).ToList();
        if (q["cursor"].FirstOrDefault() is { } cursor)
        {
            string[] mark;
            try
            {
                mark = Encoding.UTF8.GetString(Convert.FromBase64String(cursor)).Split(':');
            }
            catch (FormatException)
            {
                await WriteAsync(http, 400, new JsonObject { ["success"] = false, ["error"] = "Invalid cursor", ["code"] = "ERR_SCHEMA_VALIDATION_FAILED" });
                return;
            }
            var (ticks, id) = (long.Parse(mark[0], CultureInfo.InvariantCulture), long.Parse(mark[1], CultureInfo.InvariantCulture));
            ordered = ordered.Where(i => byUpdate ? i.Updated.UtcTicks > ticks || i.Updated.UtcTicks == ticks && i.Id > id : i.Id > id).ToList();
        }
        var page = ordered.Take(limit).ToList();
        var next = ordered.Count > limit
            ? Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{page[^1].Updated.UtcTicks}:{page[^1].Id}")))
            : null;
        await WriteAsync(http, 200, new JsonObject
        {
            ["success"] = true, ["data"] = new JsonArray(page.Select(p => p.Item.DeepClone()).ToArray()),
            ["additional_data"] = new JsonObject { ["next_cursor"] = next },
        });
    }

    /// <summary>v1 paging: start and limit (at most 500), additional_data.pagination says whether more follow.</summary>
    private async Task PersonFieldsAsync(HttpContext http)
    {
        var q = http.Request.Query;
        var start = q["start"].FirstOrDefault() is { } s ? int.Parse(s, CultureInfo.InvariantCulture) : 0;
        var limit = Math.Min(MaxLimit, q["limit"].FirstOrDefault() is { } l ? int.Parse(l, CultureInfo.InvariantCulture) : 100);
        var fields = Store.Fields;
        var page = fields.Skip(start).Take(limit).Select(f => (JsonNode)new JsonObject
        {
            ["id"] = f.Id, ["key"] = f.Key, ["name"] = f.Name, ["field_type"] = f.Type, ["edit_flag"] = f.Key.Length == 40,
            ["options"] = f.Options.Count == 0 ? null : new JsonArray(f.Options.Select(o => (JsonNode)new JsonObject { ["id"] = o.Id, ["label"] = o.Label }).ToArray()),
        }).ToArray();
        var more = start + limit < fields.Count;
        await WriteAsync(http, 200, new JsonObject
        {
            ["success"] = true, ["data"] = new JsonArray(page),
            ["additional_data"] = new JsonObject { ["pagination"] = new JsonObject { ["start"] = start, ["limit"] = limit, ["more_items_in_collection"] = more, ["next_start"] = more ? start + limit : null } },
        });
    }

    private async Task CreateFieldAsync(HttpContext http, string body)
    {
        if (!AllowFieldCreation)
        {
            await WriteAsync(http, 403, Error("You do not have permissions to create custom fields", 403));
            return;
        }
        var request = Parse(body);
        var name = request?["name"]?.GetValue<string>();
        var type = request?["field_type"]?.GetValue<string>();
        if (string.IsNullOrWhiteSpace(name) || type is null || !FieldTypes.Contains(type))
        {
            await WriteAsync(http, 400, Error("Invalid field_type or name", 400));
            return;
        }
        var field = Store.AddField(name, type);
        await Ok(http, new JsonObject { ["id"] = field.Id, ["key"] = field.Key, ["name"] = field.Name, ["field_type"] = field.Type });
    }

    /// <summary>v2 update: custom fields under custom_fields, strictly typed (a number field takes numbers only).</summary>
    private async Task PatchPersonAsync(HttpContext http, long id, string body)
    {
        var person = Store.Person(id.ToString(CultureInfo.InvariantCulture));
        if (person is null)
        {
            await WriteAsync(http, 404, Error("Person not found", 404));
            return;
        }
        if (RefuseIds.Contains(id.ToString(CultureInfo.InvariantCulture)))
        {
            await WriteAsync(http, 400, Error("Validation failed: this person is locked by a workflow", 400));
            return;
        }
        var custom = Parse(body)?["custom_fields"] as JsonObject;
        var fields = Store.Fields.ToDictionary(f => f.Key);
        foreach (var (key, value) in custom ?? [])
        {
            if (!fields.TryGetValue(key, out var field))
            {
                await WriteAsync(http, 400, Error($"Validation failed: custom_fields: Custom field with key '{key}' does not exist", 400));
                return;
            }
            if (field.Type == "double" && value is not null && value.GetValueKind() != JsonValueKind.Number)
            {
                await WriteAsync(http, 400, Error($"Validation failed: custom_fields.{key}: must be a number", 400));
                return;
            }
        }
        Store.Touch(id.ToString(CultureInfo.InvariantCulture), p =>
        {
            foreach (var (key, value) in custom ?? []) p.Custom[key] = value?.DeepClone();
        });
        await Ok(http, Store.ToV2(Store.Person(id.ToString(CultureInfo.InvariantCulture))!));
    }

    private async Task CreateActivityAsync(HttpContext http, string kind, string body)
    {
        var request = Parse(body) as JsonObject;
        var personId = request?["person_id"] is JsonValue v && v.TryGetValue<long>(out var pid) ? pid : (long?)null;
        var missing = kind == "notes" ? request?["content"] is null : request?["subject"] is null;
        if (request is null || missing || personId is null || Store.Person(personId.Value.ToString(CultureInfo.InvariantCulture)) is null)
        {
            await WriteAsync(http, 400, Error(personId is null || missing ? "Bad request: content/subject and person_id are required" : "Person not found", 400));
            return;
        }
        var activity = new FakeActivity(Store.NextId(), kind, personId.Value, request);
        lock (Store.Activities) Store.Activities.Add(activity);
        var data = (JsonObject)request.DeepClone();
        data["id"] = activity.Id;
        http.Response.StatusCode = 201;
        await WriteAsync(http, 201, new JsonObject { ["success"] = true, ["data"] = data });
    }

    private static JsonNode? Parse(string body)
    {
        try
        {
            return JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Task Ok(HttpContext http, JsonNode data) => WriteAsync(http, 200, new JsonObject { ["success"] = true, ["data"] = data });
}
