using GrowthBrain.Data;
using GrowthBrain.Leads;

namespace GrowthBrain.Scoring;

public sealed record ScoreLead(long LeadId, string Trigger = "api", bool Store = true);

public sealed record WhatWouldRaise(string Action, double Probability, int Points);

public sealed record LeadScoreView(
    long LeadId,
    double Probability,
    string Grade,
    string ModelVersion,
    bool ColdStart,
    string Model,
    DateTime ScoredAt,
    IReadOnlyList<Factor> For,
    IReadOnlyList<Factor> Against,
    IReadOnlyList<WhatWouldRaise> WhatWouldRaiseIt);

/// <summary>
/// Scores one lead now, with the factors for and against in plain words and what a rep could do to
/// raise the score. Fast enough to run on every new activity (milliseconds with a loaded model).
/// </summary>
public sealed class ScoreLeadHandler(GrowthBrainDb db, ActiveModels models, TimeProvider clock)
{
    /// <returns>Null when there is no such lead.</returns>
    public async Task<LeadScoreView?> HandleAsync(ScoreLead request, CancellationToken ct)
    {
        var lead = await db.Leads.AsNoTracking().FirstOrDefaultAsync(l => l.Id == request.LeadId, ct);
        if (lead is null) return null;
        var active = await models.GetAsync(db, lead.TeamId, ct)
            ?? throw new ScoringException("No model is active yet; run `./growthbrain train` first (it needs closed leads to learn from).");
        var now = clock.GetUtcNow().UtcDateTime;
        var table = await LeadFeatures.BuildAsync(db, [lead], now, ct);
        var view = Explain(active.Version, active.Scorer, table, lead.Id, now, lead.Outcome == LeadOutcome.Open);
        if (request.Store)
        {
            await ScoreLeadsHandler.WriteAsync(db, lead.TeamId, active.Version.Id, [(lead.Id, view.Probability, view.Grade)], now, request.Trigger, ct);
            await new Audit.AuditLog(clock).RecordAsync(db, request.Trigger, "lead.scored", lead.TeamId, "lead",
                lead.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{view.Grade} {view.Probability:0.000} by {active.Version.Label}", ct);
        }
        return view;
    }

    /// <param name="rowIndex">The lead's row in <paramref name="table"/> (a table may hold several leads).</param>
    internal static LeadScoreView Explain(ModelVersion version, TrainedScorer scorer, LeadTable table, long leadId, DateTime now, bool open, int rowIndex = 0)
    {
        var row = table.Rows[rowIndex];
        var binding = scorer.Schema.Bind(table.Columns);
        var p = scorer.Probability(row, binding);
        var factors = scorer.Explain(row, binding);
        var raise = open
            ? LeadFeatures.Actions
                .Select(a => (a.Action, P: scorer.WhatIf(row, binding, r => a.Apply(table, r))))
                .Where(a => a.P - p >= 0.005)
                .OrderByDescending(a => a.P)
                .Select(a => new WhatWouldRaise(a.Action, a.P, (int)Math.Round(100 * (a.P - p))))
                .ToList()
            : [];
        return new LeadScoreView(leadId, p, scorer.Grades.Grade(p), version.Label, scorer.IsColdStart, scorer.Description, now,
            factors.Where(f => f.Points > 0).ToList(), factors.Where(f => f.Points < 0).ToList(), raise);
    }
}
