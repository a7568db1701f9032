using GrowthBrain.Data;
using Microsoft.Extensions.Logging;

namespace GrowthBrain.Integrations.Sync;

/// <param name="Every">How long after the last sync of a connection the next scheduled one is due.</param>
public sealed record RunDueSyncs(TimeSpan Every);

/// <summary>
/// The scheduler's tick: for each connected CRM, pull what webhooks queued, and run the incremental sync when it is
/// due. Safe on every instance at once: the lease lets one sync a connection, the others skip it this tick.
/// </summary>
public sealed class RunDueSyncsHandler(CrmConnectors connectors, SyncCrmHandler sync, GrowthBrainDb db, TimeProvider clock, ILogger<RunDueSyncsHandler> log)
{
    public async Task<IReadOnlyList<SyncSummary>> HandleAsync(RunDueSyncs request, CancellationToken ct)
    {
        var done = new List<SyncSummary>();
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var connector in connectors.All)
        {
            if (!await connector.IsConfiguredAsync(ct)) continue;
            var crm = connector.Crm;
            var state = await db.CrmSyncStates.AsNoTracking().FirstOrDefaultAsync(s => s.Crm == crm, ct);
            if (state?.LeaseUntil > now) continue;
            var queued = await db.CrmWebhookEvents.AsNoTracking().Where(e => e.Crm == crm).OrderBy(e => e.Id).Take(ReceiveCrmWebhookHandler.MaxQueued).ToListAsync(ct);
            var last = await db.CrmSyncRuns.AsNoTracking().Where(r => r.Crm == crm && !r.DryRun).OrderByDescending(r => r.Id).Select(r => (DateTime?)r.StartedAt).FirstOrDefaultAsync(ct);
            var due = last is null || now - last >= request.Every || state?.SyncRequestedAt is not null || state?.ResumeCursor is not null;
            if (!due && queued.Count == 0) continue;
            try
            {
                if (due)
                {
                    done.Add(await sync.HandleAsync(new SyncCrm(crm, Trigger: "schedule"), null, ct));
                    await db.CrmSyncStates.Where(s => s.Crm == crm && s.SyncRequestedAt <= now).ExecuteUpdateAsync(s => s.SetProperty(x => x.SyncRequestedAt, (DateTime?)null), ct);
                }
                if (queued.Count > 0)
                {
                    // Read by id: a webhook may name a record the incremental pull does not reach (changed before the watermark).
                    done.Add(await sync.HandleAsync(new SyncCrm(crm, Trigger: "webhook", Only: queued.Select(e => new CrmRecordRef(e.CrmObject, e.ExternalId)).ToList()), null, ct));
                    var ids = queued.Select(e => e.Id).ToList();
                    await db.CrmWebhookEvents.Where(e => ids.Contains(e.Id)).ExecuteDeleteAsync(ct);
                }
            }
            catch (SyncAlreadyRunningException)
            {
                // Another instance took it between the check and the lease: its sync covers this tick.
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The run's row keeps the error for the page; the next tick tries again.
                log.LogWarning(e, "Scheduled {Crm} sync failed", connector.DisplayName);
            }
        }
        return done;
    }
}
