using GrowthBrain.Accounts;
using GrowthBrain.Sequences;
using GrowthBrain.Web.Accounts;

namespace GrowthBrain.Web.Sequences;

/// <param name="TeamId">The team that owns the sequence; the caller's own team when left out.</param>
public sealed record NewSequenceBody(string Name, IReadOnlyList<SequenceStep>? Steps, long? TeamId = null);

/// <param name="Steps">The whole list in order; keep each existing step's id (from GET) so leads mid-sequence stay on their step,
/// leave id out for a new step.</param>
/// <param name="Paused">True holds every enrolment of the sequence (nothing runs or is sent) until it is false again.</param>
public sealed record SequenceBody(string Name, IReadOnlyList<SequenceStep>? Steps, bool Archived = false, bool Paused = false);

public sealed record EnrolBody(long SequenceId);

public sealed record StopBody(string? Reason = null);

public static class SequencesApi
{
    public static void MapSequencesApi(this IEndpointRouteBuilder app)
    {
        var sequences = app.MapGroup("/api/sequences").WithTags("Sequences")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);

        sequences.MapGet("/", async (ListSequencesHandler handler, CancellationToken ct, bool includeArchived = false) =>
                TypedResults.Ok(await handler.HandleAsync(new ListSequences(includeArchived), ct)))
            .WithSummary("The team's sequences (cadences of e-mail, call and task steps)");

        sequences.MapPost("/", async (NewSequenceBody body, CreateSequenceHandler handler, TeamScope scope, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(new CreateSequence(
                    body.TeamId ?? scope.HomeTeamId ?? throw new ArgumentException("teamId is missing and you have no home team; say which team the sequence is for."),
                    body.Name, body.Steps, scope.Actor), ct)))
            .RequireAuthorization(Policies.Manager)
            .WithSummary("Add a sequence: steps with delayDays (after the previous step), kind Email/CallTask/Task, goal and tone for e-mails, requiresApproval");

        sequences.MapPut("/{id:long}", async (long id, SequenceBody body, UpdateSequenceHandler handler, TeamScope scope, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(new UpdateSequence(id, body.Name, body.Steps, body.Archived, scope.Actor, body.Paused), ct)))
            .RequireAuthorization(Policies.Manager)
            .WithSummary("Change, pause or archive a sequence; leads mid-sequence stay on their step by id, and go on with the next kept step when theirs is removed");

        sequences.MapGet("/stats", async (GetSequenceStatsHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(new GetSequenceStats(), ct)))
            .WithSummary("Per sequence: leads enrolled, in progress, needing a person, stopped and completed, and how many are at each step");

        app.MapPost("/api/leads/{id:long}/sequence", async (long id, EnrolBody body, EnrolLeadHandler handler, TeamScope scope, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(new EnrolLead(id, body.SequenceId, scope.Actor), ct)))
            .WithTags("Sequences").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Enrol a lead in a sequence; the first step is due after its delay, inside the lead's business hours");

        app.MapGet("/api/leads/{id:long}/sequence", async (long id, GetLeadSequenceHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(new GetLeadSequence(id), ct)))
            .WithTags("Sequences").ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Where the lead is in its sequence (next step, due time, why it stopped) and its open calls and tasks");

        var enrolments = app.MapGroup("/api/enrolments").WithTags("Sequences")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        enrolments.MapPost("/{id:long}/pause", async (long id, ChangeEnrolmentHandler handler, TeamScope scope, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(new ChangeEnrolment(id, EnrolmentAction.Pause, scope.Actor), ct)))
            .WithSummary("Pause an enrolment: no step runs until it is resumed (replies and bounces still stop it)");
        enrolments.MapPost("/{id:long}/resume", async (long id, ChangeEnrolmentHandler handler, TeamScope scope, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(new ChangeEnrolment(id, EnrolmentAction.Resume, scope.Actor), ct)))
            .WithSummary("Resume a paused enrolment, or one that needs a person (an interrupted step is skipped, not run again)");
        enrolments.MapPost("/{id:long}/stop", async (long id, StopBody? body, ChangeEnrolmentHandler handler, TeamScope scope, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(new ChangeEnrolment(id, EnrolmentAction.Stop, scope.Actor, body?.Reason), ct)))
            .WithSummary("Stop an enrolment, with an optional reason");

        app.MapPost("/api/tasks/{id:long}/done", async (long id, CompleteTaskHandler handler, TeamScope scope, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(new CompleteTask(id, scope.Actor), ct)))
            .WithTags("Sequences").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Mark a call or task from a sequence step done (the sequence does not wait for it; this records who did it and when)");

        app.MapGet("/api/insights/sequence-reply-rates", async (GetSequenceReplyRatesHandler handler, CancellationToken ct, int days = 90, int replyWithinDays = 14) =>
                TypedResults.Ok(await handler.HandleAsync(new GetSequenceReplyRates(days, replyWithinDays), ct)))
            .WithTags("Insights").ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("Reply rate per sequence e-mail step");
    }
}
