using System.CommandLine;
using System.Text.Json;
using GrowthBrain.Scoring;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace GrowthBrain.Cli.Commands;

/// <summary>`backtest --train T.csv --test S.csv --out P.csv [--label converted] [--id id] [--order time|random]`: no database needed.</summary>
public static class BacktestCommand
{
    public static Command Create()
    {
        var train = new Option<string>("--train") { Description = "CSV to learn from: one row per lead, with the label column", Required = true };
        var test = new Option<string>("--test") { Description = "CSV to score (with the label too, to evaluate)", Required = true };
        var output = new Option<string>("--out") { Description = "Where to write id,probability,grade,top_factors", Required = true };
        var label = new Option<string>("--label") { Description = "The label column: 0/1, yes/no, true/false, won/lost", DefaultValueFactory = _ => "converted" };
        var id = new Option<string>("--id") { Description = "The id column", DefaultValueFactory = _ => "id" };
        var budget = new Option<int>("--budget") { Description = "Seconds for the model search", DefaultValueFactory = _ => 60 };
        var protectedList = new Option<string?>("--protected")
        {
            Description = "Comma-separated headings never used for scoring (default: gender, age, ethnicity, religion, nationality, marital status, disability and the like); 'none' uses every column",
        };
        var order = new Option<string>("--order")
        {
            Description = "What the training file's row order means: time: rows are oldest first (CRM exports sorted by creation date); " +
                          "random: the file's order means nothing",
            DefaultValueFactory = _ => "time",
            HelpName = "time|random",
        };
        order.Validators.Add(r =>
        {
            var value = r.GetValueOrDefault<string>();
            if (ParseOrder(value) is null)
                r.AddError($"--order must be one of: time, random (got '{value}'). time: rows are oldest first (CRM exports sorted by creation date); random: the file's order means nothing.");
        });
        var command = new Command("backtest", "Learn from one CSV export and score another, printing the evaluation") { train, test, output, label, id, budget, protectedList, order };

        command.SetAction((result, ct) => CliServices.WithServicesAsync(async services =>
        {
            var json = result.GetValue(CliOptions.Json);
            var protectedValue = result.GetValue(protectedList);
            IReadOnlyList<string>? protectedAttributes = protectedValue is null ? null
                : protectedValue.Trim().Equals("none", StringComparison.OrdinalIgnoreCase) ? []
                : protectedValue.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var request = new Backtest(result.GetValue(train)!, result.GetValue(test)!, result.GetValue(output)!, result.GetValue(label)!,
                result.GetValue(id)!, protectedAttributes, TimeSpan.FromSeconds(Math.Max(5, result.GetValue(budget))),
                ParseOrder(result.GetValue(order)) ?? RowOrder.Time);
            var progress = new Progress<string>(m => { if (!json) Console.Error.WriteLine(m); });
            var outcome = await services.GetRequiredService<BacktestHandler>().HandleAsync(request, progress, ct);

            if (json)
            {
                Console.WriteLine(JsonSerializer.Serialize(new { training = outcome.Training, evaluation = outcome.Evaluation, scored = outcome.Scored, output = outcome.OutPath, warnings = outcome.Warnings }, ScoringJson.Options));
                return ExitCodes.Ok;
            }
            ScoringReports.WriteTraining(outcome.Training);
            if (outcome.Evaluation is { } e) ScoringReports.WriteEvaluation(e);
            foreach (var w in outcome.Warnings) AnsiConsole.MarkupLineInterpolated($"[yellow]Note:[/] {w}");
            AnsiConsole.MarkupLineInterpolated($"Scored {outcome.Scored:N0} rows into [bold]{outcome.OutPath}[/].");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static RowOrder? ParseOrder(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "time" => RowOrder.Time,
        "random" => RowOrder.Random,
        _ => null,
    };
}
