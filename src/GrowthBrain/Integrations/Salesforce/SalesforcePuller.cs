using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace GrowthBrain.Integrations.Salesforce;

/// <summary>
/// SOQL over LastModifiedDate, then nextRecordsUrl page after page. A query locator lives about 15 minutes without
/// use: when Salesforce no longer takes it (INVALID_QUERY_LOCATOR), the query restarts from the newest
/// LastModifiedDate already read (re-reading the records of that instant, never skipping one). Only fields describe
/// lists are asked for: a field the mapping names but an admin deleted would fail the whole query.
/// When the mapping asks for the opportunity outcome (<see cref="SalesforceOpportunities"/>), an opportunity can
/// change while its converted lead (which Salesforce freezes) or its contact does not. So an incremental pull then has
/// a second phase, as Pipedrive's deals do: after the records modified since the watermark, the opportunities modified
/// since it (cursor "o|nextRecordsUrl"), whose converted leads or role contacts are read by id, except those modified
/// at or after the watermark, which the first phase gave already. A full pull needs no second phase. A deleted
/// opportunity or contact role is not listed, so its record's outcome is corrected only by its next change or a full sync.
/// </summary>
public sealed partial class SalesforcePuller(SalesforceApiClient api, SalesforceDescribe describe, SalesforceOpportunities opportunities)
{
    /// <summary>Records per page, per the Query Options header: at least 200, at most (and by default) 2,000.</summary>
    public const int MinBatch = 200;
    public const int MaxBatch = 2000;

    /// <summary>Ids in one WHERE Id IN (...): well inside the 100,000 characters of a SOQL statement and a URL's length.</summary>
    public const int MaxIds = 200;

    private static readonly HashSet<string> Compound = ["address", "location", "base64"];

    public async Task<CrmPage> PullAsync(SalesforceOptions o, CrmPullRequest request, CancellationToken ct)
    {
        var fields = await describe.FieldsAsync(o, request.Object, ct);
        var byName = fields.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);
        var relationships = fields.Where(f => f.RelationshipName is not null).Select(f => f.RelationshipName!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var asked = request.Properties
            .Where(p => !string.IsNullOrWhiteSpace(p) && !p.Equals("Id", StringComparison.OrdinalIgnoreCase) && !p.Equals(SalesforceRecordReader.ModifiedField, StringComparison.OrdinalIgnoreCase))
            .Where(p => p.Contains('.') ? relationships.Contains(p.Split('.')[0]) && FieldName().IsMatch(p)
                : byName.TryGetValue(p, out var f) && !Compound.Contains(f.Type))
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        // A lead's outcome needs its converted opportunity's id; without read access to that field there is none to show.
        var enrich = request.Properties.Any(SalesforceOpportunities.IsSynthetic)
                     && (request.Object != "Lead" || byName.ContainsKey(SalesforceOpportunities.ConvertedOpportunity));
        var readProperties = request.Properties;
        if (enrich && request.Object == "Lead")
        {
            if (!asked.Contains(SalesforceOpportunities.ConvertedOpportunity, StringComparer.OrdinalIgnoreCase)) asked.Add(SalesforceOpportunities.ConvertedOpportunity);
            readProperties = [.. request.Properties, SalesforceOpportunities.ConvertedOpportunity];
        }
        var datetimes = request.Properties.Where(p => byName.TryGetValue(p, out var f) && f.Type == "datetime").ToHashSet(StringComparer.Ordinal);
        var select = $"SELECT {string.Join(", ", new[] { "Id", SalesforceRecordReader.ModifiedField }.Concat(asked))} FROM {request.Object}";
        async Task<IReadOnlyList<CrmRecord>> Read(IReadOnlyList<CrmRecord> records) =>
            enrich ? await opportunities.EnrichAsync(o, request.Object, records, request.Properties, ct) : records;
        var read = (SalesforceAnswer answer, JsonElement records) => SalesforceRecordReader.Read(answer, records, request.Object, readProperties, datetimes);

        if (request.Ids is not null) return await PullIdsAsync(o, request, select, read, Read, ct);

        var batch = new Dictionary<string, string> { ["Sforce-Query-Options"] = $"batchSize={Math.Clamp(request.PageSize, MinBatch, MaxBatch)}" };
        if (request.Cursor is { } c && c.StartsWith("o|", StringComparison.Ordinal))
            return await ChangedOpportunitiesAsync(o, request, select, read, Read, c.Length > 2 ? c[2..] : null, batch, ct);
        var cursor = Cursor.Decode(request.Cursor) ?? new Cursor(Since(request.Since), null, null);
        for (var attempt = 0; ; attempt++)
        {
            var order = $" ORDER BY {SalesforceRecordReader.ModifiedField}, Id";
            var path = cursor.NextUrl ?? Query(o, cursor.QuerySince is null ? select + order
                : $"{select} WHERE {SalesforceRecordReader.ModifiedField} >= {cursor.QuerySince}{order}");
            var answer = await api.SendAsync(o, HttpMethod.Get, path, null, ct, headers: batch);
            if (!answer.IsSuccess)
            {
                if (cursor.NextUrl is not null && attempt == 0 && answer.Code == "INVALID_QUERY_LOCATOR")
                {
                    cursor = new Cursor(cursor.LastSeen ?? cursor.QuerySince, cursor.LastSeen, null);
                    continue;
                }
                throw Refused(answer, request.Object);
            }
            var body = answer.Require(JsonValueKind.Object);
            if (!body.TryGetProperty("records", out var records) || records.ValueKind != JsonValueKind.Array) throw answer.Malformed("no records[] array");
            if (!body.TryGetProperty("done", out var done) || done.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) throw answer.Malformed("no done flag");
            var page = read(answer, records);
            // The records' own dates: a restart re-runs the query on LastModifiedDate, which an opportunity's later date would overshoot.
            var lastSeen = page.Count == 0 ? cursor.LastSeen : SalesforceRecordReader.Iso(page.Max(r => r.ModifiedAt));
            if (done.GetBoolean()) return new CrmPage(await Read(page), enrich && request.Since is not null ? "o|" : null);
            var next = NextUrl(answer, body);
            return new CrmPage(await Read(page), new Cursor(cursor.QuerySince, lastSeen, next).Encode());
        }
    }

