using System.Text.Json;
using GrowthBrain.Accounts;
using GrowthBrain.Privacy;
using GrowthBrain.Web.Accounts;
using Microsoft.AspNetCore.Mvc;

namespace GrowthBrain.Web.Privacy;

/// <summary>
/// The /admin/privacy page's export buttons: a form post (anti-forgery checked) answered with a file, so the
/// browser downloads it without any script. The JSON API stays at POST /api/privacy/export.
/// </summary>
public static class PrivacyExportForm
{
    private static readonly JsonSerializerOptions Indented = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static void MapPrivacyExportForm(this IEndpointRouteBuilder app)
    {
        app.MapPost("/admin/privacy/export", async Task<IResult> ([FromForm] string? email, [FromForm] string? format,
            ExportPersonalDataHandler handler, TeamScope scope, CancellationToken ct) =>
        {
            var export = await handler.HandleAsync(new ExportPersonalData(email!, scope.Actor), ct);
            var name = $"privacy-export-{Suppression.HashEmail(export.Email)[..12]}";
            if (format == "csv")
            {
                using var zip = new MemoryStream();
                await PersonalDataFiles.WriteZipAsync(export, zip, ct);
                return TypedResults.File(zip.ToArray(), "application/zip", name + ".zip");
            }
            return TypedResults.File(JsonSerializer.SerializeToUtf8Bytes(export, Indented), "application/json", name + ".json");
        }).RequireAuthorization(Policies.Admin).ExcludeFromDescription();
    }
}
