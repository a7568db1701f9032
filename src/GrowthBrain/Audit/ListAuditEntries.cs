using System.Runtime.CompilerServices;
using GrowthBrain.Data;

namespace GrowthBrain.Audit;

/// <summary>Which entries: an exact actor, an action prefix ("lead." for every lead action), and a time range [From, To).</summary>
public sealed record AuditFilter(string? Actor = null, string? Action = null, DateTime? From = null, DateTime? To = null);

/// <summary>One page of the audit log, newest first.</summary>
public sealed record ListAuditEntries(AuditFilter Filter, int Page = 1, int PageSize = 50);

public sealed record AuditPage(int Page, int PageSize, int Total, IReadOnlyList<AuditEntry> Entries);

/// <summary>The audit log as the owners' page, the API and the CSV export read it, through one filter.</summary>
public sealed class ListAuditEntriesHandler(GrowthBrainDb db)
{
    public const int MaxPageSize = 500;
    /// <summary>Low enough that (page - 1) * pageSize cannot overflow.</summary>
    public const int MaxPage = 1_000_000;
    private const int ExportBatch = 5000;

    public async Task<AuditPage> HandleAsync(ListAuditEntries request, CancellationToken ct)
    {
        if (request.Page is < 1 or > MaxPage || request.PageSize is < 1 or > MaxPageSize)
        {
            throw new ArgumentException($"page is 1 to {MaxPage} and pageSize is 1 to {MaxPageSize}.");
        }
        var q = Filtered(request.Filter);
        var total = await q.CountAsync(ct);
        var entries = await q.OrderByDescending(a => a.Id).Skip((request.Page - 1) * request.PageSize).Take(request.PageSize).ToListAsync(ct);
        return new AuditPage(request.Page, request.PageSize, total, entries);
    }

    /// <summary>Every matching entry, oldest first.</summary>
    /// <remarks>Read in id order a batch at a time: the log can be far larger than memory.</remarks>
    public async IAsyncEnumerable<AuditEntry> ExportAsync(AuditFilter filter, [EnumeratorCancellation] CancellationToken ct)
    {
        long after = 0;
        while (true)
        {
            var batch = await Filtered(filter).Where(a => a.Id > after).OrderBy(a => a.Id).Take(ExportBatch).ToListAsync(ct);
            if (batch.Count == 0) yield break;
            foreach (var entry in batch) yield return entry;
            after = batch[^1].Id;
        }
    }

    private IQueryable<AuditEntry> Filtered(AuditFilter filter)
    {
        var q = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.Actor)) q = q.Where(a => a.Actor == filter.Actor);
        if (!string.IsNullOrWhiteSpace(filter.Action)) q = q.Where(a => a.Action.StartsWith(filter.Action));
        if (filter.From is { } f) q = q.Where(a => a.At >= f.ToUniversalTime());
        if (filter.To is { } t) q = q.Where(a => a.At < t.ToUniversalTime());
        return q;
    }
}
