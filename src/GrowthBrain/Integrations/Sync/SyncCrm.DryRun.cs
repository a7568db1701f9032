namespace GrowthBrain.Integrations.Sync;

public sealed partial class SyncCrmHandler
{
    /// <summary>
    /// Everything a sync would do here, in one transaction that is rolled back, and a count of what it would write
    /// to the CRM without calling it: new records count as writes too, since each would get its first score.
    /// </summary>
    private async Task<SyncSummary> DryRunAsync(ICrmConnector connector, CrmSyncState state, CrmMapping mapping, CrmSyncRun run, SyncCrm request,
        List<string> warnings, Func<string, Task> report, CancellationToken ct)
    {
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            try
            {
                await PullAsync(connector, state, mapping, run, request, report, ct);
                await report($"counting what would be written to {connector.DisplayName}");
                var now = clock.GetUtcNow().UtcDateTime;
                var (scores, _) = await new ScoreWriteBack(db, models, connector, state.TeamId, now).RunAsync(dryRun: true, report, ct);
                var (activities, _) = await new ActivityWriteBack(db, connector, state.TeamId, now).RunAsync(dryRun: true, ct);
                run.Pushed = scores + activities + run.Created;
            }
            finally
            {
                await tx.RollbackAsync(CancellationToken.None);
                db.ChangeTracker.Clear();
            }
        }
        if (state.Mapping is null) warnings.Add("This dry run used the suggested mapping; save it (or your edits) on the Integrations page to keep it.");
        await report("dry run done: nothing was written");
        return new SyncSummary(connector.Crm, run.Pulled, run.Created, run.Updated, run.Unchanged, run.Pushed, run.Failed, true, null, warnings);
    }
}
