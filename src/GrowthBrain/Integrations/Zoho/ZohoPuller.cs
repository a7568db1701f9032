using System.Globalization;
using System.Text.Json;

namespace GrowthBrain.Integrations.Zoho;

/// <summary>
/// Get Records, page after page, in ascending Modified_Time. Zoho serves the first 2,000 records of a query by
/// page number (page × per_page ≤ 2,000) and everything after only through info.next_page_token, so the cursor
/// follows the token whenever Zoho gives one. A token is bound to its query and lives 24 hours: when Zoho no longer
/// takes it, or the query has used up the 100,000 records consecutive tokens reach, the query restarts from the
/// newest Modified_Time already read (re-reading a few records, never skipping).
/// </summary>
public sealed class ZohoPuller(ZohoApiClient api)
{
    public const int MaxPerPage = 200;
    public const int MaxDiscreteRecords = 2000;
    public const int MaxFields = 50;
    public const int MaxIds = 100;
    private const string Scope = "ZohoCRM.modules.ALL";

    public async Task<CrmPage> PullAsync(ZohoOptions o, CrmPullRequest request, CancellationToken ct)
    {
        var fields = request.Properties.Where(p => !string.IsNullOrWhiteSpace(p) && p != "id")
            .Append(ZohoRecordReader.ModifiedTime).Distinct(StringComparer.Ordinal).ToList();
        if (fields.Count > MaxFields)
            throw new CrmException($"The mapping reads {fields.Count} Zoho fields of {request.Object} (with Modified_Time), but Zoho returns at most " +
                                   $"{MaxFields} per call: remove {fields.Count - MaxFields} from the mapping.");
        if (request.Ids is not null) return await PullIdsAsync(o, request, fields, ct);

        var perPage = Math.Clamp(request.PageSize, 1, MaxPerPage);
        var cursor = Cursor.Decode(request.Cursor) ?? new Cursor('p', Seconds(request.Since), null, "1");
        for (var attempt = 0; ; attempt++)
        {
            var query = $"/crm/v8/{Uri.EscapeDataString(request.Object)}?fields={Uri.EscapeDataString(string.Join(',', fields))}" +
                        $"&sort_by=Modified_Time&sort_order=asc&per_page={perPage}" +
                        (cursor.Kind == 't' ? $"&page_token={Uri.EscapeDataString(cursor.Value)}" : $"&page={cursor.Value}");
            var answer = await api.SendAsync(o, HttpMethod.Get, query, null, 0, ct, IfModifiedSince(cursor.QuerySince));
            if (answer.Status is 204 or 304) return new CrmPage([], null);
            if (!answer.IsSuccess)
            {
                if (cursor.Kind == 't' && attempt == 0 && IsStaleToken(answer))
                {
                    var from = cursor.LastSeen ?? cursor.QuerySince;
                    cursor = new Cursor('p', from, from, "1");
                    continue;
                }
                throw ZohoApiClient.Refused(answer, Scope);
            }
            var records = ZohoRecordReader.Read(answer, request.Object, request.Properties);
            var info = answer.RequireObject().TryGetProperty("info", out var i) && i.ValueKind == JsonValueKind.Object ? i : throw answer.Malformed("no info object");
            var more = info.TryGetProperty("more_records", out var m) && m.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? m.GetBoolean() : throw answer.Malformed("info.more_records is missing");
            var lastSeen = records.Count == 0 ? cursor.LastSeen : Math.Max(cursor.LastSeen ?? long.MinValue, records.Max(r => Seconds(r.ModifiedAt)!.Value));
            return new CrmPage(records, more ? Next(answer, info, cursor, lastSeen, perPage, request.Object) : null);
        }
    }

