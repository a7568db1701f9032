using System.Globalization;
using System.Text.Json.Nodes;

namespace GrowthBrain.Integrations.Pipedrive;

/// <summary>
/// Persons, page by page, with their deals' outcome. Design: a lead is a person, but whether it was won or lost lives
/// on the person's deals, which change without the person changing. So an incremental pull has two phases, both with
/// v2's cursor paging (stable under concurrent changes, unlike v1's start offsets) and `updated_since`:
/// (p) persons updated since the watermark, in ascending update_time; then (d) deals updated since the watermark,
/// whose persons are read by id, except those the first phase already gave (their update_time is at or after the
/// watermark). A full pull needs only phase p. Each person carries two synthetic properties from all its deals,
/// deal_status (won if any deal is won, lost if every deal is lost, else open) and deal_stage (the stage of its most
/// recently updated open deal), and its ModifiedAt is the later of its own and its deals' update_time, so the
/// watermark also moves past the deal changes it has seen. A deleted deal is not listed by updated_since, so its
/// person's outcome is corrected only by the next change to that person or another of its deals, or a full sync.
/// The cursor is "p|cursor", "d|cursor" or "i|offset" (a webhook's ids).
/// </summary>
public sealed class PipedrivePuller(PipedriveApiClient api, PipedriveDeals deals)
{
    public const int MaxLimit = 500;
    public const int MaxIds = 100;
    public const string DealStatus = "deal_status";
    public const string DealStage = "deal_stage";
    public const string UpdateTime = "update_time";

    private readonly Dictionary<long, string?> _orgNames = [];
    private Dictionary<long, string>? _userNames;

    public async Task<CrmPage> PullAsync(PipedriveOptions o, CrmPullRequest request, IReadOnlyList<PipedriveField> fields, CancellationToken ct)
    {
        if (request.Cursor is null) deals.Reset();
        var (phase, value) = Decode(request.Cursor);
        var limit = Math.Clamp(request.PageSize, 1, MaxLimit);
        if (request.Ids is not null)
        {
            var offset = phase == 'i' && int.TryParse(value, CultureInfo.InvariantCulture, out var n) ? n : 0;
            var chunk = request.Ids.Skip(offset).Take(MaxIds).ToList();
            if (chunk.Count == 0) return new CrmPage([], null);
            var byId = await PersonsAsync(o, $"/api/v2/persons?ids={Uri.EscapeDataString(string.Join(',', chunk))}&limit={MaxLimit}", ct);
            var more = offset + chunk.Count < request.Ids.Count ? $"i|{offset + chunk.Count}" : null;
            return new CrmPage(await RecordsAsync(o, byId.Persons, request.Properties, fields, ct), more);
        }
        if (phase == 'd') return await DealsPhaseAsync(o, request, value, fields, ct);

        var query = $"/api/v2/persons?limit={limit}&sort_by=update_time&sort_direction=asc" +
                    (request.Since is { } s ? $"&updated_since={Uri.EscapeDataString(PipedriveValues.Rfc3339(s))}" : "") +
                    (value is null ? "" : $"&cursor={Uri.EscapeDataString(value)}");
        var (persons, next) = await PersonsAsync(o, query, ct);
        var records = await RecordsAsync(o, persons, request.Properties, fields, ct);
        return new CrmPage(records, next is not null ? $"p|{next}" : request.Since is not null ? "d|" : null);
    }

    private async Task<CrmPage> DealsPhaseAsync(PipedriveOptions o, CrmPullRequest request, string? cursor, IReadOnlyList<PipedriveField> fields, CancellationToken ct)
    {
        var since = request.Since!.Value;
        var (changed, next) = await deals.ListAsync(o, since, string.IsNullOrEmpty(cursor) ? null : cursor, ct, onePage: true);
        var personIds = changed.Where(d => d.PersonId is not null).Select(d => d.PersonId!.Value).Distinct().ToList();
        var persons = new List<JsonObject>();
        foreach (var chunk in personIds.Chunk(MaxIds))
        {
            var (found, _) = await PersonsAsync(o, $"/api/v2/persons?ids={string.Join(',', chunk)}&limit={MaxLimit}", ct);
            // Persons updated at or after the watermark came in the persons phase already.
            persons.AddRange(found.Where(p => PipedriveValues.Time(p[UpdateTime]) < PipedriveTime.Floor(since)));
        }
        return new CrmPage(await RecordsAsync(o, persons, request.Properties, fields, ct), next is null ? null : $"d|{next}");
    }

    private async Task<(List<JsonObject> Persons, string? Next)> PersonsAsync(PipedriveOptions o, string query, CancellationToken ct)
    {
        var answer = await api.SendOkAsync(o, HttpMethod.Get, query, null, ct);
        var persons = new List<JsonObject>();
        foreach (var node in answer.DataArray())
        {
            if (node is not JsonObject p) throw answer.Malformed("a person is not an object");
            var id = PipedriveValues.Id(p["id"]) ?? throw answer.Malformed("a person has no id");
            if (PipedriveValues.Time(p[UpdateTime]) is null) throw answer.Malformed($"person {id} has no readable update_time");
            persons.Add(p);
        }
        return (persons, answer.NextCursor());
    }

