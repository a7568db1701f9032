using GrowthBrain.FollowUps;
using Microsoft.AspNetCore.Http.HttpResults;
using GrowthBrain.Web.Accounts;

namespace GrowthBrain.Web.FollowUps;

public sealed record DraftRequest(FollowUpGoal? Goal = null, Tone Tone = Tone.Friendly);

public sealed record CreateDraftBody(long LeadId, FollowUpGoal? Goal = null, Tone Tone = Tone.Friendly);

public sealed record EditDraftBody(string Subject, string Body);

public sealed record RejectDraftBody(string Reason);

public sealed record RateDraftBody(int Rating, string? Comment = null);

public sealed record RegenerateDraftBody(FollowUpGoal? Goal = null, Tone? Tone = null, bool DiscardEdits = false);

public sealed record SendDraftBody(bool ConfirmNotSent = false);

public sealed record PlaybookBody(Playbook Playbook, bool AutoSendAllowed, int DailyCapPerMailbox);

public static class FollowUpsApi
{
    public static void MapFollowUpsApi(this IEndpointRouteBuilder app)
    {
        // Written and checked, not stored: a preview. POST /api/drafts stores one for approval.
        app.MapPost("/api/leads/{id:long}/drafts", async Task<Ok<DraftResult>> (long id, DraftRequest? body, DraftFollowUpHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(
                    new DraftFollowUp(id.ToString(System.Globalization.CultureInfo.InvariantCulture), body?.Goal, body?.Tone ?? Tone.Friendly), ct)))
            .WithTags("Follow-ups")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Write a follow-up draft for a lead with the configured writer (Llm:Provider) and check it against every guardrail; the result names the writer, tokens and cost");

        app.MapDraftsApi();
        app.MapUnsubscribe();
    }

    private static void MapDraftsApi(this IEndpointRouteBuilder app)
    {
        var drafts = app.MapGroup("/api/drafts").WithTags("Follow-ups")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        drafts.MapPost("/", async (CreateDraftBody body, CreateDraftHandler handler, HttpContext http, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(new CreateDraft(body.LeadId, http.Actor(), body.Goal, body.Tone, BaseUrl(http)), ct)))
            .WithSummary("Write a draft for a lead with the team's playbook and store it for approval (sent at once when the playbook allows auto-send and it passes every check)");

        drafts.MapGet("/", async (ListDraftsHandler handler, CancellationToken ct, DraftStatus? status = null, int take = 100) =>
                TypedResults.Ok(await handler.HandleAsync(new ListDrafts(status, take), ct)))
            .WithSummary("Stored drafts, best leads first; ?status=Pending for the approval queue");

        drafts.MapGet("/{id:long}", async (long id, GetDraftHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(new GetDraft(id), ct)))
            .WithSummary("One draft: its text, the writer's original and the diff, the guardrail check, who approved, rejected or sent it");

        drafts.MapPut("/{id:long}", async (long id, EditDraftBody body, EditDraftHandler handler, HttpContext http, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(new EditDraft(id, http.Actor(), body.Subject, body.Body), ct)))
            .WithSummary("Edit a draft: the person's text wins, the diff is kept, the guardrails run again (an approved draft goes back to pending)");

        drafts.MapPost("/{id:long}/approve", async (long id, ApproveDraftHandler handler, HttpContext http, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(new ApproveDraft(id, http.Actor()), ct)))
            .WithSummary("Approve a pending draft that passes every guardrail");

        drafts.MapPost("/{id:long}/reject", async (long id, RejectDraftBody body, RejectDraftHandler handler, HttpContext http, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(new RejectDraft(id, http.Actor(), body.Reason), ct)))
            .WithSummary("Reject a draft with a reason");

        drafts.MapPost("/{id:long}/regenerate", async (long id, RegenerateDraftBody? body, RegenerateDraftHandler handler, HttpContext http, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(new RegenerateDraft(id, http.Actor(), body?.Goal, body?.Tone, body?.DiscardEdits ?? false), ct)))
            .WithSummary("Write the draft again (another goal or tone optional); a draft with a person's edits needs discardEdits=true");

        drafts.MapPost("/{id:long}/rate", async (long id, RateDraftBody body, RateDraftHandler handler, HttpContext http, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(new RateDraft(id, http.Actor(), body.Rating, body.Comment), ct)))
            .WithSummary("Rate a draft 1-5 with an optional comment");

        drafts.MapPost("/{id:long}/send", async (long id, SendDraftBody? body, SendDraftHandler handler, HttpContext http, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(new SendDraft(id, http.Actor(), BaseUrl(http), body?.ConfirmNotSent ?? false), ct)))
            .WithSummary("Send an approved draft over SMTP (409 in drafts-only mode, at the daily cap or in the wrong state; a suppressed address makes it Failed)");

        var playbooks = app.MapGroup("/api/playbooks").WithTags("Follow-ups").ProducesProblem(StatusCodes.Status400BadRequest);
        playbooks.MapGet("/{teamId:long}", async (long teamId, GetPlaybookHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(new GetPlaybook(teamId), ct)))
            .WithSummary("A team's playbook and sending rules (the default playbook until the team saves its own)");
        playbooks.MapPut("/{teamId:long}", async (long teamId, PlaybookBody body, UpdatePlaybookHandler handler, HttpContext http, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(new UpdatePlaybook(teamId, http.Actor(), body.Playbook, body.AutoSendAllowed, body.DailyCapPerMailbox), ct)))
            .RequireAuthorization(GrowthBrain.Web.Accounts.Policies.Manager)
            .WithSummary("Replace a team's playbook: product summary, value points per industry, allowed offers, signature, forbidden words, auto-send and the daily cap");

        app.MapGet("/api/insights/reply-rates", async (GetReplyRatesHandler handler, CancellationToken ct, int days = 90, int replyWithinDays = 14) =>
                TypedResults.Ok(await handler.HandleAsync(new GetReplyRates(days, replyWithinDays), ct)))
            .WithTags("Insights")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("Reply rate of sent follow-ups overall, per writer and per playbook version");
    }

    /// <summary>The app's address as this request reached it: the unsubscribe link's base when App:PublicUrl is not set.</summary>
    internal static Uri BaseUrl(HttpContext http) => new($"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/");
}
