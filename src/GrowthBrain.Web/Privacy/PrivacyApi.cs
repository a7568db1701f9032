using GrowthBrain.Leads;
using GrowthBrain.Privacy;
using Microsoft.AspNetCore.Http.HttpResults;
using GrowthBrain.Web.Accounts;

namespace GrowthBrain.Web.Privacy;

/// <param name="Format">json (the default) or csv (a zip with one CSV file per table).</param>
public sealed record PersonRequest(string? Email, string? Format = null);

public sealed record RetentionRequest(bool DryRun = false);

public sealed record ConsentRequest(ConsentStatus Status, LawfulBasis? Basis, string? Source, DateTime? At = null);

/// <summary>
/// Data-subject requests, retention and consent. Export, erase and retention reach every team's data, so only
/// owners and admins of the installation may call them; recording consent on a lead is for anyone who may edit it.
/// </summary>
public static class PrivacyApi
{
    public static void MapPrivacyApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/privacy").WithTags("Privacy").RequireAuthorization(GrowthBrain.Web.Accounts.Policies.Admin);

        api.MapPost("/export", async Task<Results<Ok<PersonalDataExport>, FileContentHttpResult, ProblemHttpResult>> (
            PersonRequest body, ExportPersonalDataHandler handler, HttpContext http, CancellationToken ct) =>
        {
            var format = body.Format?.Trim().ToLowerInvariant() ?? "json";
            if (format is not ("json" or "csv"))
                return Invalid($"format is '{body.Format}'; use json or csv (a zip with one CSV file per table).");
            var export = await handler.HandleAsync(new ExportPersonalData(body.Email!, http.Actor()), ct);
            if (format == "json") return TypedResults.Ok(export);
            using var zip = new MemoryStream();
            await PersonalDataFiles.WriteZipAsync(export, zip, ct);
            return TypedResults.File(zip.ToArray(), "application/zip", $"privacy-export-{Suppression.HashEmail(export.Email)[..12]}.zip");
        })
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .WithSummary("Everything held about a person (by e-mail, in every team) as JSON or a zip of CSV files; audited");

        api.MapPost("/erase", async Task<Ok<ErasureResult>> (PersonRequest body, ErasePersonHandler handler, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await handler.HandleAsync(new ErasePerson(body.Email!, http.Actor()), ct)))
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .WithSummary("Erase a person in every team: leads anonymised, aggregates kept, address blocked from imports, CRM erasures queued; audited");

        api.MapPost("/retention", async Task<Ok<RetentionResult>> (RetentionRequest? body, ApplyRetentionHandler handler, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await handler.HandleAsync(new ApplyRetention(body?.DryRun ?? false, http.Actor()), ct)))
        .WithSummary("Anonymise closed leads older than Privacy:RetentionDays (dryRun: only count them); audited");

        app.MapPost("/api/leads/{id:long}/consent", async Task<Results<Ok<Lead>, ProblemHttpResult>> (
                long id, ConsentRequest body, RecordConsentHandler handler, HttpContext http, CancellationToken ct) =>
                await handler.HandleAsync(new RecordConsent(id, body.Status, body.Basis, body.Source ?? "", http.Actor(), body.At), ct) is { } lead
                    ? TypedResults.Ok(lead)
                    : TypedResults.Problem($"There is no lead {id}.", statusCode: StatusCodes.Status404NotFound, title: "No such lead"))
            .WithTags("Privacy")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Record that a lead gave or withdrew consent, and the lawful basis; audited");
    }

    private static ProblemHttpResult Invalid(string message) =>
        TypedResults.Problem(message, statusCode: StatusCodes.Status400BadRequest, title: "Invalid request");
}
