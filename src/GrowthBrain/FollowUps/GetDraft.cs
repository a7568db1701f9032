using GrowthBrain.Data;
using GrowthBrain.Leads;

namespace GrowthBrain.FollowUps;

public sealed record GetDraft(long DraftId);

/// <summary>A stored draft as people and the API see it, with the lead it is for.</summary>
public sealed record DraftView(
    long Id,
    long LeadId,
    string LeadName,
    string? LeadEmail,
    double? LeadScore,
    string? LeadGrade,
    DraftStatus Status,
    string Writer,
    FollowUpGoal Goal,
    Tone Tone,
    string Language,
    string Subject,
    string Body,
    string CallToAction,
    IReadOnlyList<Violation> Violations,
    bool Sendable,
    int PlaybookVersion,
    DateTime CreatedAt,
    string CreatedBy,
    bool Edited,
    string OriginalSubject,
    string OriginalBody,
    string? EditDiff,
    string? EditedBy,
    DateTime? EditedAt,
    string? ApprovedBy,
    DateTime? ApprovedAt,
    string? RejectedBy,
    DateTime? RejectedAt,
    string? RejectionReason,
    int? Rating,
    string? RatingComment,
    string? MessageId,
    DateTime? SentAt,
    string? Error)
{
    public static DraftView From(FollowUpDraft d, Lead? lead)
    {
        var violations = d.ViolationList;
        return new DraftView(d.Id, d.LeadId, lead?.DisplayName ?? $"Lead {d.LeadId}", lead?.Email, lead?.ScoreProbability, lead?.ScoreGrade,
            d.Status, d.Writer, d.Goal, d.Tone, d.Language, d.Subject, d.Body, d.CallToAction, violations, violations.Count == 0,
            d.PlaybookVersion, d.CreatedAt, d.CreatedBy, d.Edited, d.OriginalSubject, d.OriginalBody, d.EditDiff, d.EditedBy, d.EditedAt,
            d.ApprovedBy, d.ApprovedAt, d.RejectedBy, d.RejectedAt, d.RejectionReason, d.Rating, d.RatingComment, d.MessageId, d.SentAt, d.Error);
    }

    public static async Task<DraftView> LoadAsync(GrowthBrainDb db, FollowUpDraft draft, CancellationToken ct) =>
        From(draft, await db.Leads.AsNoTracking().FirstOrDefaultAsync(l => l.Id == draft.LeadId, ct));
}

public sealed class GetDraftHandler(GrowthBrainDb db)
{
    public async Task<DraftView> HandleAsync(GetDraft request, CancellationToken ct)
    {
        var draft = await db.FollowUpDrafts.AsNoTracking().FirstOrDefaultAsync(d => d.Id == request.DraftId, ct)
            ?? throw new DraftNotFoundException(request.DraftId);
        return await DraftView.LoadAsync(db, draft, ct);
    }

    /// <summary>The tracked draft for a handler that changes it.</summary>
    internal static async Task<FollowUpDraft> FindAsync(GrowthBrainDb db, long id, CancellationToken ct) =>
        await db.FollowUpDrafts.FirstOrDefaultAsync(d => d.Id == id, ct) ?? throw new DraftNotFoundException(id);

    internal static string Id(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
