using System.ClientModel;
using System.ClientModel.Primitives;
using Azure.AI.OpenAI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using OllamaSharp;
using OpenAI;

namespace GrowthBrain.FollowUps.Llm;

/// <summary>
/// Builds the <see cref="IChatClient"/> for the configured provider on one HttpClient whose resilience handler
/// (<see cref="LlmResilience"/>) does all retrying; the SDKs' own retry policies are turned off so a
/// 429 is not retried twice over. <see cref="LlmApiKeyHandler"/> on the same HttpClient sets the key per call.
/// </summary>
public static class LlmChatClients
{
    public static readonly Uri DefaultOllama = new("http://localhost:11434");

    /// <param name="storedKey">Reads the key stored in Settings → Secrets (null: configuration only).</param>
    public static HttpClient HttpClient(LlmOptions options, TimeProvider clock, ILogger logger, Func<CancellationToken, Task<string?>>? storedKey = null) =>
        new(new LlmApiKeyHandler(options, storedKey)
        {
            InnerHandler = new ResilienceHandler(LlmResilience.Pipeline(options, clock, logger)) { InnerHandler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) } },
        })
        {
            // The writer's own budget (Llm:TimeoutSeconds) cancels the call; HttpClient's 100 s default would cut it short.
            Timeout = Timeout.InfiniteTimeSpan,
        };

    public static IChatClient Create(LlmOptions options, HttpClient http)
    {
        var model = options.Model ?? throw new InvalidOperationException("Llm:Model is empty.");
        var endpoint = string.IsNullOrWhiteSpace(options.Endpoint) ? null : new Uri(options.Endpoint);
        switch (options.ProviderKind)
        {
            case LlmProvider.OpenAI:
            {
                var clientOptions = new OpenAIClientOptions
                {
                    Transport = new HttpClientPipelineTransport(http),
                    // The SDK retries 429s and 5xx three times by default; under LlmResilience's retries that would make
                    // up to 4 × (Llm:MaxRetries + 1) calls and ignore the operator's setting.
                    RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
                    NetworkTimeout = TimeSpan.FromSeconds(options.TimeoutSeconds + 5),
                };
                if (endpoint is not null) clientOptions.Endpoint = endpoint;
                return new OpenAIClient(new ApiKeyCredential(PlaceholderOr(options.ApiKey)), clientOptions).GetChatClient(model).AsIChatClient();
            }
            case LlmProvider.AzureOpenAI:
            {
                var clientOptions = new AzureOpenAIClientOptions
                {
                    Transport = new HttpClientPipelineTransport(http),
                    // As for OpenAI: LlmResilience is the only retry.
                    RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
                    NetworkTimeout = TimeSpan.FromSeconds(options.TimeoutSeconds + 5),
                };
                return new AzureOpenAIClient(endpoint!, new ApiKeyCredential(PlaceholderOr(options.ApiKey)), clientOptions).GetChatClient(model).AsIChatClient();
            }
            case LlmProvider.Ollama:
                // OllamaSharp has no retry of its own: it sends on the HttpClient it is given.
                http.BaseAddress = endpoint ?? DefaultOllama;
                return new OllamaApiClient(http, model);
            default:
                throw new InvalidOperationException($"Llm:Provider {options.Provider} has no chat client.");
        }
    }

    // The clients insist on a key when built, but the key may only be stored later (or a local server wants none);
    // LlmApiKeyHandler replaces the header on each call.
    private static string PlaceholderOr(string? key) => string.IsNullOrWhiteSpace(key) ? "no-key" : key;
}
