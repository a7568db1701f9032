using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace GrowthBrain.Tests.Integrations.Zoho;

/// <summary>The fake's CRM routes: org, fields metadata, and Get Records with Zoho's paging rules.</summary>
public sealed partial class FakeZohoServer
{
    public const int MaxPerPage = 200;
    public const int DiscreteLimit = 2000;
    public const int MaxFields = 50;
    public const int MaxBatch = 100;

    /// <summary>How many records consecutive page tokens reach in one query (Zoho: 100,000); lower it to test the cap cheaply.</summary>
    public int TokenPagingLimit { get; set; } = 100_000;

    private readonly ConcurrentDictionary<string, PageToken> _pageTokens = new();

    /// <param name="Signature">The query the token belongs to: another query with it is TOKEN_BOUND_DATA_MISMATCH.</param>
    /// <param name="After">Where the next page starts: after this (Modified_Time, id), or at this offset for other sorts.</param>
    private sealed record PageToken(string Signature, (DateTimeOffset, string)? After, int Offset, int Page, DateTimeOffset Expires);

    private Task RouteAsync(HttpContext http, string route, string body)
    {
        var method = http.Request.Method;
        return (route, method) switch
        {
            ("org", "GET") => WriteAsync(http, 200, new JsonObject
            {
                ["org"] = new JsonArray(new JsonObject
                {
                    ["company_name"] = "Zylker Fake", ["id"] = "4876876000000000001", ["domain_name"] = "org4876876", ["primary_email"] = "admin@zylker.example",
                    ["time_zone"] = "Asia/Kolkata",
                }),
            }),
            ("settings/fields", "GET") => FieldsAsync(http),
            ("settings/fields", "POST") => CreateFieldsAsync(http, body),
            ("Leads" or "Contacts", "GET") => GetRecordsAsync(http, route),
            ("Leads" or "Contacts", "PUT") => UpdateRecordsAsync(http, route, body),
            ("Leads" or "Contacts" or "Notes" or "Tasks", "DELETE") => DeleteRecordsAsync(http, route),
            ("Notes", "POST") => InsertAsync(http, "Notes", body, ValidateNote),
            ("Tasks", "POST") => InsertAsync(http, "Tasks", body, ValidateTask),
            _ when !route.Contains('/') && method is "GET" or "PUT" or "POST" or "DELETE" => WriteAsync(http, 400,
                Error("INVALID_MODULE", "the module name given seems to be invalid", new JsonObject { ["resource_path_index"] = 0 })),
            _ => WriteAsync(http, 404, Error("INVALID_URL_PATTERN", "Please check if the URL trying to access is a correct one")),
        };
    }

    private async Task FieldsAsync(HttpContext http)
    {
        var module = http.Request.Query["module"].FirstOrDefault();
        if (module is null) { await WriteAsync(http, 400, Error("REQUIRED_PARAM_MISSING", "One of the expected parameter is missing", new JsonObject { ["param_name"] = "module" })); return; }
        if (!Store.HasModule(module)) { await WriteAsync(http, 400, Error("INVALID_MODULE", "the module name given seems to be invalid", new JsonObject { ["param_name"] = "module" })); return; }
        var fields = new JsonArray();
        foreach (var f in Store.Fields(module))
        {
            fields.Add(new JsonObject
            {
                ["api_name"] = f.ApiName, ["field_label"] = f.Label, ["display_label"] = f.Label, ["data_type"] = f.DataType, ["id"] = f.Id,
                ["custom_field"] = f.Custom, ["json_type"] = f.DataType is "integer" ? "integer" : f.DataType is "boolean" ? "boolean" : "string",
                ["length"] = f.DataType == "textarea" ? 2000 : 255, ["visible"] = true,
                ["pick_list_values"] = new JsonArray(f.PickList.Select((p, i) => (JsonNode)new JsonObject
                {
                    ["display_value"] = p, ["actual_value"] = p, ["sequence_number"] = i + 1, ["type"] = "used", ["id"] = $"{f.Id}{i}",
                }).ToArray()),
            });
        }
        await WriteAsync(http, 200, new JsonObject { ["fields"] = fields });
    }

