using GrowthBrain.Audit;
using GrowthBrain.Data;
using GrowthBrain.Leads;

namespace GrowthBrain.FollowUps;

public sealed record EditDraft(long DraftId, string Actor, string Subject, string Body)
{
    public const int MaxSubject = Lead.ShortText;
    public const int MaxBody = 10_000;
}

/// <summary>
/// A person rewrites a draft. Their text becomes the text that is sent (a person's version always wins), the
/// writer's original and the diff are kept, and every guardrail runs again on the new text: a draft that failed
/// can be approved once the edit passes, and an edit that breaks a rule blocks approval in turn. Editing an
/// approved draft takes it back to pending, because what was approved is no longer what would be sent.
/// </summary>
public sealed class EditDraftHandler(GrowthBrainDb db, GetPlaybookHandler playbooks, AuditLog audit, TimeProvider clock)
{
    public async Task<DraftView> HandleAsync(EditDraft request, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Actor)) throw new ArgumentException("actor is empty; say who edits.");
        var subject = request.Subject?.Trim() ?? "";
        var body = (request.Body ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
        if (subject.Length == 0) throw new ArgumentException("subject is empty; write one under 60 characters.");
        if (subject.Length > EditDraft.MaxSubject) throw new ArgumentException($"subject is {subject.Length} characters; keep it under 60.");
        if (body.Length == 0) throw new ArgumentException("body is empty; write the e-mail text.");
        if (body.Length > EditDraft.MaxBody) throw new ArgumentException($"body is {body.Length} characters; the limit is {EditDraft.MaxBody:N0}.");

        var draft = await GetDraftHandler.FindAsync(db, request.DraftId, ct);
        if (draft.Status is not (DraftStatus.Pending or DraftStatus.Approved or DraftStatus.Failed))
            throw new DraftStateException(draft.Status is DraftStatus.Rejected
                ? $"Draft {draft.Id} was rejected; regenerate it for a new draft to edit."
                : $"Draft {draft.Id} is {draft.Status}; only a pending, approved or failed draft can be edited.");

        var lead = await db.Leads.AsNoTracking().FirstOrDefaultAsync(l => l.Id == draft.LeadId, ct)
            ?? throw new DraftStateException($"Draft {draft.Id} is for lead {draft.LeadId}, which no longer exists; reject the draft.");
        var playbook = (await playbooks.GetOrSeedAsync(draft.TeamId, ct)).Read();
        var callToAction = Guardrails.CallsToAction(body.Replace(playbook.For(draft.Language).OptOutLine, " ", StringComparison.Ordinal)).FirstOrDefault() ?? "";
        var check = Guardrails.Check(new Draft(draft.Writer, subject, body, callToAction, draft.Language, []), lead, playbook);

        var wasApproved = draft.Status == DraftStatus.Approved;
        draft.Subject = subject;
        draft.Body = body;
        draft.CallToAction = callToAction;
        draft.Violations = FollowUpDraft.WriteViolations(check.Violations);
        draft.EditDiff = (subject == draft.OriginalSubject ? "" : $"- Subject: {draft.OriginalSubject}\n+ Subject: {subject}\n")
                         + TextDiff.Lines(draft.OriginalBody, body);
        draft.EditedBy = request.Actor;
        draft.EditedAt = clock.GetUtcNow().UtcDateTime;
        draft.Status = DraftStatus.Pending;
        draft.ApprovedBy = null;
        draft.ApprovedAt = null;
        audit.Add(db, request.Actor, "draft.edited", draft.TeamId, "draft", GetDraftHandler.Id(draft.Id),
            (check.Sendable ? "passes every guardrail" : $"{check.Violations.Count} guardrail problem(s)") + (wasApproved ? "; approval withdrawn" : ""));
        await db.SaveChangesAsync(ct);
        return DraftView.From(draft, lead);
    }
}