    /// <summary>One page of the opportunities modified since the watermark, and the records they decide the outcome of.</summary>
    private async Task<CrmPage> ChangedOpportunitiesAsync(SalesforceOptions o, CrmPullRequest request, string select,
        Func<SalesforceAnswer, JsonElement, IReadOnlyList<CrmRecord>> read, Func<IReadOnlyList<CrmRecord>, Task<IReadOnlyList<CrmRecord>>> enrich,
        string? nextUrl, IReadOnlyDictionary<string, string> batch, CancellationToken ct)
    {
        var since = Since(request.Since) ?? throw new CrmException("The saved Salesforce cursor belongs to an incremental sync; run the sync with --full to start over.");
        var first = Query(o, $"SELECT Id FROM Opportunity WHERE {SalesforceRecordReader.ModifiedField} >= {since} ORDER BY {SalesforceRecordReader.ModifiedField}, Id");
        var answer = await api.SendAsync(o, HttpMethod.Get, nextUrl ?? first, null, ct, headers: batch);
        // An idle locator expired: reading the changed opportunities again from the start re-reads a few records, never skips one.
        if (!answer.IsSuccess && nextUrl is not null && answer.Code == "INVALID_QUERY_LOCATOR")
            answer = await api.SendAsync(o, HttpMethod.Get, first, null, ct, headers: batch);
        if (!answer.IsSuccess) throw SalesforceOpportunities.Refused(answer);
        var body = answer.Require(JsonValueKind.Object);
        if (!body.TryGetProperty("records", out var rows) || rows.ValueKind != JsonValueKind.Array) throw answer.Malformed("no records[] array");
        var changed = rows.EnumerateArray().Select(r => SalesforceDescribe.Text(r, "Id") ?? throw answer.Malformed("an opportunity has no Id")).ToList();
        var ids = await opportunities.RecordsOfAsync(o, request.Object, changed, ct);
        var records = new List<CrmRecord>();
        foreach (var chunk in ids.Chunk(MaxIds))
        {
            var page = SalesforceApiClient.Ok(await api.SendAsync(o, HttpMethod.Get, Query(o,
                $"{select} WHERE Id IN ({string.Join(", ", chunk.Select(Literal))}) AND {SalesforceRecordReader.ModifiedField} < {since}"), null, ct));
            var pageBody = page.Require(JsonValueKind.Object);
            if (!pageBody.TryGetProperty("records", out var found) || found.ValueKind != JsonValueKind.Array) throw page.Malformed("no records[] array");
            records.AddRange(read(page, found));
        }
        var done = body.TryGetProperty("done", out var d) && d.ValueKind == JsonValueKind.True;
        return new CrmPage(await enrich(records), done ? null : "o|" + NextUrl(answer, body));
    }