    private async Task CreateFieldsAsync(HttpContext http, string body)
    {
        var module = http.Request.Query["module"].FirstOrDefault();
        if (module is null || !Store.HasModule(module)) { await WriteAsync(http, 400, Error("INVALID_MODULE", "the module name given seems to be invalid", new JsonObject { ["param_name"] = "module" })); return; }
        if (!AllowFieldCreation) { await WriteAsync(http, 403, Error("NO_PERMISSION", "permission denied", new JsonObject { ["permissions"] = new JsonArray("Crm_Implied_Customize_Zoho_CRM") })); return; }
        if (Parse(body)?["fields"] is not JsonArray input) { await WriteAsync(http, 400, Error("INVALID_DATA", "invalid data")); return; }
        var results = new JsonArray();
        foreach (var f in input)
        {
            var label = f?["field_label"]?.GetValue<string>();
            var type = f?["data_type"]?.GetValue<string>();
            if (string.IsNullOrWhiteSpace(label) || type is not ("text" or "textarea" or "integer" or "double" or "email" or "phone" or "picklist" or "boolean"))
            {
                results.Add(Error("INVALID_DATA", "invalid data", new JsonObject { ["api_name"] = string.IsNullOrWhiteSpace(label) ? "field_label" : "data_type" }));
                continue;
            }
            var created = Store.AddField(module, label, type);
            results.Add(new JsonObject { ["code"] = "SUCCESS", ["details"] = new JsonObject { ["id"] = created.Id }, ["message"] = "field created", ["status"] = "success" });
        }
        await WriteAsync(http, StatusOf(results, allOk: 201), new JsonObject { ["fields"] = results });
    }

    private async Task GetRecordsAsync(HttpContext http, string module)
    {
        var q = http.Request.Query;
        async Task Bad(string code, string message, JsonObject details) => await WriteAsync(http, 400, Error(code, message, details));
        var fields = q["fields"].FirstOrDefault()?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (fields is null) { await Bad("REQUIRED_PARAM_MISSING", "One of the expected parameter is missing", new JsonObject { ["param_name"] = "fields" }); return; }
        if (fields.Length > MaxFields) { await Bad("LIMIT_EXCEEDED", "fields limit exceeded", new JsonObject { ["limit"] = MaxFields, ["param_name"] = "fields" }); return; }

        if (q["ids"].FirstOrDefault() is { } idList)
        {
            var ids = idList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (ids.Length > MaxBatch) { await Bad("LIMIT_EXCEEDED", "ids limit exceeded", new JsonObject { ["limit"] = MaxBatch, ["param_name"] = "ids" }); return; }
            List<FakeZohoRecord> found;
            lock (Store.Gate) found = ids.Select(id => Store.RawGet(module, id)).OfType<FakeZohoRecord>().Select(r => r.Copy()).ToList();
            if (found.Count == 0) { await WriteAsync(http, 204, null); return; }
            await WriteAsync(http, 200, new JsonObject { ["data"] = Project(found, fields), ["info"] = Info(found.Count, found.Count, 1, "id", "desc", false, null) });
            return;
        }

        var perPage = int.TryParse(q["per_page"].FirstOrDefault() ?? "200", CultureInfo.InvariantCulture, out var pp) ? pp : -1;
        if (perPage is < 1 or > MaxPerPage) { await Bad("INVALID_DATA", "invalid data", new JsonObject { ["param_name"] = "per_page", ["maximum_length"] = MaxPerPage }); return; }
        var sortBy = q["sort_by"].FirstOrDefault() ?? "id";
        var sortOrder = q["sort_order"].FirstOrDefault() ?? "desc";
        if (sortBy is not ("id" or "Created_Time" or "Modified_Time") || sortOrder is not ("asc" or "desc"))
        {
            await Bad("INVALID_DATA", "invalid data", new JsonObject { ["param_name"] = sortBy is "id" or "Created_Time" or "Modified_Time" ? "sort_order" : "sort_by" });
            return;
        }
        DateTimeOffset? since = null;
        if (http.Request.Headers.IfModifiedSince.FirstOrDefault() is { } ims)
        {
            if (!DateTimeOffset.TryParse(ims, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var s))
            {
                await Bad("INVALID_DATA", "invalid data", new JsonObject { ["param_name"] = "If-Modified-Since" });
                return;
            }
            since = s;
        }
        var pageText = q["page"].FirstOrDefault();
        var tokenText = q["page_token"].FirstOrDefault();
        if (pageText is not null && tokenText is not null)
        {
            await Bad("AMBIGUITY_DURING_PROCESSING", "You cannot use both page and page_token", new JsonObject
            {
                ["ambiguity_due_to"] = new JsonArray(new JsonObject { ["param_name"] = "page" }, new JsonObject { ["param_name"] = "page_token" }),
            });
            return;
        }
        var signature = $"{module}|{string.Join(',', fields)}|{sortBy}|{sortOrder}|{perPage}|{since?.ToUnixTimeSeconds()}";
        PageToken? token = null;
        if (tokenText is not null)
        {
            if (!_pageTokens.TryGetValue(tokenText, out token) || token.Expires <= Clock.GetUtcNow())
            {
                await Bad("INVALID_DATA", "invalid data", new JsonObject { ["param_name"] = "page_token" });
                return;
            }
            if (token.Signature != signature)
            {
                await Bad("TOKEN_BOUND_DATA_MISMATCH", "the page_token was issued for another query", new JsonObject { ["param_name"] = "page_token" });
                return;
            }
        }
        if (token is not null && token.Offset + perPage > TokenPagingLimit)
        {
            await Bad("PAGINATION_LIMIT_EXCEEDED", $"You can only get the first {TokenPagingLimit} records of a query with page_token", new JsonObject { ["param_name"] = "page_token" });
            return;
        }
        var page = token?.Page ?? (int.TryParse(pageText ?? "1", CultureInfo.InvariantCulture, out var p) && p >= 1 ? p : -1);
        if (page < 1) { await Bad("INVALID_DATA", "invalid data", new JsonObject { ["param_name"] = "page" }); return; }
        if (token is null && page * perPage > DiscreteLimit)
        {
            await Bad("DISCRETE_PAGINATION_LIMIT_EXCEEDED", "You can only get the first 2000 records without using page_token param", new JsonObject { ["limit"] = DiscreteLimit });
            return;
        }

        List<FakeZohoRecord> slice;
        bool more;
        lock (Store.Gate)
        {
            IEnumerable<FakeZohoRecord> ordered;
            var keyset = sortBy == "Modified_Time" && sortOrder == "asc";
            if (keyset)
            {
                // Strictly after the If-Modified-Since second; then after the token's last record.
                (DateTimeOffset, string)? after = since is { } s ? (DateTimeOffset.FromUnixTimeSeconds(s.ToUnixTimeSeconds()).AddSeconds(1).AddTicks(-1), "~") : null;
                if (token?.After is { } t) after = t;
                ordered = Store.ByModified(module, after);
                if (token is null) ordered = ordered.Skip((page - 1) * perPage);
            }
            else
            {
                var all = Store.Raw(module).Where(r => since is null || r.ModifiedTime.ToUnixTimeSeconds() > since.Value.ToUnixTimeSeconds());
                Func<FakeZohoRecord, object> key = sortBy switch { "Modified_Time" => r => r.ModifiedTime, "Created_Time" => r => r.CreatedTime, _ => r => r.Id };
                var sorted = sortOrder == "asc" ? all.OrderBy(key).ThenBy(r => r.Id, StringComparer.Ordinal) : all.OrderByDescending(key).ThenByDescending(r => r.Id, StringComparer.Ordinal);
                ordered = sorted.Skip(token?.Offset ?? (page - 1) * perPage);
            }
            var taken = ordered.Take(perPage + 1).Select(r => r.Copy()).ToList();
            more = taken.Count > perPage;
            slice = taken.Take(perPage).ToList();
        }
        if (slice.Count == 0) { await WriteAsync(http, 204, null); return; }
        string? next = null;
        if (more)
        {
            next = Guid.NewGuid().ToString("N");
            var last = slice[^1];
            _pageTokens[next] = new PageToken(signature, (last.ModifiedTime, last.Id), (token?.Offset ?? (page - 1) * perPage) + slice.Count, page + 1,
                Clock.GetUtcNow().AddHours(24));
        }
        await WriteAsync(http, 200, new JsonObject { ["data"] = Project(slice, fields), ["info"] = Info(perPage, slice.Count, page, sortBy, sortOrder, more, next) });
    }

