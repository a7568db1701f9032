using System.ClientModel;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Polly.Timeout;

namespace GrowthBrain.FollowUps.Llm;

/// <summary>
/// Writes drafts with a chat model behind <see cref="IChatClient"/>. When the model cannot be reached, runs
/// out of its time budget, or keeps answering with something that is not a draft, the template writer
/// writes the draft instead and the result says so (label and warning): never a crash, never a silent switch.
/// </summary>
/// <param name="storedKey">Reads the key stored in Settings → Secrets, to keep it out of error text as the configured one is.</param>
public sealed class ChatDraftWriter(IChatClient chat, LlmOptions options, TemplateWriter fallback, TimeProvider clock, ILogger<ChatDraftWriter> logger,
    Func<CancellationToken, Task<string?>>? storedKey = null)
    : IDraftWriter
{
    /// <summary>A malformed answer is asked for once more before falling back.</summary>
    public const int MalformedAttempts = 2;

    public string Label => options.Label;

    public async Task<WrittenDraft> WriteAsync(DraftInput input, Revision? revision, CancellationToken ct)
    {
        var messages = LlmPrompt.Messages(input, revision);
        var chatOptions = new ChatOptions
        {
            ModelId = options.Model,
            Temperature = 0.4f,
            MaxOutputTokens = 1000,
            ResponseFormat = options.UseJsonSchema
                ? ChatResponseFormat.ForJsonSchema(DraftJson.Schema, "follow_up_draft", "A follow-up e-mail draft")
                : ChatResponseFormat.Json,
        };
        long inputTokens = 0, outputTokens = 0;
        TokenUsage Usage() => new(inputTokens, outputTokens, options.CostOf(inputTokens, outputTokens));

        // One budget for the whole call, retries included: a reviewer waiting for a draft gets one either way.
        using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(options.TimeoutSeconds), clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, budget.Token);
        string problem;
        var attempt = 0;
        while (true)
        {
            attempt++;
            try
            {
                var response = await chat.GetResponseAsync(messages, chatOptions, linked.Token);
                inputTokens += response.Usage?.InputTokenCount ?? 0;
                outputTokens += response.Usage?.OutputTokenCount ?? 0;
                var parsed = DraftJson.Parse(response.Text);
                var language = DraftLanguage.For(input.Lead);
                var supplied = LlmPrompt.Facts(input).Select(f => f.Name).ToList();
                var draft = new Draft(options.ProviderKind.ToString(), parsed.Subject, parsed.Body, parsed.CallToAction, language,
                    parsed.FactsUsed.Count > 0 ? parsed.FactsUsed : supplied);
                return new WrittenDraft(draft, Label, Regenerable: true, Usage(), []);
            }
            catch (FormatException e)
            {
                problem = $"answered with something that is not a draft ({e.Message})";
                if (attempt < MalformedAttempts) continue;
            }
            // The attempt's own timeout (LlmResilience) runs out at the same moment as the budget and may win the race.
            catch (Exception e) when (e is TimeoutRejectedException || (e is OperationCanceledException && !ct.IsCancellationRequested))
            {
                problem = $"gave no answer within {options.TimeoutSeconds} s";
            }
            catch (ClientResultException e)
            {
                problem = e.Status == 0 ? $"could not be reached ({e.Message})" : $"answered HTTP {e.Status} ({FirstLine(e.Message)})";
            }
            catch (HttpRequestException e)
            {
                problem = e.StatusCode is { } status ? $"answered HTTP {(int)status} ({e.Message})" : $"could not be reached ({e.Message})";
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Any other failure of a provider's client (an unexpected answer shape, a protocol error) still must not lose the draft.
                problem = $"failed ({e.GetType().Name}: {FirstLine(e.Message)})";
            }
            break;
        }

        problem = await RedactAsync(problem, ct);
        var warning = $"{Label} {problem}; the built-in template writer wrote this draft instead.";
        logger.LogWarning("Follow-up draft falls back to the template writer: {Provider} {Model} {Problem}", options.ProviderKind, options.Model, problem);
        var written = fallback.Write(input.Lead, input.Goal, input.Tone, input.Playbook, input.FactorsFor);
        return new WrittenDraft(written, $"{TemplateDraftWriter.Label}, standing in for {Label}", Regenerable: false, Usage(), [warning]);
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    /// <summary>A provider's error text may echo the key back, configured or stored; it never reaches a log or a reviewer.</summary>
    private async Task<string> RedactAsync(string message, CancellationToken ct)
    {
        string? stored;
        try
        {
            stored = storedKey is null ? null : await storedKey(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Without the stored key the text cannot be checked for it, so none of the provider's words are passed on.
            return "failed (the details are withheld: the stored LLM key could not be read to keep it out of them)";
        }
        foreach (var key in new[] { options.ApiKey, stored })
        {
            if (!string.IsNullOrEmpty(key)) message = message.Replace(key, "***", StringComparison.Ordinal);
        }
        return message;
    }
}
