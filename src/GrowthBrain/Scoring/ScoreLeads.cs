using GrowthBrain.Data;
using GrowthBrain.Leads;
using Microsoft.EntityFrameworkCore.Storage;

namespace GrowthBrain.Scoring;

/// <param name="AlsoUnscoredClosed">Score closed leads that have never had a score too (records a CRM sync brought in
/// already won or lost: the CRM record still gets GrowthBrain's score); closed leads keep a score they had.</param>
public sealed record ScoreLeads(long? TeamId = null, string Trigger = "batch", bool AlsoUnscoredClosed = false);

public sealed record ScoreLeadsResult(int Scored, string ModelVersion, bool ColdStart, double Seconds);

/// <summary>
/// Rescores every open lead with the active model, in chunks so memory stays flat. Each lead's current
/// score is updated in place; a history row is added only when the score really moved or the model
/// changed, so daily rescoring doesn't bury the chart in identical points.
/// </summary>
public sealed class ScoreLeadsHandler(GrowthBrainDb db, ActiveModels models, TimeProvider clock)
{
    private const int Chunk = 20_000;

    public async Task<ScoreLeadsResult> HandleAsync(ScoreLeads request, IProgress<(int Done, int Total)>? progress, CancellationToken ct)
    {
        var started = clock.GetTimestamp();
        var teamId = request.TeamId ?? await db.Teams.OrderBy(t => t.Id).Select(t => t.Id).FirstAsync(ct);
        var active = await models.GetAsync(db, teamId, ct)
            ?? throw new ScoringException("No model is active yet; run `./growthbrain train` first (it needs closed leads to learn from).");
        var unscoredClosed = request.AlsoUnscoredClosed;
        var total = await db.Leads.CountAsync(l => l.TeamId == teamId && (l.Outcome == LeadOutcome.Open || unscoredClosed && l.ScoreProbability == null && l.AnonymisedAt == null), ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var done = 0;
        long lastId = 0;
        while (true)
        {
            var leads = await db.Leads.AsNoTracking()
                .Where(l => l.TeamId == teamId && (l.Outcome == LeadOutcome.Open || unscoredClosed && l.ScoreProbability == null && l.AnonymisedAt == null) && l.Id > lastId)
                .OrderBy(l => l.Id).Take(Chunk).ToListAsync(ct);
            if (leads.Count == 0) break;
            lastId = leads[^1].Id;
            var table = await LeadFeatures.BuildAsync(db, leads, now, ct);
            var p = active.Scorer.Probabilities(table, Enumerable.Range(0, leads.Count).ToList());
            await WriteAsync(db, teamId, active.Version.Id, leads.Select((l, i) => (l.Id, p[i], active.Scorer.Grades.Grade(p[i]))).ToList(), now, request.Trigger, ct);
            done += leads.Count;
            progress?.Report((done, total));
        }
        // One audit line per run, not per lead: every score is in lead_scores with its model version already.
        await new Audit.AuditLog(clock).RecordAsync(db, request.Trigger, "leads.scored", teamId, "model", active.Version.Label,
            $"{done} open leads scored", ct);
        return new ScoreLeadsResult(done, active.Version.Label, active.Scorer.IsColdStart, clock.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>Stores scores: history rows for moved scores, then the current score on each lead.</summary>
    internal static async Task WriteAsync(GrowthBrainDb db, long teamId, long versionId, IReadOnlyList<(long LeadId, double Probability, string Grade)> scores,
        DateTime now, string trigger, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var staging = await StagingTable.CreateAsync(db.Database.GetDbConnection(), db.Provider, "score_staging",
                [new("lead_id", StagingType.Long), new("probability", StagingType.Double), new("grade", StagingType.Text)], ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var dbTx = tx.GetDbTransaction();
            await staging.LoadAsync(scores.Select(s => new object?[] { s.LeadId, Math.Round(s.Probability, 6), s.Grade }), dbTx, ct);
            var at = db.Provider == DatabaseProvider.Sqlite
                ? $"'{now:yyyy-MM-dd HH:mm:ss.FFFFFFF}'"
                : $"TIMESTAMPTZ '{now:yyyy-MM-dd HH:mm:ss.ffffff}+00'";
            var safeTrigger = new string(trigger.Where(char.IsLetter).ToArray());
            await staging.ExecuteAsync($"""
                INSERT INTO lead_scores (team_id, lead_id, model_version_id, probability, grade, scored_at, "trigger")
                SELECT {teamId}, s.lead_id, {versionId}, s.probability, s.grade, {at}, '{safeTrigger}'
                FROM score_staging s JOIN leads l ON l.id = s.lead_id
                WHERE l.model_probability IS NULL OR l.score_model_version_id IS NULL OR l.score_model_version_id <> {versionId}
                   OR ABS(l.model_probability - s.probability) >= 0.005 OR l.model_grade <> s.grade
                """, ct, dbTx);
            // The model's score is always recorded; the score everyone acts on follows it only when no person has overridden it.
            await staging.ExecuteAsync($"""
                UPDATE leads AS l SET model_probability = s.probability, model_grade = s.grade,
                    score_probability = CASE WHEN l.score_override_id IS NULL THEN s.probability ELSE l.score_probability END,
                    score_grade = CASE WHEN l.score_override_id IS NULL THEN s.grade ELSE l.score_grade END,
                    score_model_version_id = {versionId}, scored_at = {at}
                FROM score_staging AS s WHERE s.lead_id = l.id
                """, ct, dbTx);
            await GrowthBrain.Live.ChangeMarker.BumpAsync(db.Database.GetDbConnection(), dbTx, teamId, "score", now, ct);
            await tx.CommitAsync(ct);
            await staging.DropAsync(ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
