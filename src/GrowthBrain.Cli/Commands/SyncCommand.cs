using System.CommandLine;
using System.Text.Json;
using GrowthBrain.Integrations.Sync;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace GrowthBrain.Cli.Commands;

/// <summary>`sync hubspot|zoho|salesforce|pipedrive [--full] [--dry-run]`</summary>
public static class SyncCommand
{
    public static Command Create()
    {
        var crm = new Argument<string>("crm") { Description = "hubspot, zoho, salesforce or pipedrive" };
        var full = new Option<bool>("--full") { Description = "Read every record again, not only those changed since the last sync" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Report what would change here and in the CRM; write nothing" };
        var command = new Command("sync", "Two-way sync with a CRM: pull changed records, score them, write scores and reasons back") { crm, full, dryRun };

        command.SetAction((result, ct) => CliServices.WithDatabaseAsync(async services =>
        {
            var json = result.GetValue(CliOptions.Json);
            var handler = services.GetRequiredService<SyncCrmHandler>();
            var request = new SyncCrm(result.GetValue(crm)!, result.GetValue(full), result.GetValue(dryRun), "cli");
            SyncSummary summary;
            if (!json && !Console.IsOutputRedirected)
            {
                summary = await AnsiConsole.Status().StartAsync($"Syncing {request.Crm}", async ctx =>
                    await handler.HandleAsync(request, new Progress<SyncProgress>(p => ctx.Status(Markup.Escape(
                        $"{p.Phase} · {p.Pulled:N0} pulled, {p.Created:N0} created, {p.Updated:N0} updated, {p.Pushed:N0} written, {p.Failed:N0} failed"))), ct));
            }
            else
            {
                summary = await handler.HandleAsync(request, json ? null : new Progress<SyncProgress>(p => Console.Error.WriteLine(p.Phase)), ct);
            }
            if (json)
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    pulled = summary.Pulled, created = summary.Created, updated = summary.Updated, unchanged = summary.Unchanged,
                    pushed = summary.Pushed, failed = summary.Failed, dryRun = summary.DryRun, warnings = summary.Warnings,
                }));
                return ExitCodes.Ok;
            }
            var verb = summary.DryRun ? "would be " : "";
            AnsiConsole.MarkupLineInterpolated(
                $"{(summary.DryRun ? "Dry run, nothing written: " : "")}{summary.Pulled:N0} records pulled: {summary.Created:N0} {verb}created, {summary.Updated:N0} {verb}updated, {summary.Unchanged:N0} unchanged; {summary.Pushed:N0} {verb}written to the CRM; {summary.Failed:N0} failed.");
            foreach (var w in summary.Warnings) AnsiConsole.MarkupLineInterpolated($"[yellow]note:[/] {w}");
            if (summary.Failed > 0) AnsiConsole.MarkupLine("Each failed record and its reason is listed on the Integrations page (or GET /api/sync/CRM).");
            return ExitCodes.Ok;
        }, ct));
        return command;
    }
}
