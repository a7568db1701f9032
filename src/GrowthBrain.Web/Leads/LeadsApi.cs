using GrowthBrain.Leads;
using GrowthBrain.Web.Export;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GrowthBrain.Web.Leads;

public static class LeadsApi
{
    public static RouteGroupBuilder MapLeadsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/leads").WithTags("Leads");

        api.MapGet("/", async Task<Ok<LeadPage>> (
            ListLeadsHandler handler, CancellationToken ct,
            int page = 1, int pageSize = 25, string? search = null, string? sortBy = null, bool descending = false,
            LeadOutcome? outcome = null, string? source = null, string? owner = null, string? grade = null, string? stage = null) =>
            TypedResults.Ok(await handler.HandleAsync(new ListLeads(page, pageSize, search, sortBy, descending, outcome, source, owner, grade, stage), ct)))
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .WithSummary("A page of leads, searched, filtered and sorted");

        api.MapGet("/export", (ListLeadsHandler handler, string? format = null, string? search = null, string? sortBy = null, bool descending = false,
            LeadOutcome? outcome = null, string? source = null, string? owner = null, string? grade = null, string? stage = null) =>
        {
            if (!TableExport.TryParseFormat(format, out var f, out var problem)) return (IResult)problem;
            return TableExport.File("leads", f, ExportColumns,
                handler.StreamAsync(new ListLeads(1, 1, search, sortBy, descending, outcome, source, owner, grade, stage)));
        })
        .Produces(StatusCodes.Status200OK, contentType: "text/csv").ProducesProblem(StatusCodes.Status400BadRequest)
        .WithSummary("Every lead the list's filters match, as CSV (streamed, no limit) or XLSX (up to Excel's row limit)");

        api.MapGet("/filters", async (GetLeadFilterOptionsHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(ct)))
            .WithSummary("The sources, owners and open stages the leads list can be filtered by");

        api.MapGet("/call-next", async Task<Ok<IReadOnlyList<CallNextLead>>> (GetCallNextHandler handler, CancellationToken ct, int count = GetCallNext.DefaultCount) =>
            TypedResults.Ok(await handler.HandleAsync(new GetCallNext(count), ct)))
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .WithSummary("Who to call next: the best open leads by score, with the reasons and the step that would raise each most");

        // TypedResults.Problem, not NotFound(new ProblemDetails()): only the former is sent as application/problem+json.
        api.MapGet("/{id:long}", async Task<Results<Ok<LeadDetails>, ProblemHttpResult>> (long id, GetLeadHandler handler, CancellationToken ct) =>
            await handler.HandleAsync(id, ct) is { } lead
                ? TypedResults.Ok(lead)
                : TypedResults.Problem($"There is no lead {id}.", statusCode: StatusCodes.Status404NotFound, title: "No such lead"))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One lead with its recent activities");

        return api;
    }

    internal static readonly IReadOnlyList<ExportColumn<LeadRow>> ExportColumns =
    [
        new("Id", r => r.Id), new("Name", r => r.Name), new("E-mail", r => r.Email), new("Company", r => r.Company),
        new("Job title", r => r.JobTitle), new("Source", r => r.Source), new("Owner", r => r.Owner), new("Stage", r => r.Stage),
        new("Outcome", r => r.Outcome), new("Created", r => r.CreatedAt), new("Last activity", r => r.LastActivityAt),
        new("Probability", r => r.Probability is { } p ? Math.Round(p, 4) : null), new("Grade", r => r.Grade),
        new("Overridden", r => r.Overridden),
    ];
}
