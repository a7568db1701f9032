using GrowthBrain.Integrations;
using GrowthBrain.Integrations.Sync;
using GrowthBrain.Web.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GrowthBrain.Web.Integrations;

/// <param name="Settings">The same fields as the `Crm:&lt;Name&gt;:*` settings (AccessToken, ClientId...); empty means not set.</param>
public sealed record CrmConnectionBody(Dictionary<string, string?>? Settings);

/// <summary>CRM connections and their sync (admins): status, connection test, mapping, dry run and sync.</summary>
public static class SyncApi
{
    public static void MapSyncApi(this IEndpointRouteBuilder app)
    {
        var sync = app.MapGroup("/api/sync").WithTags("CRM sync").RequireAuthorization(Policies.Admin);

        sync.MapGet("/{crm}", async Task<Ok<SyncStatusView>> (string crm, GetSyncStatusHandler handler, CancellationToken ct) =>
            TypedResults.Ok(await handler.HandleAsync(new GetSyncStatus(crm), ct)))
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict).WithSummary("The connection's last runs with their counts, and the records failing now with why");

        sync.MapPost("/{crm}", async Task<Ok<SyncSummary>> (string crm, bool? full, bool? dryRun, SyncCrmHandler handler, CancellationToken ct) =>
            TypedResults.Ok(await handler.HandleAsync(new SyncCrm(crm, full ?? false, dryRun ?? false, "api"), null, ct)))
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status502BadGateway)
            .WithSummary("Runs a sync (or with dryRun=true reports what one would change, writing nothing) and answers its counts when done");

        sync.MapPost("/{crm}/retry", async Task<Ok<SyncSummary>> (string crm, SyncCrmHandler handler, CancellationToken ct) =>
            TypedResults.Ok(await handler.HandleAsync(new SyncCrm(crm, Trigger: "api", RetryFailures: true), null, ct)))
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status502BadGateway)
            .WithSummary("Syncs again, reading the records that failed to pull once more; failed writes are retried by every sync");

        sync.MapPost("/{crm}/test", async Task<Ok<CrmCheck>> (string crm, TestCrmConnectionHandler handler, CancellationToken ct) =>
            TypedResults.Ok(await handler.HandleAsync(new TestCrmConnection(crm), ct)))
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Calls the CRM once and says what works or, in plain words, what is wrong");

        sync.MapPut("/{crm}/connection", async Task<Ok<CrmCheck>> (string crm, CrmConnectionBody body, ConnectCrmHandler handler, CancellationToken ct) =>
            TypedResults.Ok(await handler.HandleAsync(new ConnectCrm(crm, body?.Settings ?? []), ct)))
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Stores the CRM's credentials encrypted (configuration, when set, wins) and tests them");

        sync.MapGet("/{crm}/mapping", async Task<Ok<CrmMappingView>> (string crm, bool? suggested, GetCrmMappingHandler handler, CancellationToken ct) =>
            TypedResults.Ok(await handler.HandleAsync(new GetCrmMapping(crm, suggested ?? false), ct)))
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status502BadGateway)
            .WithSummary("The saved field mapping, or the suggested one, with every property the CRM offers");

        sync.MapPut("/{crm}/mapping", async Task<NoContent> (string crm, CrmMapping mapping, SaveCrmMappingHandler handler, CancellationToken ct) =>
        {
            await handler.HandleAsync(new SaveCrmMapping(crm, mapping), ct);
            return TypedResults.NoContent();
        }).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status502BadGateway)
            .WithSummary("Saves the mapping; the next sync reads every record again to fill newly mapped fields");
    }
}
