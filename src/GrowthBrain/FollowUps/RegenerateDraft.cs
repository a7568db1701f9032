using GrowthBrain.Audit;
using GrowthBrain.Data;

namespace GrowthBrain.FollowUps;

/// <param name="DiscardEdits">A person's edits are never thrown away silently: regenerating an edited draft needs this set.</param>
public sealed record RegenerateDraft(long DraftId, string Actor, FollowUpGoal? Goal = null, Tone? Tone = null, bool DiscardEdits = false);

/// <summary>Asks the writer again (optionally with another goal or tone) and puts the new text up for approval.</summary>
public sealed class RegenerateDraftHandler(GrowthBrainDb db, DraftFollowUpHandler drafter, GetPlaybookHandler playbooks, AuditLog audit)
{
    public async Task<DraftView> HandleAsync(RegenerateDraft request, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Actor)) throw new ArgumentException("actor is empty; say who regenerates.");
        var draft = await GetDraftHandler.FindAsync(db, request.DraftId, ct);
        if (draft.Status is DraftStatus.Sending or DraftStatus.Sent or DraftStatus.SendUnknown)
            throw new DraftStateException($"Draft {draft.Id} is {draft.Status}; it may have reached the lead, so write a new draft for the lead instead.");
        if (draft.Edited && !request.DiscardEdits)
            throw new DraftStateException(
                $"Draft {draft.Id} has edits by {draft.EditedBy}, and a person's version wins; regenerate with discardEdits=true to replace them.");

        var playbook = await playbooks.GetOrSeedAsync(draft.TeamId, ct);
        var written = await drafter.HandleAsync(
            new DraftFollowUp(GetDraftHandler.Id(draft.LeadId), request.Goal ?? draft.Goal, request.Tone ?? draft.Tone) { Playbook = playbook.Read() }, ct);

        draft.Writer = written.Writer;
        draft.Goal = written.Goal;
        draft.Tone = written.Tone;
        draft.Language = written.Language;
        draft.Subject = draft.OriginalSubject = written.Subject;
        draft.Body = draft.OriginalBody = written.Body;
        draft.CallToAction = written.CallToAction;
        draft.Violations = FollowUpDraft.WriteViolations(written.Violations);
        draft.PlaybookVersion = playbook.Version;
        draft.EditDiff = draft.EditedBy = null;
        draft.EditedAt = null;
        draft.ApprovedBy = draft.RejectedBy = draft.RejectionReason = draft.Error = null;
        draft.ApprovedAt = draft.RejectedAt = null;
        draft.Status = DraftStatus.Pending;
        audit.Add(db, request.Actor, "draft.regenerated", draft.TeamId, "draft", GetDraftHandler.Id(draft.Id),
            $"{draft.Writer} writer; {draft.Goal}; {draft.Tone}{(request.DiscardEdits ? "; edits discarded" : "")}");
        await db.SaveChangesAsync(ct);
        return await DraftView.LoadAsync(db, draft, ct);
    }
}
