using GrowthBrain.Accounts;
using GrowthBrain.FollowUps;
using GrowthBrain.FollowUps.Llm;
using GrowthBrain.Settings;
using GrowthBrain.Web.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace GrowthBrain.Web.Settings;

public sealed record SecretValue(string? Value);

public sealed record ProtectedAttributesBody(IReadOnlyList<string>? Attributes);

/// <summary>What writes drafts, without the key: only whether one is set, in configuration or stored.</summary>
public sealed record WriterSettings(string Provider, string Label, string? Model, string? Endpoint, bool KeyConfigured, bool KeyStored, int TimeoutSeconds, int MaxRetries);

/// <summary>Installation secrets (admins) and a team's protected attributes (managers read, admins change).</summary>
public static class SettingsApi
{
    public static void MapSettingsApi(this IEndpointRouteBuilder app)
    {
        var settings = app.MapGroup("/api/settings").WithTags("Settings").RequireAuthorization(Policies.Admin);

        settings.MapGet("/secrets", async (SecretStore store, CancellationToken ct) => TypedResults.Ok(await store.StatusAsync(ct)))
            .WithSummary("Which secrets are stored, when and by whom; never their values");

        settings.MapPut("/secrets/{kind}", async Task<Results<NoContent, ProblemHttpResult>> (string kind, SecretValue body, SecretStore store, TeamScope scope, CancellationToken ct) =>
        {
            if (!kind.All(char.IsAsciiLetter) || !Enum.TryParse<SecretKind>(kind, ignoreCase: true, out var k))
                return Invalid($"'{kind}' is not a secret kind; use one of {string.Join(", ", Enum.GetNames<SecretKind>())}.");
            await store.SetAsync(k, body?.Value, scope.Actor, ct);
            return TypedResults.NoContent();
        }).ProducesProblem(StatusCodes.Status400BadRequest).WithSummary("Stores a secret encrypted at rest (an empty value removes it); audited without the value");

        settings.MapGet("/writer", async (IOptions<LlmOptions> llm, SecretStore store, CancellationToken ct) => TypedResults.Ok(await WriterAsync(llm.Value, store, ct)))
            .WithSummary("The configured draft writer: provider, model, endpoint and whether a key is set");

        var teams = app.MapGroup("/api/teams/{teamId:long}/protected-attributes").WithTags("Settings");
        teams.MapGet("/", async Task<Ok<ProtectedAttributesView>> (long teamId, ProtectedAttributeSettingsHandler handler, CancellationToken ct) =>
            TypedResults.Ok(await handler.HandleAsync(new GetProtectedAttributes(teamId), ct)))
            .RequireAuthorization(Policies.Manager).ProducesProblem(StatusCodes.Status404NotFound).WithSummary("The column headings the team's models never learn from");

        teams.MapPut("/", async Task<Results<Ok<ProtectedAttributesView>, ProblemHttpResult>> (
            long teamId, ProtectedAttributesBody body, ProtectedAttributeSettingsHandler handler, TeamScope scope, CancellationToken ct) =>
        {
            if (body?.Attributes is null) return Invalid("attributes is missing; send the list of column headings, or [] for the built-in list.");
            return TypedResults.Ok(await handler.HandleAsync(new SetProtectedAttributes(teamId, body.Attributes, scope.Actor), ct));
        }).RequireAuthorization(Policies.Admin).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
        .WithSummary("Replaces the team's protected attributes (an empty list goes back to the built-in one); used by the next training");
    }

    public static async Task<WriterSettings> WriterAsync(LlmOptions o, SecretStore store, CancellationToken ct) =>
        new(o.ProviderKind.ToString(), o.Label, o.Model, o.Endpoint, !string.IsNullOrWhiteSpace(o.ApiKey), await store.HasAsync(SecretKind.LlmApiKey, ct), o.TimeoutSeconds, o.MaxRetries);

    private static ProblemHttpResult Invalid(string detail) => TypedResults.Problem(detail, statusCode: 400, title: "Invalid request");
}
