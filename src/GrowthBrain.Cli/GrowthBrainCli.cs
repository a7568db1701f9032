using System.CommandLine;
using GrowthBrain.Cli.Commands;

namespace GrowthBrain.Cli;

/// <summary>The `./growthbrain` command line: one command class per verb, each calling a use case.</summary>
public static class GrowthBrainCli
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("GrowthBrain: lead scoring, follow-ups and growth insights for the CRM you already have.");
        root.Options.Add(CliOptions.Json);
        root.Subcommands.Add(DbCommand.Create());
        root.Subcommands.Add(ImportCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(ScoreCommand.Create());
        root.Subcommands.Add(ModelCommand.Create());
        root.Subcommands.Add(BacktestCommand.Create());
        root.Subcommands.Add(DraftCommand.Create());
        root.Subcommands.Add(UsersCommand.Create());
        root.Subcommands.Add(PrivacyCommand.Create());
        root.Subcommands.Add(StatsCommand.Create());
        root.Subcommands.Add(SyncCommand.Create());

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) await Console.Error.WriteLineAsync(error.Message);
            await Console.Error.WriteLineAsync("Run ./growthbrain --help for usage.");
            return ExitCodes.BadInput;
        }
        return await parsed.InvokeAsync();
    }
}

public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadInput = 2;
}

public static class CliOptions
{
    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print one JSON object on standard output and nothing else there",
        Recursive = true,
    };
}
