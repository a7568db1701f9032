using GrowthBrain.Data;

namespace GrowthBrain.FollowUps;

/// <param name="Status">Only drafts in this state; null for all.</param>
public sealed record ListDrafts(DraftStatus? Status = null, int Take = 100)
{
    public const int MaxTake = 500;
}

/// <summary>
/// Stored drafts, best leads first (highest score, then newest draft), so the approval queue starts with the
/// leads most worth a person's minute. Team isolation comes from the ITeamOwned query filters.
/// </summary>
public sealed class ListDraftsHandler(GrowthBrainDb db)
{
    public async Task<IReadOnlyList<DraftView>> HandleAsync(ListDrafts request, CancellationToken ct)
    {
        if (request.Take is < 1 or > ListDrafts.MaxTake) throw new ArgumentException($"take is {request.Take}; use 1 to {ListDrafts.MaxTake}.");
        if (request.Status is { } s && !Enum.IsDefined(s)) throw new ArgumentException($"status is {(int)s}; use one of {string.Join(", ", Enum.GetNames<DraftStatus>())}.");
        var drafts = db.FollowUpDrafts.AsNoTracking();
        if (request.Status is { } status) drafts = drafts.Where(d => d.Status == status);
        var rows = await (from d in drafts
                          join l in db.Leads.AsNoTracking() on d.LeadId equals l.Id
                          orderby l.ScoreProbability == null, l.ScoreProbability descending, d.CreatedAt descending, d.Id descending
                          select new { d, l })
            .Take(request.Take)
            .ToListAsync(ct);
        return rows.Select(r => DraftView.From(r.d, r.l)).ToList();
    }
}
