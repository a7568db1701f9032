using GrowthBrain.Data;

namespace GrowthBrain.Scoring;

public sealed record GetScoreHistory(long LeadId, int MaxPoints = 200);

public sealed record ScorePoint(DateTime ScoredAt, double Probability, string Grade, string Trigger, int ModelVersion);

/// <param name="Points">The model's scores, oldest first (at most MaxPoints, the newest ones).</param>
/// <param name="Overrides">Every override a person set, newest first.</param>
public sealed record ScoreHistory(IReadOnlyList<ScorePoint> Points, IReadOnlyList<ScoreOverrideView> Overrides)
{
    public ScoreOverrideView? ActiveOverride => Overrides.FirstOrDefault(o => o.Active);
}

/// <summary>How a lead's score moved, and what people decided about it: the lead page's chart and override panel.</summary>
public sealed class GetScoreHistoryHandler(GrowthBrainDb db)
{
    /// <returns>Null when there is no such lead, or it belongs to a team the caller cannot see (not an empty history).</returns>
    public async Task<ScoreHistory?> HandleAsync(GetScoreHistory request, CancellationToken ct)
    {
        if (!await db.Leads.AnyAsync(l => l.Id == request.LeadId, ct)) return null;
        var points = await db.LeadScores.AsNoTracking().Where(s => s.LeadId == request.LeadId)
            .OrderByDescending(s => s.ScoredAt).ThenByDescending(s => s.Id).Take(Math.Clamp(request.MaxPoints, 1, 5_000))
            .Join(db.ModelVersions, s => s.ModelVersionId, m => m.Id, (s, m) => new ScorePoint(s.ScoredAt, s.Probability, s.Grade, s.Trigger, m.Number))
            .ToListAsync(ct);
        points.Reverse();
        var overrides = await db.ScoreOverrides.AsNoTracking().Where(o => o.LeadId == request.LeadId)
            .OrderByDescending(o => o.SetAt).ThenByDescending(o => o.Id).ToListAsync(ct);
        return new ScoreHistory(points, overrides.Select(ScoreOverrideView.From).ToList());
    }
}
