using System.Net.Http.Headers;

namespace GrowthBrain.FollowUps.Llm;

/// <summary>
/// Puts the LLM API key on every model call at the time of the call. A key an admin stored in Settings → Secrets
/// wins over `Llm:ApiKey` (as a stored SMTP password wins over `Smtp:Password`), so a key can be entered or
/// rotated in the UI without a restart, and every instance picks it up.
/// </summary>
/// <remarks>
/// The stored key is read through <paramref name="storedKey"/> on every call, uncached: one small indexed read and a
/// decryption cost well under a millisecond against a model call of hundreds, and in exchange a key entered or
/// rotated in the UI is in use from the next call on every instance. The SDKs set their own header from the key
/// they were built with (the configured one, or a placeholder); this handler sits under them and replaces it.
/// </remarks>
public sealed class LlmApiKeyHandler(LlmOptions options, Func<CancellationToken, Task<string?>>? storedKey) : DelegatingHandler
{
    /// <summary>Whether the provider refuses calls without a key: OpenAI's own service and Azure OpenAI. A local OpenAI-compatible server or Ollama may need none.</summary>
    public static bool NeedsKey(LlmOptions options) => options.ProviderKind switch
    {
        LlmProvider.AzureOpenAI => true,
        LlmProvider.OpenAI => string.IsNullOrWhiteSpace(options.Endpoint),
        _ => false,
    };

    public static string MissingKeyMessage(LlmOptions options) =>
        $"Llm:ApiKey is empty and no LLM key is stored: {options.ProviderKind} needs one. Store it under Settings → Secrets, or set Llm__ApiKey.";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var stored = storedKey is null ? null : await storedKey(ct);
        var key = !string.IsNullOrWhiteSpace(stored) ? stored : string.IsNullOrWhiteSpace(options.ApiKey) ? null : options.ApiKey;
        if (key is null)
        {
            // Say what to do instead of letting the provider answer 401 with its own words.
            if (NeedsKey(options)) throw new HttpRequestException(MissingKeyMessage(options));
            return await base.SendAsync(request, ct);
        }
        if (options.ProviderKind == LlmProvider.AzureOpenAI)
        {
            request.Headers.Remove("api-key");
            request.Headers.Add("api-key", key);
            request.Headers.Authorization = null;
        }
        else
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        return await base.SendAsync(request, ct);
    }
}
