using GrowthBrain.Leads.Import;
using GrowthBrain.Web.Accounts;

namespace GrowthBrain.Web.Settings;

/// <summary>One browser upload: where its CSV and its rejects file live on the server.</summary>
public sealed record ImportUpload(string Id, string CsvPath, string RejectsPath);

/// <summary>
/// Files of CSV imports started from /integrations. The upload is deleted when its import ends; the rejects
/// file stays a day for downloading, named by a random id so one cannot guess another upload's file.
/// </summary>
public sealed class ImportUploads(TimeProvider clock)
{
    public const int MaxMegabytes = 50;
    public const long MaxBytes = MaxMegabytes * 1024L * 1024L;
    private static readonly TimeSpan KeepRejects = TimeSpan.FromDays(1);

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "growthbrain-imports");

    public ImportUpload NewUpload()
    {
        Directory.CreateDirectory(Folder);
        foreach (var old in new DirectoryInfo(Folder).EnumerateFiles().Where(f => f.LastWriteTimeUtc < clock.GetUtcNow().UtcDateTime - KeepRejects))
        {
            old.Delete();
        }
        var id = Guid.NewGuid().ToString("N");
        return new ImportUpload(id, Path.Combine(Folder, id + ".csv"), Path.Combine(Folder, id + "-rejects.csv"));
    }

    /// <summary>The rejects file of an upload, or null for an id that is malformed, unknown or expired.</summary>
    public string? RejectsFile(string id)
    {
        if (!Guid.TryParseExact(id, "N", out _)) return null;
        var path = Path.Combine(Folder, id + "-rejects.csv");
        return File.Exists(path) ? path : null;
    }

    public static void MapRejectsDownload(IEndpointRouteBuilder app) =>
        app.MapGet("/integrations/rejects/{id}", IResult (string id, ImportUploads uploads) =>
            uploads.RejectsFile(id) is { } path
                ? TypedResults.PhysicalFile(path, "text/csv", "rejected-rows.csv")
                : TypedResults.NotFound()).RequireAuthorization(Policies.Admin).ExcludeFromDescription();
}
