using GrowthBrain.Leads;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GrowthBrain.Web.Leads;

public static class LeadsApi
{
    public static RouteGroupBuilder MapLeadsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/leads").WithTags("Leads");

        api.MapGet("/", async Task<Results<Ok<LeadPage>, ProblemHttpResult>> (
            ListLeadsHandler handler, CancellationToken ct,
            int page = 1, int pageSize = 25, string? search = null, string? sortBy = null, bool descending = false,
            LeadOutcome? outcome = null, string? source = null, string? owner = null, string? grade = null) =>
        {
            try
            {
                return TypedResults.Ok(await handler.HandleAsync(
                    new ListLeads(page, pageSize, search, sortBy, descending, outcome, source, owner, grade), ct));
            }
            catch (ArgumentException e)
            {
                return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest, title: "Invalid query");
            }
        }).WithSummary("A page of leads, searched, filtered and sorted");

        // TypedResults.Problem, not NotFound(new ProblemDetails()): only the former is sent as application/problem+json.
        api.MapGet("/{id:long}", async Task<Results<Ok<LeadDetails>, ProblemHttpResult>> (long id, GetLeadHandler handler, CancellationToken ct) =>
            await handler.HandleAsync(id, ct) is { } lead
                ? TypedResults.Ok(lead)
                : TypedResults.Problem($"There is no lead {id}.", statusCode: StatusCodes.Status404NotFound, title: "No such lead"))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One lead with its recent activities");

        return api;
    }
}
