using GrowthBrain.FollowUps;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GrowthBrain.Web.FollowUps;

public sealed record DraftRequest(FollowUpGoal? Goal = null, Tone Tone = Tone.Friendly);

public static class FollowUpsApi
{
    public static void MapFollowUpsApi(this IEndpointRouteBuilder app)
    {
        // Drafts are written and checked on request; storing them for approval comes with the approval flow.
        app.MapPost("/api/leads/{id:long}/drafts", async Task<Results<Ok<DraftResult>, ProblemHttpResult>> (
                long id, DraftRequest? body, DraftFollowUpHandler handler, CancellationToken ct) =>
            {
                try
                {
                    return TypedResults.Ok(await handler.HandleAsync(
                        new DraftFollowUp(id.ToString(System.Globalization.CultureInfo.InvariantCulture), body?.Goal, body?.Tone ?? Tone.Friendly), ct));
                }
                catch (LeadNotFoundException e)
                {
                    return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status404NotFound, title: "No such lead");
                }
            })
            .WithTags("Follow-ups")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Write a follow-up draft for a lead with the configured writer (Llm:Provider) and check it against every guardrail; the result names the writer, tokens and cost");
    }
}
