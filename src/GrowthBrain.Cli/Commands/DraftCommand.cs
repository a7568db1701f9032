using System.CommandLine;
using System.Text.Json;
using GrowthBrain.FollowUps;
using GrowthBrain.FollowUps.Llm;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace GrowthBrain.Cli.Commands;

/// <summary>
/// `draft --lead ID-OR-EMAIL [--goal ...] [--tone ...] [--provider ...] [--model ...] [--endpoint ...]`: one
/// follow-up from the configured writer (or the one named here), with its guardrail check.
/// </summary>
public static class DraftCommand
{
    public static Command Create()
    {
        var lead = new Option<string>("--lead") { Description = "The lead's id or e-mail address", Required = true };
        var goal = new Option<FollowUpGoal?>("--goal") { Description = "FirstTouch, NoReplyYet, AfterDemo, ReEngage or BreakUp; picked from the lead's activity when left out" };
        var tone = new Option<Tone>("--tone") { Description = "Formal, Friendly or Brief", DefaultValueFactory = _ => Tone.Friendly };
        var provider = new Option<LlmProvider?>("--provider") { Description = "Template, OpenAI, AzureOpenAI or Ollama; overrides Llm:Provider" };
        var model = new Option<string?>("--model") { Description = "The model (Azure: deployment) to use; overrides Llm:Model" };
        var endpoint = new Option<string?>("--endpoint") { Description = "The server's base address; overrides Llm:Endpoint" };
        var command = new Command("draft", "Draft a follow-up e-mail for one lead and check it") { lead, goal, tone, provider, model, endpoint };
        command.SetAction((result, ct) =>
        {
            var overrides = new Dictionary<string, string?>();
            if (result.GetValue(provider) is { } p) overrides["Llm:Provider"] = p.ToString();
            if (result.GetValue(model) is { } m) overrides["Llm:Model"] = m;
            if (result.GetValue(endpoint) is { } e) overrides["Llm:Endpoint"] = e;
            return CliServices.WithDatabaseAsync(services => RunAsync(services, result, lead, goal, tone, ct), ct, overrides);
        });
        return command;
    }

    private static async Task<int> RunAsync(IServiceProvider services, ParseResult result, Option<string> lead, Option<FollowUpGoal?> goal, Option<Tone> tone,
        CancellationToken ct)
    {
        var json = result.GetValue(CliOptions.Json);
        var llm = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<LlmOptions>>().Value;
        if (LlmApiKeyHandler.NeedsKey(llm) && string.IsNullOrWhiteSpace(llm.ApiKey)
            && !await services.GetRequiredService<Settings.SecretStore>().HasAsync(Settings.SecretKind.LlmApiKey, ct))
        {
            await Console.Error.WriteLineAsync($"error: {LlmApiKeyHandler.MissingKeyMessage(llm)}");
            return ExitCodes.BadInput;
        }
        var draft = await services.GetRequiredService<DraftFollowUpHandler>()
            .HandleAsync(new DraftFollowUp(result.GetValue(lead)!, result.GetValue(goal), result.GetValue(tone)), ct);
        foreach (var warning in draft.Warnings) await Console.Error.WriteLineAsync($"warning: {warning}");
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
                writerLabel = draft.WriterLabel,
                tokens = new { input = draft.InputTokens, output = draft.OutputTokens },
                cost = draft.Cost,
                regenerated = draft.Regenerated,
                warnings = draft.Warnings,
            }));
            return ExitCodes.Ok;
        }
        AnsiConsole.MarkupLineInterpolated($"[grey]Lead {draft.LeadId} · {draft.Goal} · {draft.Tone} · {draft.Language} · written by {draft.WriterLabel}{(draft.Regenerated ? " (rewritten once to fix the checks)" : "")}[/]");
        if (draft.InputTokens + draft.OutputTokens > 0)
            AnsiConsole.MarkupLineInterpolated($"[grey]Tokens: {draft.InputTokens} in, {draft.OutputTokens} out · cost: {(draft.Cost is { } c ? c.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture) : "no price configured")}[/]");
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
            AnsiConsole.MarkupLine("[red]Cannot be sent until a person fixes it:[/]");
            foreach (var v in draft.Violations) AnsiConsole.MarkupLineInterpolated($"[red]{v.Rule}:[/] {v.Message}");
        }
        return ExitCodes.Ok;
    }
}
