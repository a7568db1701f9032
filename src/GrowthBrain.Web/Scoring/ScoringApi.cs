using System.Text.Json;
using GrowthBrain.Accounts;
using GrowthBrain.Data;
using GrowthBrain.Web.Accounts;
using GrowthBrain.Leads;
using GrowthBrain.Scoring;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace GrowthBrain.Web.Scoring;

public sealed record ModelSummary(int Version, string Status, string Kind, string Description, bool ColdStart, DateTime CreatedAt,
    DateTime? PromotedAt, string? PromotedBy, string? Note, int TrainingRows, int HoldoutRows, double? HoldoutRocAuc, double? HoldoutLogLoss);

public sealed record TrainRequest(bool Force = false);

public sealed record NewActivity(ActivityType Type, DateTime? OccurredAt = null, string? Subject = null);

public static class ScoringApi
{
    public static void MapScoringApi(this IEndpointRouteBuilder app)
    {
        var leads = app.MapGroup("/api/leads").WithTags("Scoring");

        leads.MapGet("/{id:long}/score", async Task<Results<Ok<LeadScoreView>, ProblemHttpResult>> (long id, ScoreLeadHandler handler, CancellationToken ct) =>
            await handler.HandleAsync(new ScoreLead(id), ct) is { } view ? TypedResults.Ok(view) : NotFound(id))
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("The lead's score now: probability, grade, factors for and against, what would raise it");

        leads.MapPost("/{id:long}/activities", async Task<Results<Ok<LeadScoreView>, ProblemHttpResult>> (
            long id, NewActivity body, AddActivityHandler add, ScoreLeadHandler score, GrowthBrain.Sequences.StopOnSignalsHandler sequences, CancellationToken ct) =>
            {
                if (await add.HandleAsync(new AddActivity(id, body.Type, body.OccurredAt, body.Subject), ct) is null) return NotFound(id);
                // A reply or a meeting stops the lead's sequence now, not at the runner's next tick.
                await sequences.HandleAsync(new GrowthBrain.Sequences.StopOnSignals([id]), ct);
                // Rescored right away, so the rep sees the effect of a reply or a meeting within a second.
                return await score.HandleAsync(new ScoreLead(id, "activity"), ct) is { } view ? TypedResults.Ok(view) : NotFound(id);
            })
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Record an activity (reply, call, meeting...) and rescore the lead");

        app.MapPost("/api/score", async Task<Ok<IReadOnlyList<LeadScoreView>>> (ScoreAdHoc body, ScoreAdHocHandler handler, CancellationToken ct) =>
            TypedResults.Ok(await handler.HandleAsync(body, ct)))
            .WithTags("Scoring").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Score leads that are not stored: lead JSON in, probability, grade and reasons out");

        var models = app.MapGroup("/api/models").WithTags("Models");

        models.MapGet("/", async (GrowthBrainDb db, CancellationToken ct) => TypedResults.Ok(await db.ModelVersions.AsNoTracking()
                .OrderByDescending(m => m.Number)
                .Select(m => new ModelSummary(m.Number, m.Status.ToString(), m.Kind, m.Description, m.IsColdStart, m.CreatedAt, m.PromotedAt,
                    m.PromotedBy, m.PromotionNote, m.TrainingRows, m.HoldoutRows, m.HoldoutRocAuc, m.HoldoutLogLoss))
                .ToListAsync(ct)))
            .WithSummary("Model versions, newest first");

        models.MapGet("/{version:int}", async Task<Results<Ok<JsonElement>, ProblemHttpResult>> (int version, GrowthBrainDb db, CancellationToken ct) =>
            await db.ModelVersions.AsNoTracking().Where(m => m.Number == version).Select(m => m.Report).FirstOrDefaultAsync(ct) is { } report
                ? TypedResults.Ok(JsonDocument.Parse(report).RootElement)
                : TypedResults.Problem($"There is no model v{version}.", statusCode: 404, title: "No such model"))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A version's training report and evaluation on held-out leads");

        models.MapGet("/report", async (GetModelReportHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(new GetModelReport(), ct)))
            .WithSummary("The model page's data: the active version's evaluation, score drift on open leads (PSI), and every version");

        models.MapPost("/train", async Task<Ok<TrainModelResult>> (TrainRequest? body, TrainModelHandler handler, TeamScope scope, CancellationToken ct) =>
            TypedResults.Ok(await handler.HandleAsync(new TrainModel(TeamId: scope.HomeTeamId, Force: body?.Force ?? false, RequestedBy: scope.Actor), null, ct)))
            .RequireAuthorization(Policies.Manager)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Train a new version; it becomes active only if at least as good on the same held-out leads (or forced)");

        models.MapPost("/{version:int}/promote", async Task<Ok<ModelSwitch>> (int version, PromoteModelHandler handler, TeamScope scope, CancellationToken ct) =>
            TypedResults.Ok(await handler.HandleAsync(new PromoteModel(version, scope.Actor, TeamId: scope.HomeTeamId), ct)))
            .RequireAuthorization(Policies.Manager)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Make a version the active one");

        models.MapPost("/rollback", async Task<Ok<ModelSwitch>> (PromoteModelHandler handler, TeamScope scope, CancellationToken ct) =>
            TypedResults.Ok(await handler.HandleAsync(new RollbackModel(scope.Actor, TeamId: scope.HomeTeamId), ct)))
            .RequireAuthorization(Policies.Manager)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Go back to the version active before this one");
    }

    private static ProblemHttpResult NotFound(long id) =>
        TypedResults.Problem($"There is no lead {id}.", statusCode: StatusCodes.Status404NotFound, title: "No such lead");
}