    private JsonObject Info(int perPage, int count, int page, string sortBy, string sortOrder, bool more, string? next) => new()
    {
        ["call"] = false, ["per_page"] = perPage, ["next_page_token"] = next, ["count"] = count, ["sort_by"] = sortBy, ["page"] = page,
        ["previous_page_token"] = null, ["page_token_expiry"] = next is null ? null : Format(Clock.GetUtcNow().AddHours(24)),
        ["sort_order"] = sortOrder, ["email"] = false, ["more_records"] = more,
    };

    private JsonArray Project(IEnumerable<FakeZohoRecord> records, string[] fields)
    {
        var data = new JsonArray();
        foreach (var r in records)
        {
            var o = new JsonObject { ["id"] = r.Id };
            foreach (var f in fields)
            {
                o[f] = f switch
                {
                    "Modified_Time" => Format(r.ModifiedTime),
                    "Created_Time" => Format(r.CreatedTime),
                    "id" => r.Id,
                    _ => r.Fields.TryGetValue(f, out var v) ? v?.DeepClone() : null,
                };
            }
            data.Add(o);
        }
        return data;
    }

    /// <summary>As Zoho writes times: ISO 8601 in the org's time zone, to the second.</summary>
    public string Format(DateTimeOffset at) => at.ToOffset(TimeZone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    internal static JsonNode? Parse(string body)
    {
        try
        {
            return string.IsNullOrWhiteSpace(body) ? null : JsonNode.Parse(body);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>All entries succeeded: <paramref name="allOk"/>; some: 207; none: 400.</summary>
    internal static int StatusOf(JsonArray results, int allOk)
    {
        var ok = results.Count(r => r?["status"]?.GetValue<string>() == "success");
        return ok == results.Count ? allOk : ok == 0 ? 400 : 207;
    }
}
