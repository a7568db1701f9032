using System.Globalization;
using System.Text.Json.Nodes;

namespace GrowthBrain.Integrations.Pipedrive;

/// <summary>
/// Writes: scores onto persons (PATCH /api/v2/persons/{id} with the score fields' keys under custom_fields), notes
/// (POST /v1/notes) and call tasks (POST /v1/activities), and deletions. Pipedrive has no batch update for persons, so
/// a batch is written one record after the other, each within the burst window; the daily budget is checked for the
/// whole batch before its first write, so a batch never stops half-way for lack of budget.
/// </summary>
public sealed class PipedriveWriter(PipedriveApiClient api, PipedriveFields fields, PipedriveRateLimiter limiter)
{
    /// <summary>Records handed over per call: Pipedrive writes them one by one, this is how many the budget is checked for at once.</summary>
    public const int BatchSize = 100;

    /// <summary>Pipedrive's varchar holds 255 characters; its large text 65,536 (GrowthBrain's reasons are far shorter).</summary>
    private const int GradeMax = 255;
    private const int ReasonsMax = 65_000;

    public async Task<IReadOnlyList<CrmWriteResult>> WriteScoresAsync(PipedriveOptions o, IReadOnlyList<CrmScoreWrite> batch, CancellationToken ct)
    {
        if (batch.Count == 0) return [];
        limiter.EnsureBudgetFor(batch.Count, batch.Count * PipedriveRateLimiter.CostOf(HttpMethod.Patch, "/api/v2/persons/1"));
        var keys = await fields.ScoreKeysAsync(o, ct);
        var results = new List<CrmWriteResult>(batch.Count);
        foreach (var write in batch)
        {
            var answer = await PatchAsync(o, keys, write, ct);
            if (answer.Status == 400 && MentionsKey(answer, keys))
            {
                // A score field was deleted or re-created in Pipedrive since its key was read: read the keys again, once.
                PipedriveFields.Forget(o);
                keys = await fields.ScoreKeysAsync(o, ct);
                answer = await PatchAsync(o, keys, write, ct);
            }
            results.Add(Result(write.ExternalId, answer, created: null));
        }
        return results;
    }

    private Task<PipedriveAnswer> PatchAsync(PipedriveOptions o, PipedriveScoreKeys keys, CrmScoreWrite w, CancellationToken ct) =>
        api.SendAsync(o, HttpMethod.Patch, $"/api/v2/persons/{Uri.EscapeDataString(w.ExternalId)}", new JsonObject
        {
            ["custom_fields"] = new JsonObject
            {
                [keys.Score] = Math.Clamp(w.Score, 0, 100),
                [keys.Grade] = Cut(w.Grade, GradeMax),
                [keys.Reasons] = Cut(w.Reasons, ReasonsMax),
            },
        }.ToJsonString(), ct);

    public async Task<IReadOnlyList<CrmWriteResult>> WriteActivitiesAsync(PipedriveOptions o, IReadOnlyList<CrmActivityWrite> batch, CancellationToken ct)
    {
        if (batch.Count == 0) return [];
        limiter.EnsureBudgetFor(batch.Count, batch.Count * PipedriveRateLimiter.CostOf(HttpMethod.Post, "/v1/notes"));
        var results = new List<CrmWriteResult>(batch.Count);
        foreach (var a in batch)
        {
            if (!long.TryParse(a.RecordId, NumberStyles.Integer, CultureInfo.InvariantCulture, out var personId))
            {
                results.Add(new CrmWriteResult(a.LocalKey, false, Error: $"'{a.RecordId}' is not a Pipedrive person id"));
                continue;
            }
            var answer = a.Kind == CrmActivityKind.Note
                ? await api.SendAsync(o, HttpMethod.Post, "/v1/notes", new JsonObject
                {
                    ["content"] = $"<b>{Html(a.Subject)}</b><br>{Html(a.Body).Replace("\n", "<br>", StringComparison.Ordinal)}",
                    ["person_id"] = personId,
                }.ToJsonString(), ct, creates: true)
                : await api.SendAsync(o, HttpMethod.Post, "/v1/activities", Task(a, personId).ToJsonString(), ct, creates: true);
            results.Add(Result(a.LocalKey, answer, created: true));
        }
        return results;
    }

    /// <summary>A call task, due at the step's time (Pipedrive takes due_date and due_time in UTC).</summary>
    private static JsonObject Task(CrmActivityWrite a, long personId)
    {
        var task = new JsonObject { ["subject"] = a.Subject, ["type"] = "call", ["person_id"] = personId, ["note"] = a.Body };
        if (a.DueAt is { } due)
        {
            var utc = DateTime.SpecifyKind(due, DateTimeKind.Utc);
            task["due_date"] = utc.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            task["due_time"] = utc.ToString("HH:mm", CultureInfo.InvariantCulture);
        }
        return task;
    }

    /// <summary>Deletes one item; false when Pipedrive does not have it (already deleted). Persons go through v2, the rest v1.</summary>
    public async Task<bool> DeleteAsync(PipedriveOptions o, string path, CancellationToken ct)
    {
        var answer = await api.SendAsync(o, HttpMethod.Delete, path, null, ct);
        if (answer.Status is 404 or 410) return false;
        if (!answer.IsSuccess) throw PipedriveErrors.Exception(answer);
        return true;
    }

    private static CrmWriteResult Result(string key, PipedriveAnswer answer, bool? created)
    {
        if (answer.IsSuccess)
        {
            var data = answer.Body is JsonObject b ? b["data"] as JsonObject : null;
            if (created is not true) return new CrmWriteResult(key, true);
            return PipedriveValues.Id(data?["id"]) is { } id
                ? new CrmWriteResult(key, true, id.ToString(CultureInfo.InvariantCulture))
                : throw answer.Malformed("the created item has no data.id");
        }
        // Refusals of this record (404 gone, 400 invalid) are the record's; the whole call failing is an exception.
        return answer.Status switch
        {
            404 or 410 => new CrmWriteResult(key, false, Error: $"Pipedrive has no such person any more ({PipedriveErrors.Said(answer)})"),
            400 or 422 => new CrmWriteResult(key, false, Error: $"Pipedrive refused the values ({PipedriveErrors.Said(answer)})"),
            429 => new CrmWriteResult(key, false, Error: $"Pipedrive's rate limit, even after retries ({PipedriveErrors.Said(answer)}); tried again next sync", Retryable: true),
            _ => throw PipedriveErrors.Exception(answer),
        };
    }

    private static bool MentionsKey(PipedriveAnswer a, PipedriveScoreKeys keys) =>
        a.Raw.Contains(keys.Score, StringComparison.Ordinal) || a.Raw.Contains(keys.Grade, StringComparison.Ordinal)
        || a.Raw.Contains(keys.Reasons, StringComparison.Ordinal);

    private static string Html(string text) => System.Net.WebUtility.HtmlEncode(text);

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