    private static string NextUrl(SalesforceAnswer answer, JsonElement body)
    {
        var next = SalesforceDescribe.Text(body, "nextRecordsUrl") ?? throw answer.Malformed("done is false but nextRecordsUrl is missing");
        return next.StartsWith("/services/data/", StringComparison.Ordinal) ? next : throw answer.Malformed($"nextRecordsUrl '{next}' is not a path of the API");
    }

    private async Task<CrmPage> PullIdsAsync(SalesforceOptions o, CrmPullRequest request, string select,
        Func<SalesforceAnswer, JsonElement, IReadOnlyList<CrmRecord>> read, Func<IReadOnlyList<CrmRecord>, Task<IReadOnlyList<CrmRecord>>> enrich,
        CancellationToken ct)
    {
        var offset = request.Cursor is { } c && c.StartsWith("ids|", StringComparison.Ordinal) && int.TryParse(c[4..], CultureInfo.InvariantCulture, out var n) ? n : 0;
        var chunk = request.Ids!.Skip(offset).Take(MaxIds).ToList();
        var next = offset + chunk.Count < request.Ids!.Count ? $"ids|{(offset + chunk.Count).ToString(CultureInfo.InvariantCulture)}" : null;
        // An id of another shape cannot exist in Salesforce; leaving it out keeps it out of the statement too.
        var valid = chunk.Where(id => IdPattern().IsMatch(id)).ToList();
        if (valid.Count == 0) return new CrmPage([], next);
        var answer = SalesforceApiClient.Ok(await api.SendAsync(o, HttpMethod.Get,
            Query(o, $"{select} WHERE Id IN ({string.Join(", ", valid.Select(Literal))})"), null, ct));
        var body = answer.Require(JsonValueKind.Object);
        if (!body.TryGetProperty("records", out var records) || records.ValueKind != JsonValueKind.Array) throw answer.Malformed("no records[] array");
        return new CrmPage(await enrich(read(answer, records)), next);
    }

    private static CrmException Refused(SalesforceAnswer a, string sobject) => a.Code switch
    {
        "INVALID_FIELD" or "MALFORMED_QUERY" or "INVALID_TYPE" => new CrmException(
            $"Salesforce refused the query of {sobject} ({a.Code}: {a.Message}): a field of the mapping may have been deleted or hidden from the " +
            "connected user since the mapping was saved. Refresh the mapping on the Integrations page and sync again.", status: a.Status),
        _ => SalesforceApiClient.Refused(a),
    };

    private static string Query(SalesforceOptions o, string soql) => $"{SalesforceApiClient.Data(o)}/query?q={Uri.EscapeDataString(soql)}";

    /// <summary>A SOQL string literal: backslash and quote escaped, as the SOQL reference says.</summary>
    public static string Literal(string value)
    {
        var s = new StringBuilder("'");
        foreach (var ch in value)
        {
            if (ch is '\\' or '\'') s.Append('\\');
            s.Append(ch);
        }
        return s.Append('\'').ToString();
    }

    /// <summary>SOQL compares date-times to the second: truncating the watermark down reads a few records again, never misses one.</summary>
    private static string? Since(DateTime? at) => at is null ? null
        : DateTime.SpecifyKind(at.Value, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    [GeneratedRegex("^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$")]
    private static partial Regex FieldName();

    /// <param name="QuerySince">The query's lower bound (a SOQL date-time literal), null for all records.</param>
    /// <param name="LastSeen">The newest LastModifiedDate read so far (ISO), where a restart begins.</param>
    /// <param name="NextUrl">The nextRecordsUrl to read next; null to run the query.</param>
    private sealed record Cursor(string? QuerySince, string? LastSeen, string? NextUrl)
    {
        public string Encode() => $"q|{QuerySince}|{LastSeen}|{NextUrl}";

        public static Cursor? Decode(string? text)
        {
            if (string.IsNullOrEmpty(text)) return null;
            var parts = text.Split('|', 4);
            if (parts.Length != 4 || parts[0] != "q")
                throw new CrmException($"The saved Salesforce cursor '{text}' is not one GrowthBrain wrote; run the sync with --full to start over.");
            static string? Empty(string s) => s.Length == 0 ? null : s;
            var lastSeen = Empty(parts[2]);
            // A restart compares in SOQL, which wants the date-time literal without milliseconds.
            return new Cursor(Empty(parts[1]), lastSeen is null ? null : Truncate(lastSeen), Empty(parts[3]));
        }

        private static string Truncate(string iso) =>
            SalesforceRecordReader.ParseDateTime(iso) is { } at ? at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : iso;
    }
}
