using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace GrowthBrain.Integrations.Pipedrive;

/// <summary>One person field as GET /v1/personFields describes it; custom fields are keyed by a 40-character hash.</summary>
/// <param name="Options">An enum or set field's options, id → label.</param>
public sealed record PipedriveField(string Key, string Name, string Type, IReadOnlyDictionary<string, string> Options);

/// <summary>The keys Pipedrive gave the three score fields in this company.</summary>
public sealed record PipedriveScoreKeys(string Score, string Grade, string Reasons);

/// <summary>
/// The person fields API: what persons have, and the three fields GrowthBrain writes. Pipedrive keys a custom field by a
/// hash it generates when the field is created, different in every company, so the fields are found by name and their
/// keys kept for the process (per token); a write that says a key is unknown (a field deleted since) forgets them.
/// </summary>
public sealed class PipedriveFields(PipedriveApiClient api)
{
    public const string ScoreName = "GrowthBrain score";
    public const string GradeName = "GrowthBrain grade";
    public const string ReasonsName = "GrowthBrain reasons";
    private const int PageLimit = 500;

    /// <summary>The score, grade and reasons fields: their names and Pipedrive field types (number, short text, long text).</summary>
    public static readonly IReadOnlyList<(string Name, string Type)> ScoreFields = [(ScoreName, "double"), (GradeName, "varchar"), (ReasonsName, "text")];

    private static readonly ConcurrentDictionary<string, PipedriveScoreKeys> KnownKeys = new();

    public static bool IsScoreField(PipedriveField f) => ScoreFields.Any(s => string.Equals(s.Name, f.Name.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>Every person field, following v1's start/limit paging to the end.</summary>
    public async Task<IReadOnlyList<PipedriveField>> ListAsync(PipedriveOptions o, CancellationToken ct)
    {
        var fields = new List<PipedriveField>();
        var start = 0;
        while (true)
        {
            var answer = await api.SendOkAsync(o, HttpMethod.Get, $"/v1/personFields?start={start}&limit={PageLimit}", null, ct);
            foreach (var node in answer.DataArray())
            {
                if (node is not JsonObject f) throw answer.Malformed("a personFields entry is not an object");
                var key = PipedriveAnswer.Text(f, "key") ?? throw answer.Malformed("a person field has no key");
                var options = f["options"] is JsonArray list
                    ? list.OfType<JsonObject>().Select(x => (Id: PipedriveValues.Text(x["id"]), Label: PipedriveValues.Text(x["label"])))
                        .Where(x => x.Id is not null && x.Label is not null).DistinctBy(x => x.Id).ToDictionary(x => x.Id!, x => x.Label!)
                    : new Dictionary<string, string>();
                fields.Add(new PipedriveField(key, PipedriveAnswer.Text(f, "name") ?? key, PipedriveAnswer.Text(f, "field_type") ?? "varchar", options));
            }
            var pagination = answer.RequireObject()["additional_data"]?["pagination"];
            if (pagination?["more_items_in_collection"] is not JsonValue more || !more.TryGetValue<bool>(out var hasMore) || !hasMore) return fields;
            start = PipedriveValues.Id(pagination["next_start"]) is { } next && next > start
                ? (int)next : throw answer.Malformed("more_items_in_collection is true but next_start does not move on");
        }
    }

    /// <summary>Creates the score fields a company lacks; returns what an admin must still do (empty when nothing).</summary>
    public async Task<IReadOnlyList<string>> EnsureAsync(PipedriveOptions o, CancellationToken ct)
    {
        Forget(o);
        var fields = await ListAsync(o, ct);
        var refused = new List<string>();
        foreach (var (name, type) in ScoreFields.Where(s => Find(fields, s.Name) is null))
        {
            var answer = await api.SendAsync(o, HttpMethod.Post, "/v1/personFields", new { name, field_type = type }, ct, creates: true);
            if (answer.Status is 403 or 402) refused.Add($"'{name}' ({type}): {PipedriveErrors.Said(answer)}");
            else if (!answer.IsSuccess) throw PipedriveErrors.Exception(answer);
            else if (PipedriveAnswer.Text(answer.DataObject(), "key") is null) throw answer.Malformed("the new field has no key");
        }
        if (refused.Count == 0) return [];
        return [$"Pipedrive did not let GrowthBrain create the person fields {string.Join("; ", refused)}. Ask a Pipedrive admin to create them " +
                "(Settings > Data fields > Person) with exactly these names and types: 'GrowthBrain score' as Numerical, 'GrowthBrain grade' as Text, " +
                "'GrowthBrain reasons' as Large text; scores are written once they exist."];
    }

    /// <summary>The score fields' keys, read once per process and token.</summary>
    /// <exception cref="CrmException">A score field is missing.</exception>
    public async Task<PipedriveScoreKeys> ScoreKeysAsync(PipedriveOptions o, CancellationToken ct)
    {
        if (KnownKeys.TryGetValue(CacheKey(o), out var known)) return known;
        var fields = await ListAsync(o, ct);
        var found = ScoreFields.Select(s => (s.Name, Field: Find(fields, s.Name))).ToList();
        if (found.Where(f => f.Field is null).Select(f => $"'{f.Name}'").ToList() is { Count: > 0 } missing)
            throw new CrmException($"Pipedrive persons have no field {string.Join(", ", missing)}: run a sync (it creates them) or have an admin " +
                                   "create them (Settings > Data fields > Person), then sync again.");
        var keys = new PipedriveScoreKeys(found[0].Field!.Key, found[1].Field!.Key, found[2].Field!.Key);
        KnownKeys[CacheKey(o)] = keys;
        return keys;
    }

    /// <summary>Forgets the keys (a field was deleted or re-created in Pipedrive): the next write reads them again.</summary>
    public static void Forget(PipedriveOptions o) => KnownKeys.TryRemove(CacheKey(o), out _);

    private static PipedriveField? Find(IReadOnlyList<PipedriveField> fields, string name) =>
        fields.FirstOrDefault(f => string.Equals(f.Name.Trim(), name, StringComparison.OrdinalIgnoreCase));

    /// <summary>A hash, so the cache's keys are no copy of the token.</summary>
    private static string CacheKey(PipedriveOptions o) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{o.BaseUrl}\n{o.ApiToken}"))));
}
