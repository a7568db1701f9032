using System.Globalization;
using GrowthBrain.Audit;
using GrowthBrain.Data;
using GrowthBrain.Live;

namespace GrowthBrain.Scoring;

/// <param name="Probability">Optional, 0 to 1. Without it the lead is ranked inside the chosen grade's band, next to the model's score.</param>
public sealed record OverrideScore(long LeadId, string? Grade, double? Probability, string? Reason, string Actor);

public sealed record ClearScoreOverride(long LeadId, string Actor, string? Reason = null);

public sealed record ScoreOverrideView(long Id, string Grade, double? Probability, double RankProbability, string Reason,
    string SetBy, DateTime SetAt, double? ModelProbability, string? ModelGrade, DateTime? ClearedAt, string? ClearedBy, string? ClearReason)
{
    public bool Active => ClearedAt is null;

    internal static ScoreOverrideView From(ScoreOverride o) => new(o.Id, o.Grade, o.Probability, o.RankProbability, o.Reason,
        o.SetBy, o.SetAt, o.ModelProbability, o.ModelGrade, o.ClearedAt, o.ClearedBy, o.ClearReason);
}

/// <summary>
/// A person overrules the model's grade for a lead, with a reason. The override becomes the score the queue,
/// the table and the grade filter use; batch rescoring keeps recording the model's score beneath it
/// (Lead.ModelProbability and lead_scores) and never replaces it. Cleared, the model's latest score stands again.
/// </summary>
public sealed class OverrideScoreHandler(GrowthBrainDb db, ActiveModels models, AuditLog audit, TimeProvider clock)
{
    public const int MinReasonLength = 5;
    private static readonly string[] Grades = ["A", "B", "C", "D"];

    /// <returns>The stored override, or null when there is no such lead.</returns>
    /// <exception cref="ArgumentException">Bad input, with a message that says what to send instead.</exception>
    public async Task<ScoreOverrideView?> HandleAsync(OverrideScore request, CancellationToken ct)
    {
        var grade = request.Grade?.Trim().ToUpperInvariant();
        if (string.IsNullOrEmpty(grade) || !Grades.Contains(grade))
            throw new ArgumentException($"grade is '{request.Grade}'; use A, B, C or D.");
        if (request.Probability is { } given && (double.IsNaN(given) || given is < 0 or > 1))
            throw new ArgumentException($"probability is {given.ToString(CultureInfo.InvariantCulture)}; give a number from 0 to 1 (0.35 for 35%), or leave it out.");
        var reason = request.Reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length < MinReasonLength)
            throw new ArgumentException($"reason is required: say in a few words why the model is wrong about this lead (at least {MinReasonLength} characters).");
        if (reason.Length > ScoreOverride.ReasonLength)
            throw new ArgumentException($"reason is {reason.Length} characters; keep it under {ScoreOverride.ReasonLength}.");

        var lead = await db.Leads.FirstOrDefaultAsync(l => l.Id == request.LeadId, ct);
        if (lead is null) return null;
        var bands = (await models.GetAsync(db, lead.TeamId, ct))?.Scorer.Grades;
        if (request.Probability is { } p && bands is not null && bands.Grade(p) != grade)
            throw new ArgumentException(
                $"probability {p.ToString("P0", CultureInfo.InvariantCulture)} is grade {bands.Grade(p)} for the active model, not {grade}; " +
                $"give a probability in {grade}'s band ({Band(bands, grade)}) or leave it out.");
        var rank = request.Probability ?? RankInBand(bands, grade, lead.ModelProbability)
            ?? throw new ArgumentException("No model is active, so a grade alone can't be ranked against other leads; give a probability too (0 to 1).");

