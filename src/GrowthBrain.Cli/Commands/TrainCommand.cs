using System.CommandLine;
using System.Text.Json;
using GrowthBrain.Data;
using GrowthBrain.Scoring;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace GrowthBrain.Cli.Commands;

/// <summary>`train [--force]`: a new model version from the closed leads in the database, with its evaluation.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var force = new Option<bool>("--force") { Description = "Make the new version active even if it does worse than the active one" };
        var budget = new Option<int>("--budget") { Description = "Seconds for the model search", DefaultValueFactory = _ => 60 };
        var command = new Command("train", "Train a model version on closed leads; it replaces the active one only if at least as good") { force, budget };
        command.SetAction((result, ct) => CliServices.WithDatabaseAsync(async services =>
        {
            var json = result.GetValue(CliOptions.Json);
            var handler = services.GetRequiredService<TrainModelHandler>();
            var progress = new Progress<string>(m => { if (!json) Console.Error.WriteLine(m); });
            var outcome = await handler.HandleAsync(new TrainModel(Force: result.GetValue(force), RequestedBy: Environment.UserName,
                Budget: TimeSpan.FromSeconds(Math.Max(5, result.GetValue(budget)))), progress, ct);
            if (json)
            {
                Console.WriteLine(JsonSerializer.Serialize(outcome, ScoringJson.Options));
                return ExitCodes.Ok;
            }
            AnsiConsole.MarkupLineInterpolated($"[bold]Model v{outcome.Version}[/]");
            ScoringReports.WriteTraining(outcome.Training);
            if (outcome.Evaluation is { } e) ScoringReports.WriteEvaluation(e);
            AnsiConsole.MarkupLineInterpolated($"[bold]{(outcome.Promoted ? "Active" : "Not promoted")}:[/] {outcome.Decision}");
            return ExitCodes.Ok;
        }, ct));
        return command;
    }
}