    private async Task<List<CrmRecord>> RecordsAsync(PipedriveOptions o, List<JsonObject> persons, IReadOnlyList<string> properties,
        IReadOnlyList<PipedriveField> fields, CancellationToken ct)
    {
        if (persons.Count == 0) return [];
        var wanted = properties.ToHashSet(StringComparer.Ordinal);
        if (wanted.Contains("org_id")) await LoadOrgsAsync(o, persons.Select(p => PipedriveValues.Id(p["org_id"])).OfType<long>(), ct);
        if (wanted.Contains("owner_id") && _userNames is null) _userNames = await UsersAsync(o, ct);
        var byKey = fields.ToDictionary(f => f.Key, StringComparer.Ordinal);
        var records = new List<CrmRecord>(persons.Count);
        foreach (var p in persons)
        {
            var id = PipedriveValues.Id(p["id"])!.Value;
            var outcome = await deals.OutcomeAsync(o, id, ct);
            var values = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var name in properties)
                values[name] = name switch
                {
                    DealStatus => outcome.Status,
                    DealStage => outcome.Stage,
                    "email" => PipedriveValues.Text(p["emails"] ?? p["email"]),
                    "phone" => PipedriveValues.Text(p["phones"] ?? p["phone"]),
                    "org_id" => PipedriveValues.Id(p["org_id"]) is { } org ? _orgNames.GetValueOrDefault(org) : null,
                    "owner_id" => PipedriveValues.Id(p["owner_id"]) is { } owner ? _userNames?.GetValueOrDefault(owner) : null,
                    _ when p["custom_fields"] is JsonObject custom && custom.ContainsKey(name) => Custom(custom[name], byKey.GetValueOrDefault(name)),
                    _ => Custom(p[name], byKey.GetValueOrDefault(name)),
                };
            var updated = PipedriveValues.Time(p[UpdateTime])!.Value;
            values[UpdateTime] = PipedriveValues.Rfc3339(updated);
            var modified = outcome.LastChange is { } dealChange && dealChange > updated ? dealChange : updated;
            records.Add(new CrmRecord("persons", id.ToString(CultureInfo.InvariantCulture), modified, values));
        }
        return records;
    }

    /// <summary>An enum or set field's option ids as their labels (v2 gives ids); everything else as text.</summary>
    private static string? Custom(JsonNode? value, PipedriveField? field)
    {
        if (field is null || field.Options.Count == 0 || value is null) return PipedriveValues.Text(value);
        var ids = value is JsonArray a ? a.Select(PipedriveValues.Text) : (PipedriveValues.Text(value) ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var labels = ids.OfType<string>().Select(i => field.Options.GetValueOrDefault(i) ?? i).ToList();
        return labels.Count == 0 ? null : string.Join(", ", labels);
    }

    /// <summary>Organization names for the ids not seen yet in this sync, 100 ids per call.</summary>
    private async Task LoadOrgsAsync(PipedriveOptions o, IEnumerable<long> ids, CancellationToken ct)
    {
        foreach (var chunk in ids.Distinct().Where(i => !_orgNames.ContainsKey(i)).Chunk(MaxIds))
        {
            var answer = await api.SendOkAsync(o, HttpMethod.Get, $"/api/v2/organizations?ids={string.Join(',', chunk)}&limit={MaxLimit}", null, ct);
            foreach (var org in answer.DataArray().OfType<JsonObject>())
                if (PipedriveValues.Id(org["id"]) is { } id) _orgNames[id] = PipedriveAnswer.Text(org, "name");
            foreach (var id in chunk) _orgNames.TryAdd(id, null); // deleted since, or not visible to the token's user
        }
    }

    private async Task<Dictionary<long, string>> UsersAsync(PipedriveOptions o, CancellationToken ct)
    {
        var answer = await api.SendOkAsync(o, HttpMethod.Get, "/v1/users", null, ct);
        var users = new Dictionary<long, string>();
        foreach (var u in answer.DataArray().OfType<JsonObject>())
            if (PipedriveValues.Id(u["id"]) is { } id && PipedriveAnswer.Text(u, "name") is { } name) users[id] = name;
        return users;
    }

    private static (char Phase, string? Value) Decode(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor)) return ('p', null);
        if (cursor.Length < 2 || cursor[1] != '|' || "pdi".IndexOf(cursor[0]) < 0)
            throw new CrmException($"The saved Pipedrive cursor '{cursor}' is not one GrowthBrain wrote; run the sync with --full to start over.");
        var value = cursor[2..];
        return (cursor[0], value.Length == 0 ? null : value);
    }
}

/// <summary>Pipedrive compares updated_since to the second.</summary>
internal static class PipedriveTime
{
    public static DateTime Floor(DateTime at) => new(at.Ticks - at.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
}
