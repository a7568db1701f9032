using GrowthBrain.Audit;
using GrowthBrain.Data;

namespace GrowthBrain.FollowUps;

public sealed record ApproveDraft(long DraftId, string Actor);

/// <summary>A person approves a pending draft as it stands. A draft with guardrail problems must be edited to pass first.</summary>
public sealed class ApproveDraftHandler(GrowthBrainDb db, AuditLog audit, TimeProvider clock)
{
    public async Task<DraftView> HandleAsync(ApproveDraft request, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Actor)) throw new ArgumentException("actor is empty; say who approves.");
        var draft = await GetDraftHandler.FindAsync(db, request.DraftId, ct);
        switch (draft.Status)
        {
            case DraftStatus.Pending:
                break;
            case DraftStatus.Approved:
                throw new DraftStateException($"Draft {draft.Id} is already approved (by {draft.ApprovedBy}); send it or edit it.");
            case DraftStatus.Rejected:
                throw new DraftStateException($"Draft {draft.Id} was rejected by {draft.RejectedBy}; regenerate it for a new draft to approve.");
            default:
                throw new DraftStateException($"Draft {draft.Id} is {draft.Status}; only a pending draft can be approved.");
        }
        var violations = draft.ViolationList;
        if (violations.Count > 0)
            throw new DraftStateException(
                $"Draft {draft.Id} can't be approved until it passes every guardrail; edit it: {string.Join(" ", violations.Select(v => v.Message))}");

        draft.Status = DraftStatus.Approved;
        draft.ApprovedBy = request.Actor;
        draft.ApprovedAt = clock.GetUtcNow().UtcDateTime;
        audit.Add(db, request.Actor, "draft.approved", draft.TeamId, "draft", GetDraftHandler.Id(draft.Id), draft.Edited ? "approved with the person's edits" : null);
        await db.SaveChangesAsync(ct);
        return await DraftView.LoadAsync(db, draft, ct);
    }
}
