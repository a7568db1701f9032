using GrowthBrain.Data;
using GrowthBrain.FollowUps;
using GrowthBrain.Leads;

namespace GrowthBrain.Sequences;

public sealed record GetLeadSequence(long LeadId);

public sealed record LeadTaskView(long Id, StepKind Kind, string Title, DateTime DueAt, long? EnrolmentId, DateTime? DoneAt);

/// <param name="Current">The live enrolment, if any.</param>
/// <param name="History">Earlier enrolments, newest first.</param>
public sealed record LeadSequenceView(long LeadId, EnrolmentView? Current, IReadOnlyList<EnrolmentView> History, IReadOnlyList<LeadTaskView> OpenTasks);

/// <summary>Where a lead is in its sequences, and the calls and tasks they left for a person.</summary>
public sealed class GetLeadSequenceHandler(GrowthBrainDb db)
{
    public async Task<LeadSequenceView> HandleAsync(GetLeadSequence request, CancellationToken ct)
    {
        var lead = await db.Leads.AsNoTracking().Where(l => l.Id == request.LeadId).Select(l => new { l.Id, l.Country }).FirstOrDefaultAsync(ct)
            ?? throw new LeadNotFoundException($"No lead has the id {request.LeadId}; pick one from GET /api/leads.");
        var enrolments = await db.SequenceEnrolments.AsNoTracking().Where(e => e.LeadId == lead.Id).OrderByDescending(e => e.Id).Take(20).ToListAsync(ct);
        var sequenceIds = enrolments.Select(e => e.SequenceId).Distinct().ToList();
        var sequences = await db.Sequences.AsNoTracking().Where(s => sequenceIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        var views = enrolments.Select(e => EnrolmentView.From(e, sequences[e.SequenceId], lead.Country)).ToList();
        var tasks = await db.LeadTasks.AsNoTracking().Where(t => t.LeadId == lead.Id && t.DoneAt == null).OrderBy(t => t.DueAt)
            .Select(t => new LeadTaskView(t.Id, t.Kind, t.Title, t.DueAt, t.EnrolmentId, t.DoneAt)).ToListAsync(ct);
        var current = views.FirstOrDefault(v => v.Status is EnrolmentStatus.Active or EnrolmentStatus.WaitingForDraft or EnrolmentStatus.Paused or EnrolmentStatus.NeedsAttention);
        return new LeadSequenceView(lead.Id, current, views.Where(v => v != current).ToList(), tasks);
    }
}
