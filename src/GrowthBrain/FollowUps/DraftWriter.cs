using GrowthBrain.Leads;
using GrowthBrain.Scoring;

namespace GrowthBrain.FollowUps;

/// <summary>Text that came from the lead or was recorded about them (a note, a reply, a form answer): data, never instructions.</summary>
public sealed record LeadText(string Kind, string Text);

/// <summary>Everything a writer may use for one draft. Nothing else about the lead reaches a writer.</summary>
public sealed record DraftInput(
    Lead Lead,
    FollowUpGoal Goal,
    Tone Tone,
    Playbook Playbook,
    IReadOnlyList<Factor> FactorsFor,
    IReadOnlyList<LeadText> LeadTexts);

/// <summary>A rejected draft and why, for a writer asked to try again.</summary>
public sealed record Revision(Draft Previous, IReadOnlyList<Violation> Violations);

/// <summary>Tokens spent and what they cost (null when no price is configured).</summary>
public sealed record TokenUsage(long InputTokens, long OutputTokens, decimal? Cost)
{
    public static readonly TokenUsage None = new(0, 0, 0m);

    public TokenUsage Add(TokenUsage other) => new(InputTokens + other.InputTokens, OutputTokens + other.OutputTokens,
        Cost is null && other.Cost is null ? null : (Cost ?? 0) + (other.Cost ?? 0));
}

/// <param name="WriterLabel">What the UI says made the draft, e.g. "OpenAI gpt-4o-mini".</param>
/// <param name="Regenerable">Whether asking again can give a different draft (the template writer would repeat itself).</param>
/// <param name="Warnings">Things a reviewer must know, such as the LLM failing and the template writer standing in.</param>
public sealed record WrittenDraft(Draft Draft, string WriterLabel, bool Regenerable, TokenUsage Usage, IReadOnlyList<string> Warnings);

/// <summary>Writes one draft. The handler checks it against the guardrails and may ask once more with the reasons.</summary>
public interface IDraftWriter
{
    string Label { get; }

    Task<WrittenDraft> WriteAsync(DraftInput input, Revision? revision, CancellationToken ct);
}

/// <summary>The built-in, offline writer behind <see cref="IDraftWriter"/>.</summary>
public sealed class TemplateDraftWriter(TemplateWriter writer) : IDraftWriter
{
    public const string Label = "Built-in template writer (offline)";

    string IDraftWriter.Label => Label;

    public Task<WrittenDraft> WriteAsync(DraftInput input, Revision? revision, CancellationToken ct) =>
        Task.FromResult(new WrittenDraft(
            writer.Write(input.Lead, input.Goal, input.Tone, input.Playbook, input.FactorsFor), Label, Regenerable: false, TokenUsage.None, []));
}
