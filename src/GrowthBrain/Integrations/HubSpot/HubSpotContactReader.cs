using System.Globalization;
using System.Text.Json.Nodes;

namespace GrowthBrain.Integrations.HubSpot;

/// <summary>
/// Reads contacts: pages of the CRM search API in modification order (see <see cref="HubSpotPullCursor"/> for how the
/// 10,000-results cap is crossed), or the records a webhook named through batch/read.
/// </summary>
internal sealed class HubSpotContactReader(HubSpotApiClient api)
{
    /// <summary>HubSpot's caps: 200 results per search page, 10,000 per search query, 100 inputs per batch read.</summary>
    public const int MaxSearchPage = 200;
    public const int MaxSearchResults = 10_000;
    public const int MaxBatchRead = 100;

    private const string Modified = "lastmodifieddate";
    private const string Id = "hs_object_id";

    public async Task<CrmPage> SearchAsync(HubSpotOptions credentials, CrmPullRequest request, CancellationToken ct)
    {
        var cursor = request.Cursor is null ? HubSpotPullCursor.Start(request.Since) : HubSpotPullCursor.Parse(request.Cursor);
        var limit = Math.Clamp(request.PageSize, 1, MaxSearchPage);
        const string what = "searching contacts";
        var answer = await api.SendForObjectAsync(credentials, HttpMethod.Post, "/crm/v3/objects/contacts/search",
            SearchBody(cursor, limit, Properties(request)).ToJsonString(), what, ct, search: true);
        var records = HubSpotJson.Array(answer, "results", what).Select(r => Record(r, what)).ToList();
        var next = HubSpotJson.Text(answer["paging"]?["next"]?["after"]);
        return new CrmPage(records, Next(cursor, records, next, limit)?.ToString());
    }

    public async Task<CrmPage> ReadAsync(HubSpotOptions credentials, CrmPullRequest request, CancellationToken ct)
    {
        const string what = "reading contacts by id";
        var records = new List<CrmRecord>();
        foreach (var chunk in request.Ids!.Distinct(StringComparer.Ordinal).Chunk(MaxBatchRead))
        {
            var body = new JsonObject
            {
                ["properties"] = new JsonArray(Properties(request).Select(p => (JsonNode)p).ToArray()),
                ["inputs"] = new JsonArray(chunk.Select(id => (JsonNode)new JsonObject { ["id"] = id }).ToArray()),
            };
            var response = await api.SendAsync(credentials, HttpMethod.Post, "/crm/v3/objects/contacts/batch/read?archived=false", body.ToJsonString(), what, ct);
            // 207 lists the ids it did not find in errors[]: deleted since the webhook, so there is nothing to read.
            if (response.Status == 404 && HubSpotErrors.Category(response.Body) == "OBJECT_NOT_FOUND") continue;
            if (!response.Success) throw HubSpotErrors.Exception(response, what);
            records.AddRange(HubSpotJson.Array(response.Object(what), "results", what).Select(r => Record(r, what)));
        }
        return new CrmPage(records.OrderBy(r => r.ModifiedAt).ToList(), null);
    }

    private static HubSpotPullCursor? Next(HubSpotPullCursor cursor, List<CrmRecord> records, string? after, int limit)
    {
        if (records.Count == 0 || after is null)
            // A query by id ends where that timestamp's records end; the pull goes on with the later ones.
            return cursor.By == HubSpotPullCursor.ById ? new HubSpotPullCursor(HubSpotPullCursor.ByTime, "GT", cursor.Time, null, null, 0, null) : null;
        var read = cursor.Read + records.Count;
        var first = cursor.FirstTime ?? HubSpotJson.Millis(records[0].ModifiedAt);
        if (read + limit <= MaxSearchResults) return cursor with { After = after, Read = read, FirstTime = first };

        // The next page would reach past 10,000 results: start a new query from the last record seen.
        var last = records[^1];
        if (cursor.By == HubSpotPullCursor.ById) return cursor with { LastId = last.Id, After = null, Read = 0 };
        var lastTime = HubSpotJson.Millis(last.ModifiedAt);
        return lastTime == first
            ? new HubSpotPullCursor(HubSpotPullCursor.ById, "EQ", lastTime, null, null, 0, null)
            : new HubSpotPullCursor(HubSpotPullCursor.ByTime, "GTE", lastTime, null, null, 0, null);
    }

    private static JsonObject SearchBody(HubSpotPullCursor cursor, int limit, IReadOnlyList<string> properties)
    {
        var filters = new JsonArray();
        if (cursor.Time is { } time) filters.Add(Filter(Modified, cursor.Operator, time.ToString(CultureInfo.InvariantCulture)));
        if (cursor is { By: HubSpotPullCursor.ById, LastId: { } lastId }) filters.Add(Filter(Id, "GT", lastId));
        var body = new JsonObject
        {
            ["sorts"] = new JsonArray(new JsonObject
            {
                ["propertyName"] = cursor.By == HubSpotPullCursor.ById ? Id : Modified,
                ["direction"] = "ASCENDING",
            }),
            ["properties"] = new JsonArray(properties.Select(p => (JsonNode)p).ToArray()),
            ["limit"] = limit,
        };
        if (filters.Count > 0) body["filterGroups"] = new JsonArray(new JsonObject { ["filters"] = filters });
        if (cursor.After is not null) body["after"] = cursor.After;
        return body;
    }

    private static JsonObject Filter(string property, string op, string value) =>
        new() { ["propertyName"] = property, ["operator"] = op, ["value"] = value };

    private static List<string> Properties(CrmPullRequest request) =>
        request.Properties.Concat([Modified, "email"]).Distinct(StringComparer.Ordinal).ToList();

    private static CrmRecord Record(JsonNode? node, string what)
    {
        var item = HubSpotJson.Object(node, what, "results");
        var id = HubSpotJson.RequiredText(item, "id", what);
        if (item["properties"] is not JsonObject values) throw HubSpotJson.Malformed(what, $"contact {id} without 'properties'");
        var properties = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in values)
            properties[name] = HubSpotJson.Text(value) is { Length: > 0 } text ? text : null;
        var modified = HubSpotJson.Instant(properties.GetValueOrDefault(Modified))
            ?? HubSpotJson.Instant(properties.GetValueOrDefault("hs_lastmodifieddate"))
            ?? HubSpotJson.Instant(HubSpotJson.Text(item["updatedAt"]))
            ?? throw HubSpotJson.Malformed(what, $"contact {id} without a readable lastmodifieddate or updatedAt");
        return new CrmRecord("contacts", id, modified, properties);
    }
}
