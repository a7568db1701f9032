using System.Text.Json;
using System.Text.Json.Serialization;
using GrowthBrain.Scoring;
using Spectre.Console;

namespace GrowthBrain.Cli;

public static class ScoringJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };
}

/// <summary>The training and evaluation reports as a person reads them in a terminal.</summary>
public static class ScoringReports
{
    public static void WriteTraining(TrainingReport r)
    {
        AnsiConsole.MarkupLineInterpolated($"[bold]Model:[/] {r.Description}");
        AnsiConsole.MarkupLineInterpolated($"Learned from {r.Won:N0} won and {r.Lost:N0} lost leads ({r.TrainingRows:N0} to fit, {r.CalibrationRows:N0} held out to choose and calibrate) in {r.Seconds:0.0} s.");
        AnsiConsole.MarkupLineInterpolated($"Features: {string.Join(", ", r.Features)}");
        foreach (var e in r.Excluded) AnsiConsole.MarkupLineInterpolated($"[grey]Not used: {e.Name}: {e.Reason}[/]");
        foreach (var w in r.Warnings) AnsiConsole.MarkupLineInterpolated($"[yellow]Warning:[/] {w}");
    }

    public static void WriteEvaluation(EvaluationReport e)
    {
        var f = Evaluation.Format;
        var table = new Table().Title("Evaluation on leads the model never saw").AddColumns("Rows", "Converted", "ROC-AUC", "PR-AUC", "Brier", "Log loss", "Calibration error");
        table.AddRow($"{e.Rows:N0}", $"{e.Positives:N0}", f(e.RocAuc), f(e.PrAuc), f(e.Brier), f(e.LogLoss), f(e.ExpectedCalibrationError));
        AnsiConsole.Write(table);

        var grades = new Table().Title("Conversion by grade").AddColumns("Grade", "Leads", "Converted", "Mean probability");
        foreach (var g in e.ByGrade) grades.AddRow(g.Grade, $"{g.Count:N0}", $"{g.ConversionRate:P1}", $"{g.MeanProbability:P1}");
        AnsiConsole.Write(grades);

        var lift = new Table().Title("Lift by decile (best-scored first)").AddColumns("Decile", "Converted", "Lift", "Cumulative gain");
        foreach (var d in e.Lift) lift.AddRow($"{d.Decile}", $"{d.ConversionRate:P1}", $"{d.Lift:0.00}x", $"{d.CumulativeGain:P0}");
        AnsiConsole.Write(lift);

        AnsiConsole.MarkupLineInterpolated($"At threshold {e.Confusion.Threshold:0.000}: precision {e.Confusion.Precision:P1}, recall {e.Confusion.Recall:P1} (TP {e.Confusion.TruePositives}, FP {e.Confusion.FalsePositives}, TN {e.Confusion.TrueNegatives}, FN {e.Confusion.FalseNegatives}).");
        AnsiConsole.MarkupLineInterpolated($"Most important: {string.Join(", ", e.Importance.Take(6).Select(i => $"{i.Feature} {i.Share:P0}"))}");
        foreach (var fr in e.Fairness)
        {
            AnsiConsole.MarkupLineInterpolated($"Fairness, {fr.Attribute} (not used by the model): mean score gap {fr.MeanScoreGap:P1}, true-positive-rate gap {fr.TruePositiveRateGap:P1} across {string.Join(", ", fr.Groups.Select(g => $"{g.Value} {g.MeanScore:P0}"))}");
        }
        foreach (var w in e.Warnings) AnsiConsole.MarkupLineInterpolated($"[yellow]Warning:[/] {w}");
    }
}
