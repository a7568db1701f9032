using System.CommandLine;
using System.Text.Json;
using GrowthBrain.FollowUps;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace GrowthBrain.Cli.Commands;

/// <summary>
/// `draft --lead ID-OR-EMAIL [--goal ...] [--tone ...]`: one follow-up from the built-in template writer,
/// with its guardrail check. (The LLM writers and `--provider` come later.)
/// </summary>
public static class DraftCommand
{
    public static Command Create()
    {
        var lead = new Option<string>("--lead") { Description = "The lead's id or e-mail address", Required = true };
        var goal = new Option<FollowUpGoal?>("--goal") { Description = "FirstTouch, NoReplyYet, AfterDemo, ReEngage or BreakUp; picked from the lead's activity when left out" };
        var tone = new Option<Tone>("--tone") { Description = "Formal, Friendly or Brief", DefaultValueFactory = _ => Tone.Friendly };
        var command = new Command("draft", "Draft a follow-up e-mail for one lead and check it") { lead, goal, tone };
        command.SetAction((result, ct) => CliServices.WithDatabaseAsync(async services =>
        {
            var json = result.GetValue(CliOptions.Json);
            DraftResult draft;
            try
            {
                draft = await services.GetRequiredService<DraftFollowUpHandler>()
                    .HandleAsync(new DraftFollowUp(result.GetValue(lead)!, result.GetValue(goal), result.GetValue(tone)), ct);
            }
            catch (LeadNotFoundException e)
            {
                await Console.Error.WriteLineAsync($"error: {e.Message}");
                return ExitCodes.BadInput;
            }
            if (json)
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    leadId = draft.LeadId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    writer = draft.Writer,
                    subject = draft.Subject,
                    body = draft.Body,
                    callToAction = draft.CallToAction,
                    violations = draft.Violations.Select(v => new { rule = v.Rule, message = v.Message }),
                    sendable = draft.Sendable,
                }));
                return ExitCodes.Ok;
            }
            AnsiConsole.MarkupLineInterpolated($"[grey]Lead {draft.LeadId} · {draft.Goal} · {draft.Tone} · {draft.Language} · written by the {draft.Writer} writer[/]");
            AnsiConsole.MarkupLineInterpolated($"[bold]Subject:[/] {draft.Subject}");
            Console.WriteLine();
            Console.WriteLine(draft.Body);
            Console.WriteLine();
            if (draft.Sendable)
            {
                AnsiConsole.MarkupLine("[green]Passes every guardrail.[/]");
            }
            else
            {
                foreach (var v in draft.Violations) AnsiConsole.MarkupLineInterpolated($"[red]{v.Rule}:[/] {v.Message}");
            }
            return ExitCodes.Ok;
        }, ct));
        return command;
    }
}
