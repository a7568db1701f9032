using GrowthBrain.Audit;
using GrowthBrain.Data;
using GrowthBrain.FollowUps;
using GrowthBrain.Leads;
using GrowthBrain.Privacy;

namespace GrowthBrain.Sequences;

public sealed record EnrolLead(long LeadId, long SequenceId, string Actor);

/// <summary>A rep puts a lead into a sequence; its first step is due after its delay, moved into the lead's business hours.</summary>
public sealed class EnrolLeadHandler(GrowthBrainDb db, SuppressionList suppressions, AuditLog audit, TimeProvider clock)
{
    public async Task<EnrolmentView> HandleAsync(EnrolLead request, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Actor)) throw new ArgumentException("actor is empty; say who enrols the lead.");
        var lead = await db.Leads.AsNoTracking().FirstOrDefaultAsync(l => l.Id == request.LeadId, ct)
            ?? throw new LeadNotFoundException($"No lead has the id {request.LeadId}; pick one from GET /api/leads.");
        var sequence = await db.Sequences.AsNoTracking().FirstOrDefaultAsync(s => s.Id == request.SequenceId && s.TeamId == lead.TeamId, ct)
            ?? throw new SequenceNotFoundException(request.SequenceId);
        if (sequence.Archived) throw new EnrolmentStateException($"Sequence '{sequence.Name}' is archived; pick an active sequence.");
        // A paused sequence takes enrolments: they wait, and run when a manager resumes it.
        if (lead.Outcome != LeadOutcome.Open) throw new EnrolmentStateException($"The lead is closed ({lead.Outcome}); sequences are for open leads.");
        var steps = sequence.StepList;
        if (steps.Any(s => s.Kind == StepKind.Email))
        {
            if (string.IsNullOrWhiteSpace(lead.Email)) throw new EnrolmentStateException("The lead has no e-mail address and the sequence sends e-mail; add an address first.");
            if (await suppressions.IsSuppressedAsync(db, lead.TeamId, lead.Email, ct))
                throw new EnrolmentStateException("The lead's address is on the suppression list (unsubscribed, bounced or blocked); it is never mailed.");
        }
        var current = await db.SequenceEnrolments.AsNoTracking()
            .Where(e => e.LeadId == lead.Id && SequenceEnrolment.LiveStatuses.Contains(e.Status)).Select(e => (long?)e.Id).FirstOrDefaultAsync(ct);
        if (current is not null)
            throw new EnrolmentStateException($"The lead is already in a sequence (enrolment {current}); stop it first to enrol it in another.");

        var now = clock.GetUtcNow().UtcDateTime;
        var enrolment = new SequenceEnrolment
        {
            TeamId = lead.TeamId, LeadId = lead.Id, SequenceId = sequence.Id, Status = EnrolmentStatus.Active, CurrentStep = 0, CurrentStepId = steps[0].Id,
            NextDueAt = SendWindow.NextOpen(now.AddDays(steps[0].DelayDays), SendWindow.ZoneFor(lead.Country)),
            EnrolledAt = now, EnrolledBy = request.Actor,
        };
        db.SequenceEnrolments.Add(enrolment);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(db, request.Actor, "sequence.enrolled", lead.TeamId, "lead", CreateSequenceHandler.Id(lead.Id),
            $"sequence {sequence.Id} '{sequence.Name}', enrolment {enrolment.Id}; first step due {enrolment.NextDueAt:u}", ct);
        return EnrolmentView.From(enrolment, sequence, lead.Country);
    }
}

/// <param name="NextStep">The step that runs next (or whose draft is awaited); null when the enrolment is over.</param>
/// <param name="TimeZone">The lead's time zone for business hours (from its country; UTC when unknown).</param>
/// <param name="SequencePaused">A manager paused the whole sequence: nothing runs for this lead until it is resumed.</param>
public sealed record EnrolmentView(
    long Id, long LeadId, long SequenceId, string SequenceName, EnrolmentStatus Status, int CurrentStep, int StepCount, SequenceStep? NextStep,
    DateTime? NextDueAt, long? WaitingDraftId, DateTime EnrolledAt, string EnrolledBy, DateTime? StoppedAt, StopReason? StopReason, string? Note,
    string TimeZone, bool SequencePaused = false)
{
    public static EnrolmentView From(SequenceEnrolment e, Sequence s, string? country)
    {
        var steps = s.StepList;
        var live = e.Status is EnrolmentStatus.Active or EnrolmentStatus.WaitingForDraft or EnrolmentStatus.Paused or EnrolmentStatus.NeedsAttention;
        var at = Sequence.IndexOf(steps, SequenceStepIds.Current(e, steps));
        return new EnrolmentView(e.Id, e.LeadId, e.SequenceId, s.Name, e.Status, at < 0 ? e.CurrentStep : at, steps.Count,
            live && at >= 0 ? steps[at] : null, e.NextDueAt, e.WaitingDraftId, e.EnrolledAt, e.EnrolledBy,
            e.StoppedAt, e.StopReason, e.Note, SendWindow.ZoneFor(country).Id, s.Paused);
    }
}
