using GrowthBrain.Data;

namespace GrowthBrain.Leads;

public sealed record ListLeads(
    int Page = 1,
    int PageSize = 25,
    string? Search = null,
    string? SortBy = null,
    bool Descending = false,
    LeadOutcome? Outcome = null,
    string? Source = null,
    string? Owner = null,
    string? Grade = null,
    string? Stage = null)
{
    public const int MaxPageSize = 500;
    /// <summary>Far past any real list, and low enough that (page - 1) * pageSize cannot overflow.</summary>
    public const int MaxPage = 1_000_000;
    /// <summary>A filtered list counts its matches up to this many; beyond it the total is shown as "10,000+".</summary>
    public const int CountCap = 10_000;
    public static readonly string[] SortableColumns = ["score", "name", "company", "created", "lastActivity", "stage", "outcome", "source", "owner"];
}

public sealed record LeadRow(long Id, string Name, string? Email, string? Company, string? JobTitle, string? Source,
    string? Owner, string? Stage, LeadOutcome Outcome, DateTime CreatedAt, DateTime? LastActivityAt, double? Probability, string? Grade,
    bool Overridden = false);

/// <param name="TotalIsCapped">True when more than <see cref="ListLeads.CountCap"/> leads match a filter: Total is then the cap, not the count.</param>
public sealed record LeadPage(IReadOnlyList<LeadRow> Items, int Total, int Page, int PageSize, bool TotalIsCapped = false);

/// <summary>One page of leads, searched, filtered and sorted in the database so it stays fast on large CRMs.</summary>
public sealed class ListLeadsHandler(GrowthBrainDb db)
{
    public async Task<LeadPage> HandleAsync(ListLeads query, CancellationToken ct)
    {
        if (query.Page < 1) throw new ArgumentException($"page is {query.Page}; pages start at 1.");
        if (query.Page > ListLeads.MaxPage) throw new ArgumentException($"page is {query.Page}; use 1 to {ListLeads.MaxPage}.");
        if (query.PageSize is < 1 or > ListLeads.MaxPageSize)
            throw new ArgumentException($"pageSize is {query.PageSize}; use 1 to {ListLeads.MaxPageSize}.");
        var (filtered, sorted) = Build(query);
        // Nothing filtered: the total is the teams' lead counts the database keeps (Insights/LeadStatsSql.cs), not a
        // count of a million rows on every page turn. Team query filters apply to the counts as to the leads.
        var unfiltered = string.IsNullOrWhiteSpace(query.Search) && query.Outcome is null && string.IsNullOrWhiteSpace(query.Source)
                         && string.IsNullOrWhiteSpace(query.Owner) && query.Grade is null && string.IsNullOrWhiteSpace(query.Stage);
        // Filtered: counting every match of a broad filter (a source, "open") reads most of a million leads on each
        // page turn, so the count stops one past the cap; nobody pages through 10,000 leads, they narrow the filter.
        var total = unfiltered ? (int)await db.TeamLeadCounts.SumAsync(c => c.Leads, ct) : await filtered.Take(ListLeads.CountCap + 1).CountAsync(ct);
        var capped = !unfiltered && total > ListLeads.CountCap;
        var items = await sorted.Skip((query.Page - 1) * query.PageSize).Take(query.PageSize).ToListAsync(ct);
        return new LeadPage(items, capped ? ListLeads.CountCap : total, query.Page, query.PageSize, capped);
    }

    /// <summary>
    /// Every lead the query matches, in its order, streamed from one database query (no OFFSET paging, nothing
    /// held in memory) for exports. Page and PageSize are ignored. Validates before the first row is read.
    /// </summary>
    public IAsyncEnumerable<LeadRow> StreamAsync(ListLeads query) => Build(query).Sorted.AsAsyncEnumerable();

