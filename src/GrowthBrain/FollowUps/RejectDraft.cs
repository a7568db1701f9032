using GrowthBrain.Audit;
using GrowthBrain.Data;

namespace GrowthBrain.FollowUps;

public sealed record RejectDraft(long DraftId, string Actor, string Reason)
{
    public const int MaxReason = 1000;
}

/// <summary>A person turns a draft down, saying why; the reason is kept to improve the writers.</summary>
public sealed class RejectDraftHandler(GrowthBrainDb db, AuditLog audit, TimeProvider clock)
{
    public async Task<DraftView> HandleAsync(RejectDraft request, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Actor)) throw new ArgumentException("actor is empty; say who rejects.");
        var reason = request.Reason?.Trim();
        if (string.IsNullOrEmpty(reason)) throw new ArgumentException("reason is empty; say in a few words why the draft is rejected.");
        if (reason.Length > RejectDraft.MaxReason) throw new ArgumentException($"reason is {reason.Length} characters; keep it under {RejectDraft.MaxReason}.");
        var draft = await GetDraftHandler.FindAsync(db, request.DraftId, ct);
        if (draft.Status is not (DraftStatus.Pending or DraftStatus.Approved or DraftStatus.Failed))
            throw new DraftStateException($"Draft {draft.Id} is {draft.Status}; only a pending, approved or failed draft can be rejected.");

        draft.Status = DraftStatus.Rejected;
        draft.RejectedBy = request.Actor;
        draft.RejectedAt = clock.GetUtcNow().UtcDateTime;
        draft.RejectionReason = reason;
        audit.Add(db, request.Actor, "draft.rejected", draft.TeamId, "draft", GetDraftHandler.Id(draft.Id), reason);
        await db.SaveChangesAsync(ct);
        return await DraftView.LoadAsync(db, draft, ct);
    }
}
