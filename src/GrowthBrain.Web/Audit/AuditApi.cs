using GrowthBrain.Audit;
using GrowthBrain.Data;
using GrowthBrain.Web.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GrowthBrain.Web.Audit;

/// <summary>The audit log, for owners only: a page at a time, filtered, or the whole range as CSV.</summary>
public static class AuditApi
{
    public static void MapAuditApi(this IEndpointRouteBuilder app)
    {
        var audit = app.MapGroup("/api/audit").WithTags("Audit").RequireAuthorization(Policies.Owner);

        // The handler checks page and pageSize; its refusal becomes a 400 problem in DomainExceptionHandler.
        audit.MapGet("/", async Task<Ok<AuditPage>> (ListAuditEntriesHandler handler, CancellationToken ct,
            int page = 1, int pageSize = 50, string? actor = null, string? action = null, DateTime? from = null, DateTime? to = null) =>
            TypedResults.Ok(await handler.HandleAsync(new ListAuditEntries(new AuditFilter(actor, action, from, to), page, pageSize), ct)))
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .WithSummary("The audit log, newest first");

        audit.MapGet("/export", async (HttpContext http, ListAuditEntriesHandler entries, GrowthBrainDb db, AuditLog log, GrowthBrain.Accounts.TeamScope who,
            string? actor = null, string? action = null, DateTime? from = null, DateTime? to = null) =>
        {
            http.Response.ContentType = "text/csv; charset=utf-8";
            http.Response.Headers.ContentDisposition = "attachment; filename=\"growthbrain-audit.csv\"";
            await using var writer = new StreamWriter(http.Response.Body, new System.Text.UTF8Encoding(false));
            await writer.WriteLineAsync("id,at,actor,action,team_id,subject_kind,subject_id,detail");
            long after = 0;
            await foreach (var a in entries.ExportAsync(new AuditFilter(actor, action, from, to), http.RequestAborted))
            {
                await writer.WriteLineAsync(CsvText.Line([a.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), a.At.ToString("O"),
                    a.Actor, a.Action, a.TeamId?.ToString(System.Globalization.CultureInfo.InvariantCulture), a.SubjectKind, a.SubjectId, a.Detail]));
                after = a.Id;
            }
            await writer.FlushAsync(http.RequestAborted);
            // The export itself is audited, after the rows it contains.
            await log.RecordAsync(db, who.Actor, "audit.exported", null, detail: $"up to entry {after}", ct: http.RequestAborted);
        }).WithSummary("The audit log as CSV (formula-safe)");
    }
}
