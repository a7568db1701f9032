using GrowthBrain.Scoring;
using Microsoft.AspNetCore.Http.HttpResults;
using GrowthBrain.Web.Accounts;

namespace GrowthBrain.Web.Scoring;

/// <param name="Grade">A, B, C or D.</param>
/// <param name="Probability">Optional, 0 to 1, inside the grade's band.</param>
/// <param name="Reason">Required: why the model is wrong about this lead.</param>
public sealed record ScoreOverrideRequest(string? Grade, double? Probability, string? Reason);

public static class ScoreOverrideApi
{
    public static void MapScoreOverrideApi(this IEndpointRouteBuilder app)
    {
        var leads = app.MapGroup("/api/leads").WithTags("Scoring");

        leads.MapPost("/{id:long}/score/override", async Task<Results<Ok<ScoreOverrideView>, ProblemHttpResult>> (
            long id, ScoreOverrideRequest body, OverrideScoreHandler handler, HttpContext http, CancellationToken ct) =>
            await handler.HandleAsync(new OverrideScore(id, body.Grade, body.Probability, body.Reason, http.Actor()), ct) is { } view
                ? TypedResults.Ok(view)
                : NoLead(id))
        .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
        .WithSummary("Set a person's grade (and optionally probability) for a lead, with a reason; kept through rescoring until cleared");

        leads.MapDelete("/{id:long}/score/override", async Task<Results<NoContent, ProblemHttpResult>> (
            long id, OverrideScoreHandler handler, HttpContext http, CancellationToken ct, string? reason = null) =>
            await handler.ClearAsync(new ClearScoreOverride(id, http.Actor(), reason), ct) ? TypedResults.NoContent() : NoLead(id))
        .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
        .WithSummary("Clear the override: the model's latest score stands again");

        leads.MapGet("/{id:long}/score/history", async Task<Results<Ok<ScoreHistory>, ProblemHttpResult>> (long id, GetScoreHistoryHandler handler, CancellationToken ct) =>
            await handler.HandleAsync(new GetScoreHistory(id), ct) is { } history ? TypedResults.Ok(history) : NoLead(id))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("The model's scores for the lead over time, and every override a person set (who, when, why)");
    }

    private static ProblemHttpResult NoLead(long id) =>
        TypedResults.Problem($"There is no lead {id}.", statusCode: StatusCodes.Status404NotFound, title: "No such lead");
}
