using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace GrowthBrain.Tests.Integrations.HubSpot;

/// <summary>
/// The fake's write side: batch read and update of contacts (at most 100 inputs; 207 with errors[] for unknown ids
/// and for the ids a test set to fail), batch create of notes and tasks with associations, GDPR delete and delete.
/// </summary>
internal static class FakeHubSpotBatchEndpoints
{
    public const int MaxInputs = 100;

    private static readonly Dictionary<string, int> ContactAssociation = new() { ["notes"] = 202, ["tasks"] = 204 };

    public static void Map(WebApplication app, FakeHubSpotServer server)
    {
        var store = server.Store;
        app.MapPost("/crm/v3/objects/contacts/batch/read", async (HttpContext http) =>
        {
            if (!await server.AllowedAsync(http, FakeHubSpotServer.ReadScope) || await InputsAsync(http) is not var (body, inputs)) return;
            var properties = (body["properties"] as JsonArray)?.Select(p => p!.GetValue<string>()).ToList() ?? [];
            var ids = inputs.Select(i => i?["id"]?.ToString() ?? "").ToList();
            var found = ids.Select(store.Find).OfType<FakeHubSpotContact>().ToList();
            var missing = ids.Where(id => store.Find(id) is null).ToList();
            await AnswerAsync(http, found.Select(c => FakeHubSpotSearch.Result(c, properties)),
                missing.Count == 0 ? [] : [NotFound(missing)], okStatus: 200);
        });

        app.MapPost("/crm/v3/objects/contacts/batch/update", async (HttpContext http) =>
        {
            if (!await server.AllowedAsync(http, FakeHubSpotServer.WriteScope) || await InputsAsync(http) is not var (_, inputs)) return;
            var updates = inputs.Select(i => (Id: i?["id"]?.ToString() ?? "", Properties: i?["properties"] as JsonObject ?? [])).ToList();
            if (updates.GroupBy(u => u.Id).Any(g => g.Count() > 1))
            {
                await FakeHubSpotErrors.WriteAsync(http, 400, FakeHubSpotErrors.Validation("Duplicate IDs found in batch input"));
                return;
            }
            // HubSpot checks every value before writing any: one invalid value refuses the whole batch.
            var invalid = updates.SelectMany(u => u.Properties.Select(p => store.Invalid(p.Key, p.Value?.ToString()))).OfType<string>().ToList();
            if (invalid.Count > 0)
            {
                await FakeHubSpotErrors.WriteAsync(http, 400, FakeHubSpotErrors.Validation("Property values were not valid: " + string.Join("; ", invalid.Distinct())));
                return;
            }
            var results = new List<JsonObject>();
            var errors = new List<JsonObject>();
            var missing = new List<string>();
            foreach (var (id, properties) in updates)
            {
                if (server.FailingUpdates.TryGetValue(id, out var failure))
                {
                    errors.Add(FakeHubSpotErrors.Error(failure.Message, failure.Category, new JsonObject { ["ids"] = new JsonArray(id) }));
                    continue;
                }
                if (store.Find(id) is not { } contact)
                {
                    missing.Add(id);
                    continue;
                }
                store.Update(contact, properties.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value?.ToString())));
                results.Add(FakeHubSpotSearch.Result(contact, properties.Select(p => p.Key)));
            }
            if (missing.Count > 0) errors.Add(NotFound(missing));
            await AnswerAsync(http, results, errors, okStatus: 200);
        });

        app.MapPost("/crm/v3/objects/{type}/batch/create", async (HttpContext http, string type) =>
        {
            if (!ContactAssociation.TryGetValue(type, out var associationType))
            {
                await FakeHubSpotErrors.WriteAsync(http, 404, FakeHubSpotErrors.NotFound($"Unknown object type {type}"));
                return;
            }
            if (!await server.AllowedAsync(http, FakeHubSpotServer.WriteScope) || await InputsAsync(http) is not var (_, inputs)) return;
            var problems = new List<string>();
            var creates = new List<(Dictionary<string, string?> Properties, List<(string, int)> Associations, string? Trace)>();
            foreach (var input in inputs)
            {
                var properties = (input?["properties"] as JsonObject ?? []).ToDictionary(p => p.Key, p => p.Value?.ToString());
                if (string.IsNullOrEmpty(properties.GetValueOrDefault("hs_timestamp"))) problems.Add("hs_timestamp is required");
                var associations = new List<(string, int)>();
                foreach (var a in input?["associations"] as JsonArray ?? [])
                {
                    var to = a?["to"]?["id"]?.ToString() ?? "";
                    foreach (var t in a?["types"] as JsonArray ?? [])
                    {
                        var typeId = t?["associationTypeId"]?.GetValue<int>() ?? 0;
                        if (t?["associationCategory"]?.ToString() != "HUBSPOT_DEFINED" || typeId != associationType)
                            problems.Add($"association type {t?["associationCategory"]}/{typeId} is not {type} to contact");
                        else if (store.Find(to) is null) problems.Add($"contact {to} does not exist");
                        else associations.Add((to, typeId));
                    }
                }
                creates.Add((properties, associations, input?["objectWriteTraceId"]?.ToString()));
            }
            if (problems.Count > 0)
            {
                await FakeHubSpotErrors.WriteAsync(http, 400, FakeHubSpotErrors.Validation("One or more associations or properties are invalid: " + string.Join("; ", problems)));
                return;
            }
            var results = creates.Select(c =>
            {
                var created = store.AddActivity(type, c.Properties, c.Associations);
                var result = new JsonObject
                {
                    ["id"] = created.Id, ["properties"] = new JsonObject(c.Properties.Select(p => new KeyValuePair<string, JsonNode?>(p.Key, p.Value))),
                    ["createdAt"] = FakeHubSpotStore.Iso(store.Now()), ["updatedAt"] = FakeHubSpotStore.Iso(store.Now()), ["archived"] = false,
                };
                if (c.Trace is not null) result["objectWriteTraceId"] = c.Trace;
                return result;
            }).ToList();
            // HubSpot does not promise results in input order; reversing them keeps clients from assuming it.
            results.Reverse();
            await AnswerAsync(http, results, [], okStatus: 201);
        });

        app.MapPost("/crm/v3/objects/contacts/gdpr-delete", async (HttpContext http) =>
        {
            if (!await server.AllowedAsync(http, FakeHubSpotServer.WriteScope)) return;
            var id = (await FakeHubSpotEndpoints.BodyAsync(http))?["objectId"]?.ToString() ?? "";
            if (!store.Delete(id))
            {
                await FakeHubSpotErrors.WriteAsync(http, 404, FakeHubSpotErrors.NotFound("resource not found"));
                return;
            }
            http.Response.StatusCode = 204;
        });

        app.MapDelete("/crm/v3/objects/{type}/{id}", async (HttpContext http, string type, string id) =>
        {
            if (!await server.AllowedAsync(http, FakeHubSpotServer.WriteScope)) return;
            var deleted = type == "contacts" ? store.Delete(id) : store.DeleteActivity(type, id);
            if (!deleted)
            {
                await FakeHubSpotErrors.WriteAsync(http, 404, FakeHubSpotErrors.NotFound("resource not found"));
                return;
            }
            http.Response.StatusCode = 204;
        });
    }

    private static JsonObject NotFound(IEnumerable<string> ids) =>
        FakeHubSpotErrors.NotFound("Could not get some CONTACT objects, they may be deleted or not exist. Check that ids are valid.", ids);

    /// <summary>The body's inputs, or null after answering 400 for a body without them or with more than 100.</summary>
    private static async Task<(JsonObject Body, JsonArray Inputs)?> InputsAsync(HttpContext http)
    {
        var body = await FakeHubSpotEndpoints.BodyAsync(http);
        if (body?["inputs"] is not JsonArray inputs)
        {
            await FakeHubSpotErrors.WriteAsync(http, 400, FakeHubSpotErrors.Validation("Invalid input JSON: inputs is required"));
            return null;
        }
        if (inputs.Count > MaxInputs)
        {
            await FakeHubSpotErrors.WriteAsync(http, 400, FakeHubSpotErrors.Validation($"Batch input limit of {MaxInputs} exceeded: {inputs.Count} inputs"));
            return null;
        }
        return (body, inputs);
    }

    /// <summary>200 (or 201) when nothing failed, 207 with numErrors and errors[] when something did.</summary>
    private static Task AnswerAsync(HttpContext http, IEnumerable<JsonObject> results, List<JsonObject> errors, int okStatus)
    {
        var now = FakeHubSpotStore.Iso(DateTimeOffset.UtcNow);
        var body = new JsonObject
        {
            ["status"] = "COMPLETE", ["results"] = new JsonArray(results.Select(r => (JsonNode)r).ToArray()), ["startedAt"] = now, ["completedAt"] = now,
        };
        if (errors.Count == 0) return FakeHubSpotErrors.WriteAsync(http, okStatus, body);
        body["numErrors"] = errors.Count;
        body["errors"] = new JsonArray(errors.Select(e => (JsonNode)e).ToArray());
        return FakeHubSpotErrors.WriteAsync(http, 207, body);
    }
}
