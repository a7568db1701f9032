using System.CommandLine;
using System.Text.Json;
using GrowthBrain.Data;
using GrowthBrain.Leads.Import;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace GrowthBrain.Cli.Commands;

/// <summary>`import FILE.csv [--mapping map.json] [--rejects rejects.csv]`</summary>
public static class ImportCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "A CRM export: HubSpot, Salesforce, Zoho CRM, Pipedrive or any CSV with a header line" };
        var mapping = new Option<string?>("--mapping") { Description = "JSON file saying which heading is which field, for headings GrowthBrain doesn't recognise" };
        var rejects = new Option<string?>("--rejects") { Description = "Where bad rows go, with row number and reason (default: FILE.rejects.csv)" };
        var command = new Command("import", "Import leads from a CRM export (re-importing the same file changes nothing)") { file, mapping, rejects };

        command.SetAction((result, ct) => CliServices.WithDatabaseAsync(async services =>
        {
            var json = result.GetValue(CliOptions.Json);
            var handler = services.GetRequiredService<ImportLeadsHandler>();
            var request = new ImportLeads(result.GetValue(file)!, result.GetValue(mapping), result.GetValue(rejects));

            ImportSummary summary;
            if (!json && !Console.IsOutputRedirected)
            {
                summary = await AnsiConsole.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                    .StartAsync(async ctx =>
                    {
                        var task = ctx.AddTask($"Importing {Path.GetFileName(request.FilePath)}", maxValue: 1);
                        var progress = new Progress<ImportProgress>(p =>
                        {
                            task.MaxValue = Math.Max(1, p.TotalBytes);
                            task.Value = p.BytesRead;
                            task.Description = $"Importing {Path.GetFileName(request.FilePath)}: {p.RowsRead:N0} rows";
                        });
                        return await handler.HandleAsync(request, progress, ct);
                    });
            }
            else
            {
                summary = await handler.HandleAsync(request, null, ct);
            }

            if (json)
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    imported = summary.Imported,
                    updated = summary.Updated,
                    unchanged = summary.Unchanged,
                    rejected = summary.Rejected,
                    rejectsFile = summary.RejectsFile,
                }));
                return ExitCodes.Ok;
            }

            var settings = services.GetRequiredService<DatabaseSettings>();
            var table = new Table().AddColumns("Imported", "Updated", "Unchanged", "Rejected")
                .AddRow($"{summary.Imported:N0}", $"{summary.Updated:N0}", $"{summary.Unchanged:N0}", $"{summary.Rejected:N0}");
            AnsiConsole.Write(table);
            var unknown = summary.Columns.Where(c => c.Field == LeadField.Custom).Select(c => c.Heading).ToList();
            if (unknown.Count > 0)
            {
                AnsiConsole.MarkupLineInterpolated($"[grey]Kept as custom fields: {string.Join(", ", unknown)}[/]");
            }
            if (summary.Rejected > 0)
            {
                foreach (var r in summary.FirstRejects.Take(10))
                {
                    AnsiConsole.MarkupLineInterpolated($"[yellow]Row {r.RowNumber} (line {r.LineNumber}):[/] {r.Reason}");
                }
                AnsiConsole.MarkupLineInterpolated($"All {summary.Rejected:N0} rejected rows, with their reasons, are in [bold]{summary.RejectsFile}[/]; fix them and import that file again.");
            }
            AnsiConsole.MarkupLineInterpolated($"[grey]Into {settings}.[/]");
            return ExitCodes.Ok;
        }, ct));
        return command;
    }
}