    private static string Next(ZohoAnswer answer, JsonElement info, Cursor cursor, long? lastSeen, int perPage, string module)
    {
        if (info.TryGetProperty("next_page_token", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() is { Length: > 0 } token)
            return new Cursor('t', cursor.QuerySince, lastSeen, token).Encode();
        if (cursor.Kind == 'p' && int.TryParse(cursor.Value, CultureInfo.InvariantCulture, out var page) && (page + 1) * perPage <= MaxDiscreteRecords)
            return new Cursor('p', cursor.QuerySince, lastSeen, (page + 1).ToString(CultureInfo.InvariantCulture)).Encode();
        // No token and no page left: a new query from the newest record read, unless that would read the same records again.
        if (lastSeen is not null && lastSeen != cursor.QuerySince) return new Cursor('p', lastSeen, lastSeen, "1").Encode();
        throw answer.Malformed($"more {module} records exist past the first {MaxDiscreteRecords:N0} modified in the same second, but info.next_page_token is missing");
    }

    /// <summary>
    /// Zoho no longer takes the page token: expired (24 h), bound to a query that differs (a changed page size), or
    /// past the 100,000 records consecutive tokens reach.
    /// </summary>
    private static bool IsStaleToken(ZohoAnswer a) =>
        a.Status == 400 && (a.Code is "TOKEN_BOUND_DATA_MISMATCH" or "EXPIRED_VALUE" or "PAGINATION_LIMIT_EXCEEDED"
                            || (a.Code == "INVALID_DATA" && a.Text.Contains("page_token", StringComparison.Ordinal)));

    private async Task<CrmPage> PullIdsAsync(ZohoOptions o, CrmPullRequest request, List<string> fields, CancellationToken ct)
    {
        var offset = Cursor.Decode(request.Cursor) is { Kind: 'i' } c && int.TryParse(c.Value, CultureInfo.InvariantCulture, out var n) ? n : 0;
        var chunk = request.Ids!.Skip(offset).Take(MaxIds).ToList();
        if (chunk.Count == 0) return new CrmPage([], null);
        var query = $"/crm/v8/{Uri.EscapeDataString(request.Object)}?ids={Uri.EscapeDataString(string.Join(',', chunk))}" +
                    $"&fields={Uri.EscapeDataString(string.Join(',', fields))}";
        var answer = await api.SendAsync(o, HttpMethod.Get, query, null, 0, ct);
        var next = offset + chunk.Count < request.Ids!.Count ? new Cursor('i', null, null, (offset + chunk.Count).ToString(CultureInfo.InvariantCulture)).Encode() : null;
        if (answer.Status is 204 or 304) return new CrmPage([], next);
        // Zoho answers a list of ids it does not have (deleted since the webhook) with INVALID_DATA: nothing to read.
        if (answer.Status == 400 && answer.Code == "INVALID_DATA" && !answer.HasRecordResults) return new CrmPage([], next);
        ZohoApiClient.Ok(answer, Scope);
        return new CrmPage(ZohoRecordReader.Read(answer, request.Object, request.Properties), next);
    }

    /// <summary>
    /// One second earlier than the watermark: Zoho compares to the second, and a record saved in the same second as
    /// the watermark must not be missed. Reading it twice costs nothing; the engine sees it unchanged.
    /// </summary>
    private static Dictionary<string, string>? IfModifiedSince(long? since) => since is null ? null : new()
    {
        ["If-Modified-Since"] = DateTimeOffset.FromUnixTimeSeconds(since.Value - 1).ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture),
    };

    private static long? Seconds(DateTime? at) =>
        at is null ? null : new DateTimeOffset(DateTime.SpecifyKind(at.Value, DateTimeKind.Utc)).ToUnixTimeSeconds();

    /// <param name="Kind">p: page number; t: page token; i: offset in the ids.</param>
    /// <param name="QuerySince">The If-Modified-Since of the query (unix seconds), the same on every page: tokens are bound to it.</param>
    /// <param name="LastSeen">The newest Modified_Time read so far, where a restart begins.</param>
    private sealed record Cursor(char Kind, long? QuerySince, long? LastSeen, string Value)
    {
        public string Encode() => $"{Kind}|{QuerySince}|{LastSeen}|{Value}";

        public static Cursor? Decode(string? text)
        {
            if (string.IsNullOrEmpty(text)) return null;
            var parts = text.Split('|', 4);
            if (parts.Length != 4 || parts[0].Length != 1 || "pti".IndexOf(parts[0][0]) < 0)
                throw new CrmException($"The saved Zoho cursor '{text}' is not one GrowthBrain wrote; run the sync with --full to start over.");
            return new Cursor(parts[0][0], Long(parts[1]), Long(parts[2]), parts[3]);
        }

        private static long? Long(string s) => long.TryParse(s, CultureInfo.InvariantCulture, out var v) ? v : null;
    }
}
