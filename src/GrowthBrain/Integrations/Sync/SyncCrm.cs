using System.Text.Json;
using GrowthBrain.Accounts;
using GrowthBrain.Audit;
using GrowthBrain.Data;
using GrowthBrain.Leads;
using GrowthBrain.Privacy;
using GrowthBrain.Scoring;

namespace GrowthBrain.Integrations.Sync;

/// <param name="Crm">hubspot, zoho, salesforce or pipedrive.</param>
/// <param name="Full">Re-read every record instead of those changed since the last sync, and write every score again.</param>
/// <param name="DryRun">Report what would change, here and in the CRM, and write nothing anywhere.</param>
/// <param name="Trigger">cli, page, api, schedule or webhook.</param>
/// <param name="Only">Only these records (a webhook's, or a retry of failed ones); the watermark does not move.</param>
/// <param name="RetryFailures">Read again the records that failed to pull, besides the usual incremental pull.</param>
public sealed record SyncCrm(string Crm, bool Full = false, bool DryRun = false, string Trigger = "cli",
    IReadOnlyList<CrmRecordRef>? Only = null, bool RetryFailures = false);

/// <param name="Pushed">Scores, notes and tasks written to the CRM (in a dry run: that would be).</param>
/// <param name="Warnings">What an admin should know but that did not stop the sync (fields to create by hand, no model yet).</param>
public sealed record SyncSummary(string Crm, int Pulled, int Created, int Updated, int Unchanged, int Pushed, int Failed, bool DryRun,
    long? RunId, IReadOnlyList<string> Warnings);

public readonly record struct SyncProgress(string Phase, int Pulled, int Created, int Updated, int Unchanged, int Pushed, int Failed);

