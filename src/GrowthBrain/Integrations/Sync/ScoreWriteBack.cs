using System.IO.Hashing;
using System.Text;
using GrowthBrain.Data;
using GrowthBrain.Leads;
using GrowthBrain.Scoring;

namespace GrowthBrain.Integrations.Sync;

/// <summary>
/// Writes each linked lead's score, grade and top reasons onto its CRM record, but only where they changed since the
/// last write (a hash per link), so a sync with nothing new writes nothing to the CRM. Only leads updated or rescored
/// since their last write are looked at, so an idle sync costs one query. A record the CRM refuses is kept as a failure with its reason and tried again on
/// the next sync (its hash still differs); a call that fails as a whole after the connector's retries stops the run.
/// </summary>
internal sealed class ScoreWriteBack(GrowthBrainDb db, ActiveModels models, ICrmConnector connector, long teamId, DateTime now)
{
    private const int Chunk = 2_000;

    /// <param name="everything">Write every record again, changed or not (a full sync: after an admin created a missing
    /// field in the CRM, or when a record was edited there by hand).</param>
    public async Task<(int Written, int Failed)> RunAsync(bool dryRun, Func<string, Task> phase, CancellationToken ct, bool everything = false)
    {
        var active = await models.GetAsync(db, teamId, ct);
        if (active is not { } model) return (0, 0);
        var written = 0;
        var failed = 0;
        long lastLinkId = 0;
        while (true)
        {
            CrmPageWriter.ForgetSaved(db);
            var chunk = await (from link in db.CrmLinks
                               join lead in db.Leads on link.LocalId equals lead.Id
                               where link.TeamId == teamId && link.Crm == connector.Crm && link.RecordKind == "lead" && link.Id > lastLinkId
                                     && lead.ScoreProbability != null && lead.AnonymisedAt == null
                                     && (everything || link.PushedHash == null || link.PushedAt == null || lead.UpdatedAt > link.PushedAt || lead.ScoredAt > link.PushedAt)
                               orderby link.Id
                               select new { link, lead.Id, lead.ScoreProbability, lead.ScoreGrade, lead.ScoreModelVersionId })
                .Take(Chunk).ToListAsync(ct);
            if (chunk.Count == 0) break;
            lastLinkId = chunk[^1].link.Id;
            var reasons = await ReasonsAsync(model.Scorer, chunk.Select(c => c.Id).ToList(), ct);
            var changed = new List<(CrmLink link, long Id, int Score, string Grade, string Reasons, long Hash)>();
            foreach (var c in chunk)
            {
                var (score, grade, why) = ((int)Math.Round(100 * c.ScoreProbability!.Value), c.ScoreGrade ?? "", reasons.GetValueOrDefault(c.Id, ""));
                var hash = Hash(score, grade, c.ScoreModelVersionId, why);
                if (c.link.PushedHash == hash && !everything)
                {
                    // Rescored or re-pulled, but what the CRM shows would not change: nothing to write.
                    if (!dryRun) c.link.PushedAt = now;
                    continue;
                }
                changed.Add((c.link, c.Id, score, grade, why, hash));
            }
            if (!dryRun) await db.SaveChangesAsync(ct);
            if (changed.Count == 0) continue;
            if (dryRun)
            {
                written += changed.Count;
                continue;
            }
            foreach (var group in changed.GroupBy(c => c.link.CrmObject ?? connector.Objects[0]))
            {
                foreach (var batch in group.Chunk(connector.WriteBatchSize))
                {
                    var writes = batch.Select(c => new CrmScoreWrite(c.link.ExternalId, c.Score, c.Grade, c.Reasons)).ToList();
                    var results = (await connector.WriteScoresAsync(group.Key, writes, ct)).ToDictionary(r => r.Key);
                    foreach (var c in batch)
                    {
                        var result = results.GetValueOrDefault(c.link.ExternalId) ?? new CrmWriteResult(c.link.ExternalId, false, Error: "the CRM gave no result for this record");
                        if (result.Ok)
                        {
                            c.link.PushedHash = c.Hash;
                            c.link.PushedAt = now;
                            c.link.LastSyncedAt = now;
                            written++;
                        }
                        else
                        {
                            await SyncFailures.RecordAsync(db, teamId, connector.Crm, CrmSyncDirection.Scores, group.Key, c.link.ExternalId, c.Id, result.Error ?? "refused", now, ct);
                            failed++;
                        }
                    }
                    await SyncFailures.ClearAsync(db, connector.Crm, CrmSyncDirection.Scores, batch.Where(c => results.GetValueOrDefault(c.link.ExternalId)?.Ok == true).Select(c => c.link.ExternalId).ToList(), ct);
                    await db.SaveChangesAsync(ct);
                    await phase($"writing scores to {connector.DisplayName}: {written:N0} written");
                }
            }
        }
        return (written, failed);
    }

    /// <summary>
    /// Exactly what the CRM record shows. Not the lead's data itself: a CRM bumps a record's modified date when we write
    /// to it, and a hash over pulled data would then write again on every sync, for ever.
    /// </summary>
    private static long Hash(int score, string grade, long? modelVersion, string reasons) =>
        (long)XxHash3.HashToUInt64(Encoding.UTF8.GetBytes(FormattableString.Invariant($"{score}|{grade}|{modelVersion}|{reasons}")));

    /// <summary>The top three factors for and against, in one line: "+12 Job title: VP; -8 No reply yet".</summary>
    private async Task<Dictionary<long, string>> ReasonsAsync(TrainedScorer scorer, List<long> leadIds, CancellationToken ct)
    {
        var leads = await db.Leads.AsNoTracking().Where(l => leadIds.Contains(l.Id)).ToListAsync(ct);
        var table = await LeadFeatures.BuildAsync(db, leads, now, ct);
        var binding = scorer.Schema.Bind(table.Columns);
        var reasons = new Dictionary<long, string>(leads.Count);
        for (var i = 0; i < leads.Count; i++)
        {
            var factors = scorer.Explain(table.Rows[i], binding);
            var text = string.Join("; ", factors.Select(f => $"{(f.Points >= 0 ? "+" : "")}{f.Points} {f.Text}"));
            reasons[leads[i].Id] = text.Length > 1000 ? text[..1000] : text;
        }
        return reasons;
    }
}
