using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace GrowthBrain.Tests.Integrations.HubSpot;

/// <summary>The fake's read side and metadata: account details, properties and groups, listing and searching contacts.</summary>
internal static class FakeHubSpotEndpoints
{
    public static void Map(WebApplication app, FakeHubSpotServer server)
    {
        var store = server.Store;
        app.MapGet("/account-info/v3/details", (HttpContext http) => FakeHubSpotErrors.WriteAsync(http, 200, new JsonObject
        {
            ["portalId"] = FakeHubSpotServer.PortalId, ["accountType"] = "STANDARD", ["timeZone"] = "US/Eastern", ["companyCurrency"] = "USD",
            ["uiDomain"] = "app.hubspot.com", ["dataHostingLocation"] = "na1",
        }));

        app.MapGet("/crm/v3/properties/contacts", async (HttpContext http) =>
        {
            if (!await server.AllowedAsync(http, FakeHubSpotServer.SchemaReadScope)) return;
            await FakeHubSpotErrors.WriteAsync(http, 200, new JsonObject { ["results"] = new JsonArray(store.Properties().Select(p => (JsonNode)p).ToArray()) });
        });

        app.MapGet("/crm/v3/properties/contacts/{name}", async (HttpContext http, string name) =>
        {
            if (!await server.AllowedAsync(http, FakeHubSpotServer.SchemaReadScope)) return;
            await (store.Property(name) is { } p
                ? FakeHubSpotErrors.WriteAsync(http, 200, p)
                : FakeHubSpotErrors.WriteAsync(http, 404, FakeHubSpotErrors.NotFound($"Unable to find property with name {name} for object type 0-1")));
        });

        app.MapPost("/crm/v3/properties/contacts/groups", async (HttpContext http) =>
        {
            if (!await server.AllowedAsync(http, FakeHubSpotServer.SchemaWriteScope)) return;
            var body = await BodyAsync(http);
            var name = body?["name"]?.GetValue<string>();
            if (string.IsNullOrEmpty(name) || body?["label"] is null)
            {
                await FakeHubSpotErrors.WriteAsync(http, 400, FakeHubSpotErrors.Validation("name and label are required"));
                return;
            }
            if (!store.AddGroup(name))
            {
                await FakeHubSpotErrors.WriteAsync(http, 409, FakeHubSpotErrors.Error($"A property group named '{name}' already exists.", "OBJECT_ALREADY_EXISTS"));
                return;
            }
            await FakeHubSpotErrors.WriteAsync(http, 201, new JsonObject { ["name"] = name, ["label"] = body!["label"]!.DeepClone(), ["displayOrder"] = -1, ["archived"] = false });
        });

        app.MapPost("/crm/v3/properties/contacts", async (HttpContext http) =>
        {
            if (!await server.AllowedAsync(http, FakeHubSpotServer.SchemaWriteScope)) return;
            var body = await BodyAsync(http);
            if (body is null || Text(body, "name") is not { } name || Text(body, "label") is null || Text(body, "type") is not { } type
                || Text(body, "fieldType") is null || Text(body, "groupName") is not { } group)
            {
                await FakeHubSpotErrors.WriteAsync(http, 400, FakeHubSpotErrors.Validation("name, label, type, fieldType and groupName are required"));
                return;
            }
            if (store.Property(name) is not null)
            {
                await FakeHubSpotErrors.WriteAsync(http, 409, FakeHubSpotErrors.Error($"Property {name} already exists", "OBJECT_ALREADY_EXISTS"));
                return;
            }
            if (!store.HasGroup(group) || type is not ("string" or "number" or "date" or "datetime" or "enumeration" or "bool")
                || type == "enumeration" && body["options"] is not JsonArray { Count: > 0 })
            {
                await FakeHubSpotErrors.WriteAsync(http, 400, FakeHubSpotErrors.Validation($"Invalid property definition for {name} (group {group}, type {type})"));
                return;
            }
            var definition = FakeHubSpotStore.Definition(name, type, Text(body, "fieldType")!, group);
            foreach (var (key, value) in body) definition[key] = value?.DeepClone();
            store.AddProperty(definition);
            await FakeHubSpotErrors.WriteAsync(http, 201, definition.DeepClone());
        });

        app.MapGet("/crm/v3/objects/contacts", async (HttpContext http) =>
        {
            if (!await server.AllowedAsync(http, FakeHubSpotServer.ReadScope)) return;
            var limit = int.TryParse(http.Request.Query["limit"], out var l) ? Math.Clamp(l, 1, 100) : 10;
            var properties = http.Request.Query["properties"].SelectMany(p => p!.Split(',')).ToList();
            var page = store.AllContacts().OrderBy(c => c.Id).Take(limit).Select(c => (JsonNode)FakeHubSpotSearch.Result(c, properties)).ToArray();
            await FakeHubSpotErrors.WriteAsync(http, 200, new JsonObject { ["results"] = new JsonArray(page) });
        });

        app.MapPost("/crm/v3/objects/contacts/search", async (HttpContext http) =>
        {
            if (!await server.AllowedAsync(http, FakeHubSpotServer.ReadScope)) return;
            if (await BodyAsync(http) is not { } body)
            {
                await FakeHubSpotErrors.WriteAsync(http, 400, FakeHubSpotErrors.Validation("Invalid input JSON"));
                return;
            }
            var (status, answer) = server.Search.Search(body);
            await FakeHubSpotErrors.WriteAsync(http, status, answer);
        });

        FakeHubSpotBatchEndpoints.Map(app, server);
    }

    public static async Task<JsonObject?> BodyAsync(HttpContext http)
    {
        try
        {
            return await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    public static string? Text(JsonObject o, string name) => o[name] is JsonValue v ? v.ToString() : null;

    public static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
