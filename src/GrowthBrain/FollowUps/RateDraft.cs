using GrowthBrain.Audit;
using GrowthBrain.Data;

namespace GrowthBrain.FollowUps;

public sealed record RateDraft(long DraftId, string Actor, int Rating, string? Comment = null)
{
    public const int MaxComment = 1000;
}

/// <summary>A person's 1-5 rating of a draft (any state): how the writers compare in people's eyes.</summary>
public sealed class RateDraftHandler(GrowthBrainDb db, AuditLog audit, TimeProvider clock)
{
    public async Task<DraftView> HandleAsync(RateDraft request, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Actor)) throw new ArgumentException("actor is empty; say who rates.");
        if (request.Rating is < 1 or > 5) throw new ArgumentException($"rating is {request.Rating}; use 1 (poor) to 5 (excellent).");
        var comment = string.IsNullOrWhiteSpace(request.Comment) ? null : request.Comment.Trim();
        if (comment is { Length: > RateDraft.MaxComment }) throw new ArgumentException($"comment is {comment.Length} characters; keep it under {RateDraft.MaxComment}.");
        var draft = await GetDraftHandler.FindAsync(db, request.DraftId, ct);
        draft.Rating = request.Rating;
        draft.RatingComment = comment;
        draft.RatedBy = request.Actor;
        draft.RatedAt = clock.GetUtcNow().UtcDateTime;
        audit.Add(db, request.Actor, "draft.rated", draft.TeamId, "draft", GetDraftHandler.Id(draft.Id), $"{request.Rating}/5{(comment is null ? "" : ": " + comment)}");
        await db.SaveChangesAsync(ct);
        return await DraftView.LoadAsync(db, draft, ct);
    }
}
