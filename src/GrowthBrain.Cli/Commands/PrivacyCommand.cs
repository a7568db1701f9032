using System.CommandLine;
using System.Text.Json;
using GrowthBrain.Privacy;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace GrowthBrain.Cli.Commands;

/// <summary>
/// `privacy export|erase|retention`: data-subject requests and the retention policy.
/// An address nobody holds is not an error: export says "nothing held", erase still blocks the address
/// from future imports; both exit 0 because the person's request is fulfilled.
/// </summary>
public static class PrivacyCommand
{
    private static string Actor => "cli:" + Environment.UserName;

    public static Command Create()
    {
        var command = new Command("privacy", "Data-subject export and erasure (GDPR), and the retention policy");
        command.Subcommands.Add(Export());
        command.Subcommands.Add(Erase());
        command.Subcommands.Add(Retention());
        return command;
    }

    private static Option<string> EmailOption() => new("--email") { Description = "The person's e-mail address", Required = true };

    private static Command Export()
    {
        var email = EmailOption();
        var output = new Option<string?>("--out")
        {
            Description = "Write the export to FILE: .json for one JSON document, .zip for one CSV per table " +
                          "(default without --json: privacy-export-<hash>.zip here)",
        };
        var command = new Command("export", "Everything held about a person, in every team, as JSON or a zip of CSV files") { email, output };
        command.SetAction((result, ct) => CliServices.WithDatabaseAsync(async services =>
        {
            var json = result.GetValue(CliOptions.Json);
            var outPath = result.GetValue(output);
            var kind = outPath is null ? null : Path.GetExtension(outPath).ToLowerInvariant();
            if (kind is not (null or ".json" or ".zip"))
            {
                await Console.Error.WriteLineAsync($"error: --out '{outPath}' must end in .json (one JSON document) or .zip (one CSV per table).");
                return ExitCodes.BadInput;
            }
            var export = await services.GetRequiredService<ExportPersonalDataHandler>()
                .HandleAsync(new ExportPersonalData(result.GetValue(email)!, Actor), ct);
            if (outPath is null && !json)
            {
                outPath = $"privacy-export-{Suppression.HashEmail(export.Email)[..12]}.zip";
                kind = ".zip";
            }
            if (outPath is not null)
            {
                if (Path.GetDirectoryName(Path.GetFullPath(outPath)) is { } dir) Directory.CreateDirectory(dir);
                await using var file = File.Create(outPath);
                if (kind == ".zip") await PersonalDataFiles.WriteZipAsync(export, file, ct);
                else await JsonSerializer.SerializeAsync(file, export, PersonalDataFiles.Json, ct);
            }
            if (json)
            {
                Console.WriteLine(JsonSerializer.Serialize(export, PersonalDataFiles.Json));
                return ExitCodes.Ok;
            }
            if (export.NothingHeld)
            {
                AnsiConsole.MarkupLineInterpolated($"Nothing held about {export.Email}.");
            }
            else
            {
                Console.WriteLine(
                    $"{export.Leads.Count} lead(s) in {export.Leads.Select(l => l.TeamId).Distinct().Count()} team(s), " +
                    $"{export.Leads.Sum(l => l.Activities.Count)} activities, {export.Leads.Sum(l => l.Scores.Count)} scores, " +
                    $"{export.AuditEntries.Count} audit entries, {export.Suppressions.Count} suppression entries.");
            }
            AnsiConsole.MarkupLineInterpolated($"Written to {Path.GetFullPath(outPath!)}. The export is recorded in the audit log.");
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static Command Erase()
    {
        var email = EmailOption();
        var yes = new Option<bool>("--yes") { Description = "Erase without asking (needed when not run at a terminal)" };
        var command = new Command("erase", "Erase a person in every team; keeps anonymous aggregates and blocks the address from future imports") { email, yes };
        command.SetAction((result, ct) => CliServices.WithDatabaseAsync(async services =>
        {
            var json = result.GetValue(CliOptions.Json);
            var address = PersonAddress.Normalize(result.GetValue(email));
            if (!result.GetValue(yes))
            {
                if (json || Console.IsInputRedirected)
                {
                    await Console.Error.WriteLineAsync("error: erasure cannot be undone; add --yes to confirm it.");
                    return ExitCodes.BadInput;
                }
                if (!await AnsiConsole.ConfirmAsync($"Erase {address.EscapeMarkup()} in every team? This cannot be undone.", defaultValue: false, ct))
                {
                    AnsiConsole.MarkupLine("Nothing erased.");
                    return ExitCodes.Ok;
                }
            }
            var erased = await services.GetRequiredService<ErasePersonHandler>().HandleAsync(new ErasePerson(address, Actor), ct);
            if (json)
            {
                Console.WriteLine(JsonSerializer.Serialize(erased, PersonalDataFiles.Json));
                return ExitCodes.Ok;
            }
            if (erased.NothingHeld)
            {
                AnsiConsole.MarkupLineInterpolated($"Nothing held about {address}. The address is blocked from future imports all the same.");
            }
            else
            {
                Console.WriteLine(
                    $"Erased: {erased.Leads} lead(s) in team(s) {string.Join(", ", erased.TeamIds)} anonymised, {erased.Activities} activities cleared, " +
                    $"{erased.AuditEntriesRewritten} audit entries rewritten. Conversion figures are unchanged. The address is blocked from future imports.");
            }
            foreach (var p in erased.PendingCrmErasures)
            {
                AnsiConsole.MarkupLineInterpolated($"[yellow]Still to erase in {p.Crm}:[/] {p.RecordKind} {p.ExternalId} ({p.Status})");
            }
            if (erased.SourceRecordIds.Count > 0)
            {
                Console.WriteLine(
                    $"Imported from a CRM export: erase record(s) {string.Join(", ", erased.SourceRecordIds)} in that CRM too; GrowthBrain no longer keeps these ids.");
            }
            if (!erased.StorageScrubbed)
            {
                AnsiConsole.MarkupLine("[yellow]The database file could not be compacted now (other readers held it); run the same command again to finish.[/]");
                return ExitCodes.Failed;
            }
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static Command Retention()
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "Count what would be anonymised; change nothing" };
        var command = new Command("retention", "Anonymise closed leads older than Privacy:RetentionDays") { dryRun };
        command.SetAction((result, ct) => CliServices.WithDatabaseAsync(async services =>
        {
            var json = result.GetValue(CliOptions.Json);
            var outcome = await services.GetRequiredService<ApplyRetentionHandler>().HandleAsync(new ApplyRetention(result.GetValue(dryRun), Actor), ct);
            if (json)
            {
                Console.WriteLine(JsonSerializer.Serialize(outcome, PersonalDataFiles.Json));
                return ExitCodes.Ok;
            }
            if (!outcome.Enabled)
            {
                AnsiConsole.MarkupLine("No retention policy: set Privacy:RetentionDays (e.g. Privacy__RetentionDays=730) to anonymise closed leads after that many days.");
                return ExitCodes.Ok;
            }
            Console.WriteLine(outcome.DryRun
                ? $"Would anonymise {outcome.Leads:N0} lead(s) closed before {outcome.Cutoff:yyyy-MM-dd} ({outcome.Activities:N0} activities)."
                : $"Anonymised {outcome.Leads:N0} lead(s) closed before {outcome.Cutoff:yyyy-MM-dd} ({outcome.Activities:N0} activities).");
            return outcome.StorageScrubbed ? ExitCodes.Ok : ExitCodes.Failed;
        }, ct));
        return command;
    }
}
