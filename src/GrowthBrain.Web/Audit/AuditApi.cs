using GrowthBrain.Audit;
using GrowthBrain.Data;
using GrowthBrain.Web.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace GrowthBrain.Web.Audit;

public sealed record AuditPage(int Page, int PageSize, int Total, IReadOnlyList<AuditEntry> Entries);

/// <summary>The audit log, for owners only: a page at a time, filtered, or the whole range as CSV.</summary>
public static class AuditApi
{
    public static void MapAuditApi(this IEndpointRouteBuilder app)
    {
        var audit = app.MapGroup("/api/audit").WithTags("Audit").RequireAuthorization(Policies.Owner);

        audit.MapGet("/", async Task<Results<Ok<AuditPage>, ProblemHttpResult>> (GrowthBrainDb db, CancellationToken ct,
            int page = 1, int pageSize = 50, string? actor = null, string? action = null, DateTime? from = null, DateTime? to = null) =>
        {
            if (page < 1 || pageSize is < 1 or > 500)
            {
                return TypedResults.Problem("page starts at 1 and pageSize is 1 to 500.", statusCode: 400, title: "Invalid query");
            }
            var q = Filter(db, actor, action, from, to);
            var total = await q.CountAsync(ct);
            var entries = await q.OrderByDescending(a => a.Id).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
            return TypedResults.Ok(new AuditPage(page, pageSize, total, entries));
        }).WithSummary("The audit log, newest first");

        audit.MapGet("/export", async (HttpContext http, GrowthBrainDb db, AuditLog log, GrowthBrain.Accounts.TeamScope who,
            string? actor = null, string? action = null, DateTime? from = null, DateTime? to = null) =>
        {
            http.Response.ContentType = "text/csv; charset=utf-8";
            http.Response.Headers.ContentDisposition = "attachment; filename=\"growthbrain-audit.csv\"";
            await using var writer = new StreamWriter(http.Response.Body, new System.Text.UTF8Encoding(false));
            await writer.WriteLineAsync("id,at,actor,action,team_id,subject_kind,subject_id,detail");
            // Streamed in id order a page at a time: the log can be far larger than memory.
            long after = 0;
            while (true)
            {
                var batch = await Filter(db, actor, action, from, to).Where(a => a.Id > after).OrderBy(a => a.Id).Take(5000).ToListAsync(http.RequestAborted);
                if (batch.Count == 0) break;
                foreach (var a in batch)
                {
                    await writer.WriteLineAsync(CsvText.Line([a.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), a.At.ToString("O"),
                        a.Actor, a.Action, a.TeamId?.ToString(System.Globalization.CultureInfo.InvariantCulture), a.SubjectKind, a.SubjectId, a.Detail]));
                }
                after = batch[^1].Id;
            }
            await writer.FlushAsync(http.RequestAborted);
            // The export itself is audited, after the rows it contains.
            await log.RecordAsync(db, who.Actor, "audit.exported", null, detail: $"up to entry {after}", ct: http.RequestAborted);
        }).WithSummary("The audit log as CSV (formula-safe)");
    }

    private static IQueryable<AuditEntry> Filter(GrowthBrainDb db, string? actor, string? action, DateTime? from, DateTime? to)
    {
        var q = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(actor)) q = q.Where(a => a.Actor == actor);
        if (!string.IsNullOrWhiteSpace(action)) q = q.Where(a => a.Action.StartsWith(action));
        if (from is { } f) q = q.Where(a => a.At >= f.ToUniversalTime());
        if (to is { } t) q = q.Where(a => a.At < t.ToUniversalTime());
        return q;
    }
}
