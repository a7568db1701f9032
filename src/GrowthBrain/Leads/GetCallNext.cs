using GrowthBrain.Data;
using GrowthBrain.FollowUps;
using GrowthBrain.Scoring;

namespace GrowthBrain.Leads;

/// <summary>The "call next" queue: the best open leads by score, each with why and what to do.</summary>
public sealed record GetCallNext(int Count = GetCallNext.DefaultCount)
{
    public const int DefaultCount = 5;
    public const int MaxCount = 25;
}

/// <param name="Why">The strongest reasons for the score, in the model's words (empty under a person's override).</param>
/// <param name="NextStep">The action that would raise the probability most, with the estimated new probability; null when none would.</param>
/// <param name="OverrideReason">When a person set the grade: who and why, shown instead of the model's reasons.</param>
/// <param name="DraftWaiting">A follow-up draft for this lead waiting for approval, to open instead of writing one.</param>
public sealed record CallNextLead(
    long Id,
    string Name,
    string? Company,
    string? Owner,
    string? Stage,
    double Probability,
    string Grade,
    bool ColdStart,
    int? DaysSinceActivity,
    IReadOnlyList<Factor> Why,
    WhatWouldRaise? NextStep,
    string? OverrideReason,
    long? DraftWaiting);

/// <summary>
/// Who to call next and why, for the top of the Overview and the Leads page. The order is the stored score (the
/// queue's index, so it costs the same at a million leads); the reasons and the next step are worked out now for
/// these few leads by the lead's team model, exactly as the lead page does.
/// </summary>
public sealed class GetCallNextHandler(GrowthBrainDb db, ActiveModels models, TimeProvider clock)
{
    public const int ReasonsShown = 2;

    public async Task<IReadOnlyList<CallNextLead>> HandleAsync(GetCallNext request, CancellationToken ct)
    {
        if (request.Count is < 1 or > GetCallNext.MaxCount)
            throw new ArgumentException($"count is {request.Count}; ask for 1 to {GetCallNext.MaxCount} leads.");
        var now = clock.GetUtcNow().UtcDateTime;
        // Same order as the leads table's default sort, so the index ix_leads_score_order serves it.
        var leads = await db.Leads.AsNoTracking()
            .Where(l => l.Outcome == LeadOutcome.Open && l.ScoreProbability != null)
            .OrderBy(l => l.ScoreProbability == null).ThenByDescending(l => l.ScoreProbability).ThenBy(l => l.Id)
            .Take(request.Count)
            .ToListAsync(ct);
        if (leads.Count == 0) return [];

        var ids = leads.Select(l => l.Id).ToList();
        var overrideIds = leads.Where(l => l.ScoreOverrideId != null).Select(l => l.ScoreOverrideId!.Value).ToList();
        var overrides = overrideIds.Count == 0
            ? new Dictionary<long, ScoreOverride>()
            : await db.ScoreOverrides.AsNoTracking().Where(o => overrideIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, ct);
        var drafts = (await db.FollowUpDrafts.AsNoTracking()
                .Where(d => ids.Contains(d.LeadId) && d.Status == DraftStatus.Pending)
                .Select(d => new { d.LeadId, d.Id })
                .ToListAsync(ct))
            .GroupBy(d => d.LeadId).ToDictionary(g => g.Key, g => g.Max(d => d.Id));

        // One feature table (one activities read) per team's model for all the queue's leads, not one per lead.
        var views = new Dictionary<long, LeadScoreView>();
        foreach (var team in leads.GroupBy(l => l.TeamId))
        {
            if (await models.GetAsync(db, team.Key, ct) is not { } active) continue;
            var members = team.ToList();
            var table = await LeadFeatures.BuildAsync(db, members, now, ct);
            for (var i = 0; i < members.Count; i++)
                views[members[i].Id] = ScoreLeadHandler.Explain(active.Version, active.Scorer, table, members[i].Id, now, open: true, rowIndex: i);
        }

        var queue = new List<CallNextLead>(leads.Count);
        foreach (var lead in leads)
        {
            IReadOnlyList<Factor> why = [];
            WhatWouldRaise? next = null;
            var coldStart = false;
            if (views.TryGetValue(lead.Id, out var view))
            {
                why = view.For.Take(ReasonsShown).ToList();
                next = view.WhatWouldRaiseIt.FirstOrDefault();
                coldStart = view.ColdStart;
            }
            string? overridden = null;
            if (lead.ScoreOverrideId is { } oid && overrides.TryGetValue(oid, out var o))
            {
                overridden = $"Grade {o.Grade} set by {o.SetBy}: {o.Reason}";
                why = [];
            }
            int? idle = lead.LastActivityAt is { } last ? Math.Max(0, (int)(now - last).TotalDays) : null;
            queue.Add(new CallNextLead(lead.Id, lead.DisplayName, lead.Company, lead.Owner, lead.Stage ?? lead.Status,
                lead.ScoreProbability!.Value, lead.ScoreGrade ?? "", coldStart, idle, why, next, overridden,
                drafts.TryGetValue(lead.Id, out var draft) ? draft : null));
        }
        return queue;
    }
}
