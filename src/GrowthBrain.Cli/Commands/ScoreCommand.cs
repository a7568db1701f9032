using System.CommandLine;
using System.Text.Json;
using GrowthBrain.Data;
using GrowthBrain.Scoring;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace GrowthBrain.Cli.Commands;

/// <summary>`score`: rescore every open lead with the active model.</summary>
public static class ScoreCommand
{
    public static Command Create()
    {
        var command = new Command("score", "Rescore open leads with the active model");
        command.SetAction((result, ct) => CliServices.WithDatabaseAsync(async services =>
        {
            var json = result.GetValue(CliOptions.Json);
            var handler = services.GetRequiredService<ScoreLeadsHandler>();
            ScoreLeadsResult outcome;
            if (!json && !Console.IsOutputRedirected)
            {
                outcome = await AnsiConsole.Progress().StartAsync(async ctx =>
                {
                    var task = ctx.AddTask("Scoring open leads", maxValue: 1);
                    return await handler.HandleAsync(new ScoreLeads(), new Progress<(int Done, int Total)>(p =>
                    {
                        task.MaxValue = Math.Max(1, p.Total);
                        task.Value = p.Done;
                    }), ct);
                });
            }
            else
            {
                outcome = await handler.HandleAsync(new ScoreLeads(), null, ct);
            }
            if (json)
            {
                Console.WriteLine(JsonSerializer.Serialize(new { scored = outcome.Scored, modelVersion = outcome.ModelVersion }));
                return ExitCodes.Ok;
            }
            AnsiConsole.MarkupLineInterpolated($"Scored {outcome.Scored:N0} open leads with model {outcome.ModelVersion}{(outcome.ColdStart ? " (cold start)" : "")} in {outcome.Seconds:0.0} s.");
            return ExitCodes.Ok;
        }, ct));
        return command;
    }
}
