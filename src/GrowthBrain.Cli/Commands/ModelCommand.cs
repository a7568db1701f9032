using System.CommandLine;
using System.Text.Json;
using GrowthBrain.Data;
using GrowthBrain.Scoring;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace GrowthBrain.Cli.Commands;

/// <summary>`model list | promote N | rollback`: the versions, and a person's say over which one scores.</summary>
public static class ModelCommand
{
    public static Command Create()
    {
        var list = new Command("list", "Model versions with their evaluation");
        list.SetAction((result, ct) => RunAsync(result, ct, async (sp, json) =>
        {
            var db = sp.GetRequiredService<GrowthBrainDb>();
            var versions = await db.ModelVersions.AsNoTracking().OrderByDescending(m => m.Number)
                .Select(m => new { version = m.Number, status = m.Status.ToString(), kind = m.Kind, m.Description, coldStart = m.IsColdStart, createdAt = m.CreatedAt, holdoutRocAuc = m.HoldoutRocAuc, holdoutRows = m.HoldoutRows, promotedAt = m.PromotedAt, note = m.PromotionNote })
                .ToListAsync(ct);
            if (json)
            {
                Console.WriteLine(JsonSerializer.Serialize(new { versions }, ScoringJson.Options));
                return ExitCodes.Ok;
            }
            if (versions.Count == 0)
            {
                Console.WriteLine("No model yet; run ./growthbrain train.");
                return ExitCodes.Ok;
            }
            var table = new Table().AddColumns("Version", "Status", "Model", "Trained", "Holdout ROC-AUC", "Note");
            foreach (var v in versions)
                table.AddRow($"v{v.version}", v.status, Markup.Escape(v.Description), $"{v.createdAt:yyyy-MM-dd HH:mm}", v.holdoutRocAuc?.ToString("0.000") ?? "n/a", Markup.Escape(v.note ?? ""));
            AnsiConsole.Write(table);
            return ExitCodes.Ok;
        }));

        var number = new Argument<int>("version") { Description = "The version number, e.g. 3 for v3" };
        var promote = new Command("promote", "Make a version the active one") { number };
        promote.SetAction((result, ct) => RunAsync(result, ct, async (sp, json) =>
        {
            var outcome = await sp.GetRequiredService<PromoteModelHandler>().HandleAsync(new PromoteModel(result.GetValue(number), Environment.UserName), ct);
            Console.WriteLine(json ? JsonSerializer.Serialize(outcome, ScoringJson.Options) : outcome.Message);
            return ExitCodes.Ok;
        }));

        var rollback = new Command("rollback", "Go back to the version that was active before this one");
        rollback.SetAction((result, ct) => RunAsync(result, ct, async (sp, json) =>
        {
            var outcome = await sp.GetRequiredService<PromoteModelHandler>().HandleAsync(new RollbackModel(Environment.UserName), ct);
            Console.WriteLine(json ? JsonSerializer.Serialize(outcome, ScoringJson.Options) : outcome.Message);
            return ExitCodes.Ok;
        }));

        var model = new Command("model", "Model versions: list, promote, roll back");
        model.Subcommands.Add(list);
        model.Subcommands.Add(promote);
        model.Subcommands.Add(rollback);
        return model;
    }

    private static Task<int> RunAsync(ParseResult result, CancellationToken ct, Func<IServiceProvider, bool, Task<int>> body) =>
        CliServices.WithDatabaseAsync(sp => body(sp, result.GetValue(CliOptions.Json)), ct);
}
