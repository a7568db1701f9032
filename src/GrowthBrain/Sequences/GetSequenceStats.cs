using GrowthBrain.Data;

namespace GrowthBrain.Sequences;

public sealed record GetSequenceStats;

/// <param name="InProgress">Live enrolments: running, waiting for a draft, paused or needing a person.</param>
/// <param name="AtStep">Live enrolments per step id they are at (what an edit of that step affects).</param>
public sealed record SequenceStats(long SequenceId, int Enrolled, int InProgress, int NeedAttention, int Stopped, int Completed, IReadOnlyDictionary<int, int> AtStep);

/// <summary>How many leads each visible sequence has had, where the live ones are, and how many stopped or completed.</summary>
public sealed class GetSequenceStatsHandler(GrowthBrainDb db)
{
    public async Task<IReadOnlyList<SequenceStats>> HandleAsync(GetSequenceStats request, CancellationToken ct)
    {
        var byStatus = await db.SequenceEnrolments.AsNoTracking().GroupBy(e => new { e.SequenceId, e.Status })
            .Select(g => new { g.Key.SequenceId, g.Key.Status, Count = g.Count() }).ToListAsync(ct);
        var byStep = (await db.SequenceEnrolments.AsNoTracking()
                .Where(e => SequenceEnrolment.LiveStatuses.Contains(e.Status) && e.CurrentStepId != null)
                .GroupBy(e => new { e.SequenceId, e.CurrentStepId })
                .Select(g => new { g.Key.SequenceId, g.Key.CurrentStepId, Count = g.Count() }).ToListAsync(ct))
            .ToLookup(x => x.SequenceId);
        return byStatus.GroupBy(x => x.SequenceId).OrderBy(g => g.Key).Select(g =>
        {
            int Count(params EnrolmentStatus[] statuses) => g.Where(x => statuses.Contains(x.Status)).Sum(x => x.Count);
            return new SequenceStats(g.Key, g.Sum(x => x.Count), Count(SequenceEnrolment.LiveStatuses), Count(EnrolmentStatus.NeedsAttention),
                Count(EnrolmentStatus.Stopped), Count(EnrolmentStatus.Completed),
                byStep[g.Key].ToDictionary(x => x.CurrentStepId!.Value, x => x.Count));
        }).ToList();
    }
}