/// <summary>
/// One sync of one CRM connection, the same from the command line, the page, the API, the scheduler and webhooks:
/// pull changed records page by page (each page committed with its cursor, so a killed sync resumes there), score
/// what changed, write scores, reasons, notes and tasks back where they changed, and push pending erasures. One
/// instance at a time per connection (a lease); every count is kept on the run's row as it goes.
/// </summary>
public sealed partial class SyncCrmHandler(CrmConnectors connectors, GrowthBrainDb db, ActiveModels models, ScoreLeadsHandler score,
    TrainModelHandler train, PropagateCrmErasuresHandler erasures, AuditLog audit, TeamScope scope, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Records asked for per page: the most HubSpot's search and Zoho's list give (connectors cap it to their own maximum).</summary>
    public const int PageSize = 200;

    public async Task<SyncSummary> HandleAsync(SyncCrm request, IProgress<SyncProgress>? progress, CancellationToken ct)
    {
        var connector = await connectors.GetConfiguredAsync(request.Crm, ct);
        var state = await connectors.StateAsync(connector, ct);
        var mapping = state.Mapping is { } saved ? CrmMapping.FromJson(saved) : CrmMapping.Suggest(await connector.DescribeAsync(ct));
        var now = clock.GetUtcNow().UtcDateTime;
        var run = new CrmSyncRun
        {
            TeamId = state.TeamId, Crm = connector.Crm, Trigger = request.Trigger, StartedBy = scope.Actor, Full = request.Full,
            DryRun = request.DryRun, Status = CrmSyncStatus.Running, StartedAt = now, Phase = "starting",
        };
        var warnings = new List<string>();
        var owner = SyncLease.NewOwner();
        // Every step reports here: progress for the page and terminal, the run's row, and the lease kept alive through
        // long phases (training, writing back) as well as between pages.
        async Task Report(string phase)
        {
            run.Phase = phase.Length > 200 ? phase[..200] : phase;
            progress?.Report(new SyncProgress(run.Phase, run.Pulled, run.Created, run.Updated, run.Unchanged, run.Pushed, run.Failed));
            if (request.DryRun) return;
            await db.SaveChangesAsync(ct);
            await SyncLease.RenewAsync(db, state, owner, clock.GetUtcNow().UtcDateTime, connector.DisplayName, ct);
        }

        if (request.DryRun) return await DryRunAsync(connector, state, mapping, run, request, warnings, Report, ct);

        await SyncLease.TakeAsync(db, state, owner, now, connector.DisplayName, ct);
        try
        {
            // Holding the lease, no other sync of this connection runs: a run still marked running was killed.
            await db.CrmSyncRuns.Where(r => r.Crm == connector.Crm && r.Status == CrmSyncStatus.Running)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, CrmSyncStatus.Interrupted).SetProperty(r => r.Error, "the process stopped before the sync finished; the next sync continued from its last page"), ct);
            db.CrmSyncRuns.Add(run);
            await db.SaveChangesAsync(ct);
            await PullAsync(connector, state, mapping, run, request, Report, ct);
            await ScoreAsync(state.TeamId, run, warnings, Report, ct);
            await Report($"writing to {connector.DisplayName}");
            warnings.AddRange(await connector.EnsureScoreFieldsAsync(ct));
            var (scores, scoreFailures) = await new ScoreWriteBack(db, models, connector, state.TeamId, clock.GetUtcNow().UtcDateTime).RunAsync(false, Report, ct, everything: request.Full);
            var (activities, activityFailures) = await new ActivityWriteBack(db, connector, state.TeamId, clock.GetUtcNow().UtcDateTime).RunAsync(false, ct);
            run.Pushed += scores + activities;
            run.Failed += scoreFailures + activityFailures;
            await Report("erasing in the CRM what was erased here");
            await erasures.HandleAsync(new PropagateCrmErasures(null, scope.Actor), ct);
            run.Status = CrmSyncStatus.Succeeded;
            run.FinishedAt = clock.GetUtcNow().UtcDateTime;
            run.Error = warnings.Count > 0 ? string.Join(" ", warnings) : null;
            audit.Add(db, scope.Actor, "crm.synced", state.TeamId, "crm", connector.Crm,
                $"{run.Pulled} pulled, {run.Created} created, {run.Updated} updated, {run.Pushed} written to {connector.DisplayName}, {run.Failed} failed");
            await Report("done");
        }
        catch (Exception e)
        {
            // Kept for the page and the next run, whatever stopped this one; the cursor already marks where to resume.
            run.Status = e is OperationCanceledException ? CrmSyncStatus.Interrupted : CrmSyncStatus.Failed;
            run.Error = e.Message.Length > 2000 ? e.Message[..2000] : e.Message;
            run.FinishedAt = clock.GetUtcNow().UtcDateTime;
            db.ChangeTracker.Clear();
            db.CrmSyncRuns.Update(run);
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }
        finally
        {
            await SyncLease.ReleaseAsync(db, state, owner, CancellationToken.None);
        }
        return new SyncSummary(connector.Crm, run.Pulled, run.Created, run.Updated, run.Unchanged, run.Pushed, run.Failed, false, run.Id, warnings);
    }

    private async Task PullAsync(ICrmConnector connector, CrmSyncState state, CrmMapping mapping, CrmSyncRun run, SyncCrm request,
        Func<string, Task> report, CancellationToken ct)
    {
        var erased = (await db.Suppressions.AsNoTracking().Where(s => s.Reason == SuppressionReason.Erased).Select(s => s.EmailHash).ToListAsync(ct))
            .ToHashSet(StringComparer.Ordinal);
        var watermarks = JsonSerializer.Deserialize<Dictionary<string, DateTime>>(state.Watermarks, Json) ?? [];
        var only = request.Only?.ToList() ?? [];
        if (request.RetryFailures)
        {
            only.AddRange(await db.CrmSyncFailures.Where(f => f.Crm == connector.Crm && f.Direction == CrmSyncDirection.Pull)
                .Select(f => new CrmRecordRef(f.CrmObject, f.RecordKey)).ToListAsync(ct));
        }
        foreach (var crmObject in connector.Objects)
        {
            var parser = new CrmRecordParser(mapping, crmObject);
            var writer = new CrmPageWriter(db, connector.Crm, state.TeamId, erased, clock.GetUtcNow().UtcDateTime);
            foreach (var ids in only.Where(r => r.Object == crmObject).Select(r => r.Id).Distinct().Chunk(100))
            {
                var page = await connector.PullAsync(new CrmPullRequest(crmObject, null, null, parser.Properties, ids), ct);
                await CommitPageAsync(() => writer.ApplyAsync(crmObject, page.Records, parser, run.Pulled + 1, ct), run, ct);
                await report($"pulling {crmObject}: {run.Pulled:N0} records read");
            }
            if (request.Only is not null) continue;

            DateTime? since = request.Full ? null : watermarks.TryGetValue(crmObject, out var w) ? w : null;
            string? cursor = null;
            var maxSeen = since;
            if (!request.Full && state.ResumeObject == crmObject && state.ResumeCursor is not null)
            {
                // A sync stopped in the middle of this object: continue from its last committed page.
                (since, cursor, maxSeen) = (state.ResumeSince, state.ResumeCursor, state.ResumeMaxSeen);
            }
            do
            {
                var page = await connector.PullAsync(new CrmPullRequest(crmObject, since, cursor, parser.Properties, PageSize: PageSize), ct);
                foreach (var r in page.Records) if (maxSeen is null || r.ModifiedAt > maxSeen) maxSeen = r.ModifiedAt;
                cursor = page.NextCursor;
                var (pageSince, pageCursor, pageMax) = (since, cursor, maxSeen);
                await CommitPageAsync(async () =>
                {
                    var counts = await writer.ApplyAsync(crmObject, page.Records, parser, run.Pulled + 1, ct);
                    (state.ResumeObject, state.ResumeCursor, state.ResumeSince, state.ResumeMaxSeen) = pageCursor is null
                        ? (null, null, null, null) : (crmObject, pageCursor, pageSince, pageMax);
                    if (pageCursor is null && pageMax is { } max) watermarks[crmObject] = max;
                    state.Watermarks = JsonSerializer.Serialize(watermarks, Json);
                    return counts;
                }, run, ct);
                await report($"pulling {crmObject}: {run.Pulled:N0} records read");
            }
            while (cursor is not null);
        }
    }

    /// <summary>A page's leads, links, failures, cursor and counts in one transaction: all of it or none of it.</summary>
    private async Task CommitPageAsync(Func<Task<PageCounts>> apply, CrmSyncRun run, CancellationToken ct)
    {
        // A dry run holds one transaction over everything, rolled back at its end.
        var dryRun = db.Database.CurrentTransaction is not null;
        await using var tx = dryRun ? null : await db.Database.BeginTransactionAsync(ct);
        var counts = await apply();
        (run.Pulled, run.Created, run.Updated, run.Unchanged, run.Failed) =
            (run.Pulled + counts.Pulled, run.Created + counts.Created, run.Updated + counts.Updated, run.Unchanged + counts.Unchanged, run.Failed + counts.Failed);
        await db.SaveChangesAsync(ct);
        CrmPageWriter.ForgetSaved(db);
        if (tx is null) return;
        if (counts.Created + counts.Updated > 0)
            await Live.ChangeMarker.BumpAsync(db, run.TeamId, "leads", clock.GetUtcNow().UtcDateTime, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Scores what the pull changed; with no model yet, trains one first when there are enough outcomes.</summary>
    private async Task ScoreAsync(long teamId, CrmSyncRun run, List<string> warnings, Func<string, Task> report, CancellationToken ct)
    {
        var hasModel = await models.GetAsync(db, teamId, ct) is not null;
        if (hasModel && run.Created + run.Updated == 0) return;
        if (!hasModel)
        {
            await report("training a model on the synced outcomes");
            try
            {
                await train.HandleAsync(new TrainModel(teamId, RequestedBy: scope.Actor), null, ct);
            }
            catch (ScoringException e)
            {
                warnings.Add($"No scores yet: {e.Message}");
                return;
            }
        }
        await report("scoring");
        await score.HandleAsync(new ScoreLeads(teamId, "sync", AlsoUnscoredClosed: true), null, ct);
    }
}
