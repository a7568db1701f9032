using System.Globalization;
using System.Text.Json;

namespace GrowthBrain.Integrations.Salesforce;

/// <summary>
/// Record writes through sObject Collections (/composite/sobjects, up to 200 records a call, allOrNone false):
/// score updates (PATCH), tasks (POST), and erasure (DELETE of one record). Salesforce answers a collection with
/// one SaveResult per input, in input order: {id, success, errors: [{statusCode, message, fields}]}.
/// </summary>
public sealed class SalesforceWriter(SalesforceApiClient api, TimeProvider clock)
{
    public const int MaxBatch = 200;
    private const int SubjectMax = 255;
    private const int DescriptionMax = 32_000;

    /// <summary>A refusal that may pass later (another transaction held the record); anything else refuses the data.</summary>
    private static readonly HashSet<string> RetryableCodes = ["UNABLE_TO_LOCK_ROW"];

    /// <summary>Writes the score fields that exist and the user may edit; with none of them, every record fails with what an admin must do.</summary>
    public async Task<IReadOnlyList<CrmWriteResult>> WriteScoresAsync(SalesforceOptions o, string sobject, IReadOnlyList<SalesforceField> fields,
        IReadOnlyList<CrmScoreWrite> batch, CancellationToken ct)
    {
        if (batch.Count == 0) return [];
        if (batch.Count > MaxBatch) throw new ArgumentException($"Salesforce updates at most {MaxBatch} records per call; got {batch.Count}.", nameof(batch));
        var writable = SalesforceDescribe.ScoreFields
            .Select(s => fields.FirstOrDefault(f => string.Equals(f.Name, s.Name, StringComparison.OrdinalIgnoreCase) && f.Updateable))
            .ToList();
        if (writable.All(f => f is null))
        {
            var todo = string.Join(" ", SalesforceDescribe.Missing(sobject, fields));
            return batch.Select(w => new CrmWriteResult(w.ExternalId, false,
                Error: $"Salesforce's {sobject} has none of the fields GrowthBrain writes its score to. {todo}")).ToList();
        }
        var records = batch.Select(w =>
        {
            var record = new Dictionary<string, object?> { ["attributes"] = new { type = sobject }, ["id"] = w.ExternalId };
            if (writable[0] is { } score) record[score.Name] = Math.Clamp(w.Score, 0, 100);
            if (writable[1] is { } grade) record[grade.Name] = Cut(w.Grade, grade.Length);
            if (writable[2] is { } reasons) record[reasons.Name] = Cut(w.Reasons, reasons.Length);
            return record;
        }).ToList();
        var answer = await api.SendAsync(o, HttpMethod.Patch, $"{SalesforceApiClient.Data(o)}/composite/sobjects", new { allOrNone = false, records }, ct);
        return PerRecord(answer, batch.Select(w => w.ExternalId).ToList(), (key, _) => new CrmWriteResult(key, true));
    }

    /// <summary>
    /// Notes and tasks both become Task records on the lead or contact (WhoId): a note as a completed task dated
    /// today, a call step as an open one due that day. Salesforce's own notes (ContentNote) need a second call per
    /// note to link them, and a completed task shows in the record's activity history where reps look.
    /// </summary>
    public async Task<IReadOnlyList<CrmWriteResult>> WriteActivitiesAsync(SalesforceOptions o, IReadOnlyList<CrmActivityWrite> batch, CancellationToken ct)
    {
        var results = new List<CrmWriteResult>(batch.Count);
        foreach (var chunk in batch.Chunk(MaxBatch))
        {
            var today = clock.GetUtcNow().UtcDateTime;
            var records = chunk.Select(a => new Dictionary<string, object?>
            {
                ["attributes"] = new { type = "Task" },
                ["WhoId"] = a.RecordId,
                ["Subject"] = Cut(a.Subject, SubjectMax),
                ["Description"] = Cut(a.Body, DescriptionMax),
                ["ActivityDate"] = (a.Kind == CrmActivityKind.Task && a.DueAt is { } due ? due : today).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["Status"] = a.Kind == CrmActivityKind.Task ? "Not Started" : "Completed",
            }).ToList();
            var answer = await api.SendAsync(o, HttpMethod.Post, $"{SalesforceApiClient.Data(o)}/composite/sobjects", new { allOrNone = false, records }, ct, creates: true);
            results.AddRange(PerRecord(answer, chunk.Select(a => a.LocalKey).ToList(), (key, result) =>
                SalesforceDescribe.Text(result, "id") is { } id ? new CrmWriteResult(key, true, id)
                    : throw answer.Malformed($"the result for {key} says success but has no id")));
        }
        return results;
    }

    /// <summary>Deletes one record; a record Salesforce no longer has (NOT_FOUND, ENTITY_IS_DELETED) counts as deleted.</summary>
    public async Task DeleteAsync(SalesforceOptions o, string sobject, string id, CancellationToken ct)
    {
        var answer = await api.SendAsync(o, HttpMethod.Delete,
            $"{SalesforceApiClient.Data(o)}/sobjects/{Uri.EscapeDataString(sobject)}/{Uri.EscapeDataString(id)}", null, ct);
        if (answer.IsSuccess || answer.Code is "NOT_FOUND" or "ENTITY_IS_DELETED" || (answer.Status == 404 && answer.Code is null)) return;
        if (answer.Code is "MALFORMED_ID" or "INVALID_CROSS_REFERENCE_KEY") return; // no such record can exist
        throw SalesforceApiClient.Refused(answer);
    }

    /// <summary>One result per key from a collection answer; a whole-call refusal (not an array) is an exception.</summary>
    private static List<CrmWriteResult> PerRecord(SalesforceAnswer answer, IReadOnlyList<string> keys, Func<string, JsonElement, CrmWriteResult> success)
    {
        if (!answer.IsSuccess) throw SalesforceApiClient.Refused(answer);
        var entries = answer.Require(JsonValueKind.Array).EnumerateArray().ToList();
        if (entries.Count != keys.Count) throw answer.Malformed($"{entries.Count} results for {keys.Count} records");
        var results = new List<CrmWriteResult>(keys.Count);
        for (var i = 0; i < keys.Count; i++)
        {
            var e = entries[i];
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("success", out var ok) || ok.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                throw answer.Malformed("a result has no success flag");
            if (ok.GetBoolean())
            {
                results.Add(success(keys[i], e));
                continue;
            }
            var errors = e.TryGetProperty("errors", out var list) && list.ValueKind == JsonValueKind.Array ? list.EnumerateArray().ToList() : [];
            var codes = errors.Select(x => SalesforceDescribe.Text(x, "statusCode")).OfType<string>().ToList();
            var text = errors.Count == 0 ? "refused without a reason" : string.Join("; ", errors.Select(x =>
            {
                var fields = x.TryGetProperty("fields", out var f) && f.ValueKind == JsonValueKind.Array && f.GetArrayLength() > 0
                    ? $" (fields: {string.Join(", ", f.EnumerateArray().Select(v => v.ToString()))})" : "";
                return $"{SalesforceDescribe.Text(x, "statusCode") ?? "ERROR"}: {SalesforceDescribe.Text(x, "message") ?? ""}{fields}";
            }));
            results.Add(new CrmWriteResult(keys[i], false, Error: text, Retryable: codes.Count > 0 && codes.All(RetryableCodes.Contains)));
        }
        return results;
    }

    private static string Cut(string text, int max) => max <= 0 || text.Length <= max ? text : text[..(max - 1)] + "…";
}
