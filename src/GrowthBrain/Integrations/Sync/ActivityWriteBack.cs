using System.Globalization;
using GrowthBrain.Data;
using GrowthBrain.FollowUps;
using GrowthBrain.Sequences;

namespace GrowthBrain.Integrations.Sync;

/// <summary>
/// Puts what reps did in GrowthBrain where they work: an approved (or sent) follow-up becomes a note on the CRM record,
/// a sequence's call step a task. Each becomes a link (note or task, with the CRM's id), so it is written once.
/// </summary>
internal sealed class ActivityWriteBack(GrowthBrainDb db, ICrmConnector connector, long teamId, DateTime now)
{
    private const int Chunk = 500;

    public async Task<(int Written, int Failed)> RunAsync(bool dryRun, CancellationToken ct)
    {
        var crm = connector.Crm;
        var leadLinks = db.CrmLinks.Where(l => l.TeamId == teamId && l.Crm == crm && l.RecordKind == "lead");
        var notes = await (from d in db.FollowUpDrafts
                           join link in leadLinks on d.LeadId equals link.LocalId
                           where (d.Status == DraftStatus.Approved || d.Status == DraftStatus.Sent || d.Status == DraftStatus.Sending)
                                 && !db.CrmLinks.Any(n => n.Crm == crm && n.RecordKind == "note" && n.LocalId == d.Id)
                           orderby d.Id
                           select new { d.Id, d.LeadId, d.Subject, d.Body, d.Status, d.ApprovedBy, link.CrmObject, link.ExternalId })
            .Take(Chunk).ToListAsync(ct);
        var tasks = await (from t in db.LeadTasks
                           join link in leadLinks on t.LeadId equals link.LocalId
                           where t.Kind == StepKind.CallTask && !db.CrmLinks.Any(n => n.Crm == crm && n.RecordKind == "task" && n.LocalId == t.Id)
                           orderby t.Id
                           select new { t.Id, t.LeadId, t.Title, t.DueAt, t.DoneAt, link.CrmObject, link.ExternalId })
            .Take(Chunk).ToListAsync(ct);
        var writes = notes.Select(n => (Kind: "note", n.Id, n.LeadId, Write: new CrmActivityWrite($"note:{n.Id}", CrmActivityKind.Note, n.CrmObject ?? connector.Objects[0], n.ExternalId,
                $"Follow-up {(n.Status == DraftStatus.Approved ? "approved" : "sent")} in GrowthBrain: {n.Subject}",
                $"{n.Subject}\n\n{n.Body}\n\n— approved by {n.ApprovedBy ?? "a teammate"} in GrowthBrain", null)))
            .Concat(tasks.Select(t => (Kind: "task", t.Id, t.LeadId, Write: new CrmActivityWrite($"task:{t.Id}", CrmActivityKind.Task, t.CrmObject ?? connector.Objects[0], t.ExternalId,
                t.Title, $"Call step from a GrowthBrain sequence, due {t.DueAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC.", t.DueAt))))
            .ToList();
        if (dryRun || writes.Count == 0) return (writes.Count, 0);

        var written = 0;
        var failed = 0;
        foreach (var batch in writes.Chunk(connector.WriteBatchSize))
        {
            var results = (await connector.WriteActivitiesAsync(batch.Select(b => b.Write).ToList(), ct)).ToDictionary(r => r.Key);
            var ok = new List<string>();
            foreach (var b in batch)
            {
                var result = results.GetValueOrDefault(b.Write.LocalKey);
                if (result is { Ok: true, CreatedId: { } id })
                {
                    db.CrmLinks.Add(new CrmLink { TeamId = teamId, Crm = crm, RecordKind = b.Kind, CrmObject = b.Kind == "note" ? "notes" : "tasks", LocalId = b.Id, ExternalId = id, LastSyncedAt = now });
                    ok.Add(b.Write.LocalKey);
                    written++;
                }
                else
                {
                    await SyncFailures.RecordAsync(db, teamId, crm, CrmSyncDirection.Activities, b.Kind, b.Write.LocalKey, b.LeadId,
                        result?.Error ?? "the CRM gave no result for this note or task", now, ct);
                    failed++;
                }
            }
            await SyncFailures.ClearAsync(db, crm, CrmSyncDirection.Activities, ok, ct);
            await db.SaveChangesAsync(ct);
        }
        return (written, failed);
    }
}
