using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace GrowthBrain.Integrations.HubSpot;

/// <summary>
/// Creates notes (an approved follow-up) and call tasks (a sequence's call step) associated with their contact, through
/// batch/create. HubSpot does not promise results in input order, so each input carries an objectWriteTraceId that its
/// result echoes. Association types are HubSpot-defined: 202 note to contact, 204 task to contact.
/// </summary>
internal sealed class HubSpotActivities(HubSpotBatchWriter writer, TimeProvider clock)
{
    public const int NoteToContact = 202;
    public const int TaskToContact = 204;
    public const int MaxBatch = 100;

    public async Task<IReadOnlyList<CrmWriteResult>> WriteAsync(HubSpotOptions credentials, IReadOnlyList<CrmActivityWrite> batch, CancellationToken ct)
    {
        var results = new List<CrmWriteResult>();
        foreach (var wrong in batch.Where(a => a.Object != "contacts"))
            results.Add(new CrmWriteResult(wrong.LocalKey, false, Error: $"HubSpot notes and tasks are attached to contacts here, not to {wrong.Object}."));
        foreach (var kind in new[] { CrmActivityKind.Note, CrmActivityKind.Task })
        {
            var inputs = batch.Where(a => a.Kind == kind && a.Object == "contacts").Select((a, i) => new HubSpotBatchInput(a.LocalKey,
                i.ToString(CultureInfo.InvariantCulture), Input(a, i))).ToList();
            var objects = kind == CrmActivityKind.Note ? "notes" : "tasks";
            foreach (var chunk in inputs.Chunk(MaxBatch))
                results.AddRange(await writer.WriteAsync(credentials, $"/crm/v3/objects/{objects}/batch/create", chunk, creates: true, $"creating {objects}", ct));
        }
        return results;
    }

    private JsonObject Input(CrmActivityWrite activity, int trace)
    {
        var note = activity.Kind == CrmActivityKind.Note;
        var properties = note
            ? new JsonObject
            {
                ["hs_note_body"] = Html(activity.Subject, activity.Body),
                ["hs_timestamp"] = HubSpotJson.Iso(clock.GetUtcNow().UtcDateTime),
            }
            : new JsonObject
            {
                ["hs_task_subject"] = activity.Subject,
                ["hs_task_body"] = activity.Body,
                ["hs_timestamp"] = HubSpotJson.Iso(activity.DueAt ?? clock.GetUtcNow().UtcDateTime),
                ["hs_task_status"] = "NOT_STARTED",
                ["hs_task_type"] = "CALL",
            };
        return new JsonObject
        {
            ["properties"] = properties,
            ["objectWriteTraceId"] = trace.ToString(CultureInfo.InvariantCulture),
            ["associations"] = new JsonArray(new JsonObject
            {
                ["to"] = new JsonObject { ["id"] = activity.RecordId },
                ["types"] = new JsonArray(new JsonObject
                {
                    ["associationCategory"] = "HUBSPOT_DEFINED",
                    ["associationTypeId"] = note ? NoteToContact : TaskToContact,
                }),
            }),
        };
    }

    /// <summary>A note's body is HTML in HubSpot: the subject on top in bold, the text's lines kept.</summary>
    private static string Html(string subject, string body)
    {
        var lines = WebUtility.HtmlEncode(body.ReplaceLineEndings("\n")).Replace("\n", "<br>", StringComparison.Ordinal);
        return string.IsNullOrWhiteSpace(subject) ? lines : $"<strong>{WebUtility.HtmlEncode(subject)}</strong><br>{lines}";
    }
}