        var now = clock.GetUtcNow().UtcDateTime;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (lead.ScoreOverrideId is { } previousId && await db.ScoreOverrides.FirstOrDefaultAsync(o => o.Id == previousId, ct) is { } previous)
        {
            previous.ClearedAt = now;
            previous.ClearedBy = request.Actor;
            previous.ClearReason = "Replaced by a new override";
        }
        var entry = new ScoreOverride
        {
            TeamId = lead.TeamId, LeadId = lead.Id, Grade = grade, Probability = request.Probability, RankProbability = rank,
            Reason = reason, SetBy = request.Actor, SetAt = now, ModelProbability = lead.ModelProbability ?? lead.ScoreProbability,
            ModelGrade = lead.ModelGrade ?? lead.ScoreGrade,
        };
        db.ScoreOverrides.Add(entry);
        await db.SaveChangesAsync(ct);
        // Leads scored before overrides existed have no model columns yet; keep their model score before hiding it.
        lead.ModelProbability ??= lead.ScoreProbability;
        lead.ModelGrade ??= lead.ScoreGrade;
        lead.ScoreOverrideId = entry.Id;
        lead.ScoreGrade = grade;
        lead.ScoreProbability = rank;
        audit.Add(db, request.Actor, "score.override", lead.TeamId, "lead", lead.Id.ToString(CultureInfo.InvariantCulture),
            $"Grade {grade}{(request.Probability is { } q ? $" ({q.ToString("P0", CultureInfo.InvariantCulture)})" : "")} " +
            $"over the model's {entry.ModelGrade ?? "no score"}: {reason}");
        await db.SaveChangesAsync(ct);
        await ChangeMarker.BumpAsync(db, lead.TeamId, "override", now, ct);
        await tx.CommitAsync(ct);
        return ScoreOverrideView.From(entry);
    }

    /// <returns>False when there is no such lead; true when it has no override (any more).</returns>
    public async Task<bool> ClearAsync(ClearScoreOverride request, CancellationToken ct)
    {
        if (request.Reason is { Length: > ScoreOverride.ReasonLength })
            throw new ArgumentException($"reason is {request.Reason.Length} characters; keep it under {ScoreOverride.ReasonLength}.");
        var lead = await db.Leads.FirstOrDefaultAsync(l => l.Id == request.LeadId, ct);
        if (lead is null) return false;
        if (lead.ScoreOverrideId is not { } id) return true;
        var now = clock.GetUtcNow().UtcDateTime;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await db.ScoreOverrides.FirstOrDefaultAsync(o => o.Id == id, ct) is { } entry)
        {
            entry.ClearedAt = now;
            entry.ClearedBy = request.Actor;
            entry.ClearReason = string.IsNullOrWhiteSpace(request.Reason) ? null : request.Reason.Trim();
        }
        lead.ScoreOverrideId = null;
        lead.ScoreProbability = lead.ModelProbability;
        lead.ScoreGrade = lead.ModelGrade;
        audit.Add(db, request.Actor, "score.override.clear", lead.TeamId, "lead", lead.Id.ToString(CultureInfo.InvariantCulture),
            $"Back to the model's {lead.ModelGrade ?? "no score"}{(string.IsNullOrWhiteSpace(request.Reason) ? "" : ": " + request.Reason.Trim())}");
        await db.SaveChangesAsync(ct);
        await ChangeMarker.BumpAsync(db, lead.TeamId, "override", now, ct);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>
    /// A grade alone still has to rank the lead in the queue: the model's probability moved into the chosen
    /// grade's band (unchanged when it is already there), so the person's grade decides the order between grades
    /// and the model's evidence the order within one. Null when no model is active.
    /// </summary>
    internal static double? RankInBand(GradeBands? bands, string grade, double? modelProbability)
    {
        if (bands is null) return null;
        var (low, high) = Limits(bands, grade);
        var p = modelProbability ?? (low + high) / 2;
        // Just under the next band's start, so the lead stays in its grade.
        return Math.Clamp(p, low, Math.Max(low, high - 1e-4));
    }

    private static (double Low, double High) Limits(GradeBands b, string grade) => grade switch
    {
        "A" => (b.A, 1.0),
        "B" => (b.B, b.A),
        "C" => (b.C, b.B),
        _ => (0.0, b.C),
    };

    private static string Band(GradeBands b, string grade)
    {
        var (low, high) = Limits(b, grade);
        return $"{low.ToString("P0", CultureInfo.InvariantCulture)} to {high.ToString("P0", CultureInfo.InvariantCulture)}";
    }
}
