using System.CommandLine;
using System.Text.Json;
using GrowthBrain.Insights;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBrain.Cli.Commands;

/// <summary>`stats rebuild`: recomputes the dashboard aggregates from the leads and says how many rows were off.</summary>
public static class StatsCommand
{
    public static Command Create()
    {
        var rebuild = new Command("rebuild", "Recompute the dashboard aggregates from the leads (a consistency check; normally the database keeps them)");
        rebuild.SetAction((result, ct) => CliServices.GuardAsync(async () =>
        {
            await using var services = CliServices.Build(CliServices.Configuration());
            await using var scope = services.CreateAsyncScope();
            var summary = await scope.ServiceProvider.GetRequiredService<RebuildLeadStatsHandler>().HandleAsync(new RebuildLeadStats("cli"), ct);
            Console.WriteLine(result.GetValue(CliOptions.Json)
                ? JsonSerializer.Serialize(summary, new JsonSerializerOptions(JsonSerializerDefaults.Web))
                : $"Rebuilt the aggregates of {summary.Leads} leads in {summary.Seconds} s; {summary.Changed} rows were corrected.");
            return ExitCodes.Ok;
        }));

        var stats = new Command("stats", "Dashboard aggregates");
        stats.Subcommands.Add(rebuild);
        return stats;
    }
}
