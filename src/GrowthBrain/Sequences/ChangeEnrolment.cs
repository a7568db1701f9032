using GrowthBrain.Audit;
using GrowthBrain.Data;

namespace GrowthBrain.Sequences;

public enum EnrolmentAction
{
    Pause,
    Resume,
    Stop,
}

public sealed record ChangeEnrolment(long EnrolmentId, EnrolmentAction Action, string Actor, string? Reason = null);

/// <summary>
/// A person pauses, resumes or stops an enrolment. Resuming one that needs attention means "I checked": an
/// interrupted step is skipped (it may have happened), and an awaited draft is looked at again.
/// </summary>
public sealed class ChangeEnrolmentHandler(GrowthBrainDb db, AuditLog audit, TimeProvider clock)
{
    public async Task<EnrolmentView> HandleAsync(ChangeEnrolment request, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Actor)) throw new ArgumentException("actor is empty; say who changes the enrolment.");
        if (!Enum.IsDefined(request.Action)) throw new ArgumentException("action is not pause, resume or stop.");
        var reason = request.Reason?.Trim();
        if (reason is { Length: > 1000 }) throw new ArgumentException($"reason is {reason.Length} characters; keep it under 1000.");
        var e = await db.SequenceEnrolments.FirstOrDefaultAsync(x => x.Id == request.EnrolmentId, ct)
            ?? throw new EnrolmentNotFoundException($"No enrolment has the id {request.EnrolmentId}; see GET /api/leads/{{id}}/sequence.");
        var sequence = await db.Sequences.AsNoTracking().FirstAsync(s => s.Id == e.SequenceId, ct);
        var lead = await db.Leads.AsNoTracking().Where(l => l.Id == e.LeadId).Select(l => new { l.Country }).FirstOrDefaultAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var was = e.Status;
        if (!e.Live) throw new EnrolmentStateException($"Enrolment {e.Id} is {e.Status}{(e.StopReason is { } r ? $" ({r})" : "")}; enrol the lead again to restart.");
        switch (request.Action)
        {
            case EnrolmentAction.Pause:
                if (e.Status == EnrolmentStatus.Paused) throw new EnrolmentStateException($"Enrolment {e.Id} is already paused.");
                e.Status = EnrolmentStatus.Paused;
                e.PausedAt = now;
                break;
            case EnrolmentAction.Resume:
                if (e.Status is not (EnrolmentStatus.Paused or EnrolmentStatus.NeedsAttention))
                    throw new EnrolmentStateException($"Enrolment {e.Id} is {e.Status}, not paused; nothing to resume.");
                var steps = sequence.StepList;
                // Resuming one that needs attention skips the step whose run was interrupted, but only if that step is still
                // the one it is at: an edit that removed it already moved the enrolment on, and that next step has not run.
                var interrupted = e.Status == EnrolmentStatus.NeedsAttention && e.WaitingDraftId is null
                    && SequenceStepIds.Current(e, steps) is { } at && await db.SequenceStepRuns.AnyAsync(r => r.EnrolmentId == e.Id && r.StepId == at, ct);
                Resume(e, steps, interrupted, lead?.Country, now);
                break;
            case EnrolmentAction.Stop:
                e.Status = EnrolmentStatus.Stopped;
                e.StopReason = StopReason.Manual;
                e.StoppedAt = now;
                e.StoppedBy = request.Actor;
                e.NextDueAt = null;
                e.Note = string.IsNullOrEmpty(reason) ? "Stopped by a person." : reason;
                break;
        }
        audit.Add(db, request.Actor, $"sequence.{request.Action.ToString().ToLowerInvariant()}", e.TeamId, "enrolment", CreateSequenceHandler.Id(e.Id),
            $"lead {e.LeadId}; was {was}{(string.IsNullOrEmpty(reason) ? "" : $"; {reason}")}");
        await db.SaveChangesAsync(ct);
        return EnrolmentView.From(e, sequence, lead?.Country);
    }

    private static void Resume(SequenceEnrolment e, IReadOnlyList<SequenceStep> steps, bool skipCurrent, string? country, DateTime now)
    {
        e.PausedAt = null;
        if (e.WaitingDraftId is not null)
        {
            // The runner looks at the draft again: sent moves on, still unknown comes back here.
            e.Status = EnrolmentStatus.WaitingForDraft;
            e.Note = null;
            return;
        }
        var current = SequenceStepIds.Current(e, steps);
        // A step whose run was interrupted is not run again: the person has checked it.
        var (index, id) = skipCurrent ? SequenceStepIds.After(steps, current) : (Sequence.IndexOf(steps, current), current);
        e.Note = null;
        if (id is null || index < 0)
        {
            e.Status = EnrolmentStatus.Completed;
            e.CurrentStep = steps.Count;
            e.CurrentStepId = null;
            e.NextDueAt = null;
            return;
        }
        e.CurrentStep = index;
        e.CurrentStepId = id;
        e.Status = EnrolmentStatus.Active;
        var due = e.NextDueAt is { } d && d > now ? d : now;
        e.NextDueAt = SendWindow.NextOpen(due, SendWindow.ZoneFor(country));
    }
}