    private (IQueryable<Lead> Filtered, IQueryable<LeadRow> Sorted) Build(ListLeads query)
    {
        if (query.SortBy is { } s && !ListLeads.SortableColumns.Contains(s, StringComparer.OrdinalIgnoreCase))
            throw new ArgumentException($"sortBy is '{s}'; use one of {string.Join(", ", ListLeads.SortableColumns)}.");

        var leads = db.Leads.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var term = query.Search.Trim();
            var pattern = "%" + term.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
            leads = db.Provider == DatabaseProvider.Postgres
                ? leads.Where(l => EF.Functions.ILike(l.EmailNormalized ?? "", pattern, "\\") || EF.Functions.ILike(l.FirstName ?? "", pattern, "\\")
                                   || EF.Functions.ILike(l.LastName ?? "", pattern, "\\") || EF.Functions.ILike(l.Company ?? "", pattern, "\\"))
                : leads.Where(l => EF.Functions.Like(l.EmailNormalized ?? "", pattern, "\\") || EF.Functions.Like(l.FirstName ?? "", pattern, "\\")
                                   || EF.Functions.Like(l.LastName ?? "", pattern, "\\") || EF.Functions.Like(l.Company ?? "", pattern, "\\"));
        }
        if (query.Outcome is { } outcome) leads = leads.Where(l => l.Outcome == outcome);
        if (!string.IsNullOrWhiteSpace(query.Source)) leads = leads.Where(l => l.Source == query.Source);
        if (!string.IsNullOrWhiteSpace(query.Owner)) leads = leads.Where(l => l.Owner == query.Owner);
        // The stage shown is the CRM's stage, or its status when it has none (see the row below).
        if (!string.IsNullOrWhiteSpace(query.Stage)) leads = leads.Where(l => (l.Stage ?? l.Status) == query.Stage);
        if (query.Grade is { } grade)
        {
            if (grade is not ("A" or "B" or "C" or "D")) throw new ArgumentException($"grade is '{grade}'; use A, B, C or D.");
            leads = leads.Where(l => l.ScoreGrade == grade);
        }

        var d = query.Descending;
        IOrderedQueryable<Lead> sorted = query.SortBy?.ToLowerInvariant() switch
        {
            // Unscored leads last on both providers (PostgreSQL would put NULLs first when descending).
            "score" => d ? leads.OrderBy(l => l.ScoreProbability == null).ThenByDescending(l => l.ScoreProbability)
                         : leads.OrderBy(l => l.ScoreProbability == null).ThenBy(l => l.ScoreProbability),
            "name" => d ? leads.OrderByDescending(l => l.LastName).ThenByDescending(l => l.FirstName) : leads.OrderBy(l => l.LastName).ThenBy(l => l.FirstName),
            "company" => d ? leads.OrderByDescending(l => l.Company) : leads.OrderBy(l => l.Company),
            "lastactivity" => d ? leads.OrderByDescending(l => l.LastActivityAt) : leads.OrderBy(l => l.LastActivityAt),
            "stage" => d ? leads.OrderByDescending(l => l.Stage) : leads.OrderBy(l => l.Stage),
            "outcome" => d ? leads.OrderByDescending(l => l.Outcome) : leads.OrderBy(l => l.Outcome),
            "source" => d ? leads.OrderByDescending(l => l.Source) : leads.OrderBy(l => l.Source),
            "owner" => d ? leads.OrderByDescending(l => l.Owner) : leads.OrderBy(l => l.Owner),
            "created" => d ? leads.OrderByDescending(l => l.CreatedAt) : leads.OrderBy(l => l.CreatedAt),
            // Newest first is what a rep wants when nothing else is asked for.
            _ => leads.OrderByDescending(l => l.CreatedAt),
        };
        var rows = sorted.ThenBy(l => l.Id)
            .Select(l => new LeadRow(l.Id,
                ((l.FirstName ?? "") + " " + (l.LastName ?? "")).Trim(),
                l.Email, l.Company, l.JobTitle, l.Source, l.Owner, l.Stage ?? l.Status, l.Outcome, l.CreatedAt, l.LastActivityAt,
                l.ScoreProbability, l.ScoreGrade, l.ScoreOverrideId != null));
        return (leads, rows);
    }
}
