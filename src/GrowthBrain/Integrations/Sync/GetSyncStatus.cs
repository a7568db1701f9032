using GrowthBrain.Data;
namespace GrowthBrain.Integrations.Sync;

public sealed record GetSyncStatus(string Crm, int Failures = 50);

public sealed record SyncRunView(long Id, string Trigger, string StartedBy, bool Full, bool DryRun, CrmSyncStatus Status, string Phase,
    int Pulled, int Created, int Updated, int Unchanged, int Pushed, int Failed, string? Error, DateTime StartedAt, DateTime? FinishedAt);

public sealed record SyncFailureView(long Id, CrmSyncDirection Direction, string CrmObject, string RecordKey, long? LeadId, string Error,
    int Attempts, DateTime LastFailedAt);

/// <param name="Configured">Whether credentials are set (configuration or stored).</param>
/// <param name="Running">A sync holds the lease now (on any instance).</param>
/// <param name="LastRuns">The latest runs, newest first; the first may be the one running.</param>
/// <param name="FailureCount">How many records are failing now; <paramref name="Failures"/> lists the latest.</param>
public sealed record SyncStatusView(string Crm, string DisplayName, bool Configured, bool MappingSaved, bool Running,
    IReadOnlyList<SyncRunView> LastRuns, int FailureCount, IReadOnlyList<SyncFailureView> Failures);

/// <summary>What the Integrations page and GET /api/sync/{crm} show: last runs with their counts, and what is failing and why.</summary>
public sealed class GetSyncStatusHandler(CrmConnectors connectors, GrowthBrainDb db, TimeProvider clock)
{
    public async Task<SyncStatusView> HandleAsync(GetSyncStatus request, CancellationToken ct)
    {
        var connector = connectors.Get(request.Crm);
        var now = clock.GetUtcNow().UtcDateTime;
        var state = await db.CrmSyncStates.AsNoTracking().FirstOrDefaultAsync(s => s.Crm == connector.Crm, ct);
        var runs = await db.CrmSyncRuns.AsNoTracking().Where(r => r.Crm == connector.Crm).OrderByDescending(r => r.Id).Take(10)
            .Select(r => new SyncRunView(r.Id, r.Trigger, r.StartedBy, r.Full, r.DryRun, r.Status, r.Phase, r.Pulled, r.Created, r.Updated,
                r.Unchanged, r.Pushed, r.Failed, r.Error, r.StartedAt, r.FinishedAt))
            .ToListAsync(ct);
        var failures = db.CrmSyncFailures.AsNoTracking().Where(f => f.Crm == connector.Crm);
        var latest = await failures.OrderByDescending(f => f.LastFailedAt).Take(Math.Clamp(request.Failures, 1, 500))
            .Select(f => new SyncFailureView(f.Id, f.Direction, f.CrmObject, f.RecordKey, f.LeadId, f.Error, f.Attempts, f.LastFailedAt))
            .ToListAsync(ct);
        return new SyncStatusView(connector.Crm, connector.DisplayName, await connector.IsConfiguredAsync(ct), state?.Mapping is not null,
            state?.LeaseUntil is { } until && until > now, runs, await failures.CountAsync(ct), latest);
    }
}
