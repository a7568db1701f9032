using System.Globalization;
using Microsoft.Extensions.Options;

namespace GrowthBrain.FollowUps.Llm;

public enum LlmProvider
{
    Template,
    OpenAI,
    AzureOpenAI,
    Ollama,
}

/// <summary>
/// The `Llm` configuration section: which writer drafts follow-ups and how it is reached. Provider is a
/// string so that a typo gets our message (see <see cref="LlmOptionsValidator"/>) rather than the binder's.
/// </summary>
public sealed class LlmOptions
{
    public const string Section = "Llm";

    public string Provider { get; set; } = nameof(LlmProvider.Template);

    /// <summary>Base address; for OpenAI empty means api.openai.com, set it for any OpenAI-compatible server (".../v1").</summary>
    public string? Endpoint { get; set; }

    /// <summary>The model name (for Azure OpenAI: the deployment name).</summary>
    public string? Model { get; set; }

    public string? ApiKey { get; set; }

    /// <summary>Budget for one model call, retries included; past it the draft falls back to the template writer.</summary>
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>Retries after a 429, a 5xx or a dropped connection, with backoff (Retry-After when the server sends one).</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>Ask for a JSON schema (structured output); turn off for a server that rejects response_format json_schema.</summary>
    public bool UseJsonSchema { get; set; } = true;

    /// <summary>Price per 1,000 input tokens in the team's currency; unset means the cost is not shown.</summary>
    public decimal? InputCostPer1kTokens { get; set; }

    public decimal? OutputCostPer1kTokens { get; set; }

    public LlmProvider ProviderKind =>
        Enum.TryParse<LlmProvider>(Provider, ignoreCase: true, out var p) && Enum.IsDefined(p) ? p : LlmProvider.Template;

    /// <summary>What the UI calls this writer, e.g. "OpenAI gpt-4o-mini".</summary>
    public string Label => ProviderKind switch
    {
        LlmProvider.Template => TemplateDraftWriter.Label,
        LlmProvider.AzureOpenAI => $"Azure OpenAI {Model}",
        var p => $"{p} {Model}",
    };

    public decimal? CostOf(long inputTokens, long outputTokens) =>
        InputCostPer1kTokens is null && OutputCostPer1kTokens is null
            ? null
            : Math.Round(inputTokens / 1000m * (InputCostPer1kTokens ?? 0) + outputTokens / 1000m * (OutputCostPer1kTokens ?? 0), 6);

    // The key is deliberately left out: options end up in logs and exception messages.
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"Llm:Provider={Provider}, Llm:Endpoint={Endpoint ?? "(default)"}, Llm:Model={Model ?? "(none)"}, Llm:ApiKey={(string.IsNullOrEmpty(ApiKey) ? "(none)" : "(set)")}");
}

/// <summary>Checks the `Llm` section at start-up, each message naming the setting and what to put there.</summary>
public sealed class LlmOptionsValidator : IValidateOptions<LlmOptions>
{
    public ValidateOptionsResult Validate(string? name, LlmOptions o)
    {
        var problems = new List<string>();
        if (!Enum.TryParse<LlmProvider>(o.Provider, ignoreCase: true, out var provider) || !Enum.IsDefined(provider))
        {
            problems.Add($"Llm:Provider is '{o.Provider}'; set it to Template (the default, offline), OpenAI, AzureOpenAI or Ollama.");
            return ValidateOptionsResult.Fail(problems);
        }
        if (o.TimeoutSeconds is < 1 or > 600)
            problems.Add($"Llm:TimeoutSeconds is {o.TimeoutSeconds}; set a number of seconds from 1 to 600 (30 is usual).");
        if (o.MaxRetries is < 0 or > 10)
            problems.Add($"Llm:MaxRetries is {o.MaxRetries}; set 0 to 10 (2 is usual).");
        if (o.InputCostPer1kTokens < 0 || o.OutputCostPer1kTokens < 0)
            problems.Add("Llm:InputCostPer1kTokens and Llm:OutputCostPer1kTokens cannot be negative.");
        if (!string.IsNullOrWhiteSpace(o.Endpoint) && !(Uri.TryCreate(o.Endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            problems.Add($"Llm:Endpoint is '{o.Endpoint}'; set an absolute http(s) address such as http://127.0.0.1:11434 or https://api.openai.com/v1.");

        if (provider != LlmProvider.Template && string.IsNullOrWhiteSpace(o.Model))
            problems.Add(provider == LlmProvider.AzureOpenAI
                ? "Llm:Provider is AzureOpenAI but Llm:Model is empty; set it to the deployment name (e.g. gpt-4o-mini)."
                : $"Llm:Provider is {provider} but Llm:Model is empty; set the model to use (e.g. {(provider == LlmProvider.Ollama ? "llama3.1" : "gpt-4o-mini")}).");
        if (provider == LlmProvider.AzureOpenAI && string.IsNullOrWhiteSpace(o.Endpoint))
            problems.Add("Llm:Provider is AzureOpenAI but Llm:Endpoint is empty; set it to the resource address, e.g. https://NAME.openai.azure.com/.");
        // An empty Llm:ApiKey is not a start failure: the key may be stored in Settings → Secrets, which lives in the
        // database and is read per call (LlmApiKeyHandler). `draft` checks both before it starts.
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
