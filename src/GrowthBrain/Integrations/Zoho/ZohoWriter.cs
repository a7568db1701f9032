using System.Globalization;
using System.Text.Json;

namespace GrowthBrain.Integrations.Zoho;

/// <summary>
/// Record writes: scores (Update Records), notes and tasks (Insert Records on Notes and Tasks), erasure (Delete
/// Records). Zoho answers a batch with one entry per input, in input order, inside a 200, 201, 207 or (all refused)
/// 400; each entry says success or why not.
/// </summary>
public sealed class ZohoWriter(ZohoApiClient api)
{
    public const int MaxBatch = 100;
    private const string Scope = "ZohoCRM.modules.ALL";

    /// <summary>A refusal that may pass later: a lock, a limit, Zoho's own failure. Anything else refuses the data.</summary>
    private static readonly HashSet<string> RetryableCodes = ["RECORD_LOCKED", "LIMIT_EXCEEDED", "TOO_MANY_REQUESTS", "INTERNAL_ERROR", "CANNOT_PROCESS", "RECORD_IN_BLUEPRINT"];

    /// <summary>Zoho's textarea ("small") holds 2,000 characters and a single line 255; longer is refused as INVALID_DATA.</summary>
    private const int ReasonsMax = 2000;
    private const int GradeMax = 20;

    public async Task<IReadOnlyList<CrmWriteResult>> WriteScoresAsync(ZohoOptions o, string module, IReadOnlyDictionary<string, string> names,
        IReadOnlyList<CrmScoreWrite> batch, CancellationToken ct)
    {
        if (batch.Count == 0) return [];
        if (batch.Count > MaxBatch) throw new ArgumentException($"Zoho updates at most {MaxBatch} records per call; got {batch.Count}.", nameof(batch));
        var data = batch.Select(w => new Dictionary<string, object>
        {
            ["id"] = w.ExternalId,
            [names["GrowthBrain_Score"]] = Math.Clamp(w.Score, 0, 100),
            [names["GrowthBrain_Grade"]] = Cut(w.Grade, GradeMax),
            [names["GrowthBrain_Reasons"]] = Cut(w.Reasons, ReasonsMax),
        }).ToList();
        var answer = await api.SendAsync(o, HttpMethod.Put, $"/crm/v8/{Uri.EscapeDataString(module)}", new { data }, batch.Count, ct);
        return PerRecord(answer, batch.Select(w => w.ExternalId).ToList(), (key, _) => new CrmWriteResult(key, true));
    }

    public async Task<IReadOnlyList<CrmWriteResult>> WriteActivitiesAsync(ZohoOptions o, IReadOnlyList<CrmActivityWrite> batch, CancellationToken ct)
    {
        var results = new List<CrmWriteResult>(batch.Count);
        foreach (var chunk in batch.Where(a => a.Kind == CrmActivityKind.Note).Chunk(MaxBatch))
            results.AddRange(await InsertAsync(o, "Notes", chunk, Note, ct));
        foreach (var chunk in batch.Where(a => a.Kind == CrmActivityKind.Task).Chunk(MaxBatch))
            results.AddRange(await InsertAsync(o, "Tasks", chunk, Task, ct));
        return results;
    }

    private async Task<IReadOnlyList<CrmWriteResult>> InsertAsync(ZohoOptions o, string module, CrmActivityWrite[] chunk,
        Func<CrmActivityWrite, Dictionary<string, object?>> shape, CancellationToken ct)
    {
        var answer = await api.SendAsync(o, HttpMethod.Post, $"/crm/v8/{module}", new { data = chunk.Select(shape).ToList() }, chunk.Length, ct);
        return PerRecord(answer, chunk.Select(a => a.LocalKey).ToList(), (key, details) =>
            details.TryGetProperty("id", out var id) && ZohoRecordReader.Text(id) is { } created
                ? new CrmWriteResult(key, true, created)
                : throw answer.Malformed($"the {module} entry for {key} says success but has no details.id"));
    }

    private static Dictionary<string, object?> Note(CrmActivityWrite a) => new()
    {
        ["Note_Title"] = a.Subject,
        ["Note_Content"] = a.Body,
        ["Parent_Id"] = new { module = new { api_name = a.Object }, id = a.RecordId },
    };

    /// <summary>A task points at a contact through Who_Id, and at any other record (a lead) through What_Id and $se_module.</summary>
    private static Dictionary<string, object?> Task(CrmActivityWrite a)
    {
        var task = new Dictionary<string, object?> { ["Subject"] = a.Subject, ["Description"] = a.Body };
        if (a.DueAt is { } due) task["Due_Date"] = DateTime.SpecifyKind(due, DateTimeKind.Utc).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (string.Equals(a.Object, "Contacts", StringComparison.OrdinalIgnoreCase)) task["Who_Id"] = new { id = a.RecordId };
        else
        {
            task["What_Id"] = new { id = a.RecordId };
            task["$se_module"] = a.Object;
        }
        return task;
    }

    /// <summary>Deletes one record; false when Zoho does not have it (already deleted, or in another module).</summary>
    public async Task<bool> DeleteAsync(ZohoOptions o, string module, string id, CancellationToken ct)
    {
        var answer = await api.SendAsync(o, HttpMethod.Delete, $"/crm/v8/{Uri.EscapeDataString(module)}?ids={Uri.EscapeDataString(id)}", null, 0, ct);
        var result = PerRecord(answer, [id], (key, _) => new CrmWriteResult(key, true)).Single();
        if (result.Ok) return true;
        // Zoho says INVALID_DATA for an id it does not have.
        if (result.Error?.StartsWith("INVALID_DATA", StringComparison.Ordinal) == true) return false;
        throw new CrmException($"Zoho did not delete {module} record {id}: {result.Error}", retryable: result.Retryable);
    }

    /// <summary>One result per key from a batch answer; a whole-call refusal (no data[]) is an exception.</summary>
    private static List<CrmWriteResult> PerRecord(ZohoAnswer answer, IReadOnlyList<string> keys, Func<string, JsonElement, CrmWriteResult> success)
    {
        if (!answer.HasRecordResults)
        {
            if (answer.IsSuccess) throw answer.Malformed("no data[] with one result per record");
            throw ZohoApiClient.Refused(answer, Scope);
        }
        var entries = answer.RequireObject().GetProperty("data").EnumerateArray().ToList();
        if (entries.Count != keys.Count) throw answer.Malformed($"{entries.Count} results for {keys.Count} records");
        var results = new List<CrmWriteResult>(keys.Count);
        for (var i = 0; i < keys.Count; i++)
        {
            var e = entries[i];
            if (e.ValueKind != JsonValueKind.Object) throw answer.Malformed("a data[] result is not an object");
            var status = e.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            var code = e.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            var details = e.TryGetProperty("details", out var d) && d.ValueKind == JsonValueKind.Object ? d : default;
            if (status == "success" || (status is null && code == "SUCCESS"))
            {
                results.Add(success(keys[i], details.ValueKind == JsonValueKind.Object ? details : JsonDocument.Parse("{}").RootElement));
                continue;
            }
            if (status != "error" && code is null) throw answer.Malformed("a data[] result has neither status nor code");
            var message = e.TryGetProperty("message", out var m) ? m.ToString() : "";
            var detailText = details.ValueKind == JsonValueKind.Object && details.EnumerateObject().Any() ? $" {details}" : "";
            results.Add(new CrmWriteResult(keys[i], false, Error: $"{code}: {message}{detailText}", Retryable: code is not null && RetryableCodes.Contains(code)));
        }
        return results;
    }

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
