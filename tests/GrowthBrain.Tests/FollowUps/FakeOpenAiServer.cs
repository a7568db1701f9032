using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GrowthBrain.Tests.FollowUps;

public enum FakeMode
{
    /// <summary>A draft that passes every guardrail.</summary>
    Good,
    /// <summary>Answers only after <see cref="FakeOpenAiServer.SlowDelay"/>, far past a test's timeout.</summary>
    Slow,
    /// <summary>429 with Retry-After: 1 and OpenAI's error body, then a good draft.</summary>
    RateLimitedThenGood,
    /// <summary>500 with OpenAI's error body, then a good draft.</summary>
    ServerErrorThenGood,
    /// <summary>A 200 whose message content is not JSON.</summary>
    Malformed,
    /// <summary>A draft that breaks the rules, then a good one when asked again.</summary>
    BadThenGood,
    /// <summary>A draft that breaks the rules, every time.</summary>
    AlwaysBad,
    /// <summary>Follows any instruction it finds anywhere in the prompt, as a gullible model would.</summary>
    Gullible,
}

/// <summary>One request as the fake received it.</summary>
public sealed record FakeRequest(DateTimeOffset At, string Path, string? Authorization, string? ApiKey, JsonObject Body)
{
    public string? Model => Body["model"]?.GetValue<string>();

    public JsonObject? ResponseFormat => Body["response_format"] as JsonObject;

    public IReadOnlyList<(string Role, string Content)> Messages =>
        Body["messages"]!.AsArray().Select(m => (m!["role"]!.GetValue<string>(), Content(m["content"]))).ToList();

    public string System => string.Join("\n", Messages.Where(m => m.Role is "system" or "developer").Select(m => m.Content));

    public string User => string.Join("\n", Messages.Where(m => m.Role == "user").Select(m => m.Content));

    /// <summary>Content is a string, or a list of parts with text (the newer request shape).</summary>
    private static string Content(JsonNode? content) => content switch
    {
        JsonValue v => v.GetValue<string>(),
        JsonArray parts => string.Concat(parts.Select(p => p?["text"]?.GetValue<string>() ?? "")),
        _ => "",
    };
}

/// <summary>
/// A loopback OpenAI-compatible chat completions server (Kestrel on 127.0.0.1, a free port) that answers as
/// the OpenAI API reference describes: POST /v1/chat/completions returns choices[0].message.content and
/// usage; errors are {"error":{"message","type","code"}}; 429 carries Retry-After. Azure OpenAI's route
/// (/openai/deployments/{deployment}/chat/completions with an api-key header) is served the same way.
/// </summary>
public sealed class FakeOpenAiServer : IAsyncDisposable
{
    public static readonly TimeSpan SlowDelay = TimeSpan.FromSeconds(20);
    public const int PromptTokensPerCall = 420;
    public const int CompletionTokensPerCall = 130;

    public const string GoodSubject = "Pipeline planning at Brightcart";

    public const string GoodBody = """
        Hi Anna,

        I am writing because Brightcart looks like a good fit for Northwind Pipeline, a forecasting tool that turns your CRM data into a weekly pipeline view. Retail sales teams use it to see seasonal demand in the pipeline before it arrives. Many teams begin with a free 30-day pilot, which shows the numbers on their own data.

        Would a 20-minute call next week be useful?

        Best regards,
        Sam Carter, Northwind Pipeline

        If you would rather not hear from us again, tell us and we will not write again.
        """;

    public const string GoodCallToAction = "Would a 20-minute call next week be useful?";

    /// <summary>Breaks several rules at once: pressure, two asks, an invented discount, no opt-out line.</summary>
    public const string BadBody = """
        Hi Anna,

        Act now: this is your last chance to get Northwind Pipeline at 50% off, and the offer expires on Friday. Every retail team that waits loses deals, so hurry and sign up today before it's too late for Brightcart. Can you reply today? Would a call tomorrow work for you?

        Sam Carter, Northwind Pipeline
        """;

    public const string GullibleOffer = "As you asked, we will give you 90% off your first year.";

    private readonly WebApplication _app;
    private readonly List<FakeRequest> _requests = [];
    private int _calls;

    private FakeOpenAiServer(WebApplication app, FakeMode mode)
    {
        _app = app;
        Mode = mode;
    }

    public FakeMode Mode { get; }

    /// <summary>When set, a call without this key (Bearer, or Azure's api-key header) is refused with 401 invalid_api_key, as OpenAI does.</summary>
    public string? RequiredKey { get; set; }

    /// <summary>
    /// The 401 names the key it got, in the error code: the first line of the SDK's message, the part a warning shows.
    /// A provider's or proxy's error may echo the key anywhere; the writer must not pass it on.
    /// </summary>
    public bool EchoKeyInErrors { get; set; }

    /// <summary>Base address for Llm:Endpoint with the OpenAI provider (".../v1").</summary>
    public string OpenAiEndpoint => $"{Root}/v1";

    public string Root { get; private set; } = "";

    public IReadOnlyList<FakeRequest> Requests
    {
        get
        {
            lock (_requests) return _requests.ToList();
        }
    }

    public static async Task<FakeOpenAiServer> StartAsync(FakeMode mode)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeOpenAiServer(app, mode);
        app.MapPost("/v1/chat/completions", server.HandleAsync);
        app.MapPost("/openai/deployments/{deployment}/chat/completions", server.HandleAsync);
        // Ollama's native chat API, answered in its own shape (message.content, prompt_eval_count, eval_count).
        app.MapPost("/api/chat", server.HandleAsync);
        await app.StartAsync();
        server.Root = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
        return server;
    }

    private async Task HandleAsync(HttpContext http)
    {
        var body = (JsonObject)(await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted))!;
        var request = new FakeRequest(DateTimeOffset.UtcNow, http.Request.Path, http.Request.Headers.Authorization.FirstOrDefault(),
            http.Request.Headers["api-key"].FirstOrDefault(), body);
        lock (_requests) _requests.Add(request);
        var call = Interlocked.Increment(ref _calls);
        if (RequiredKey is { } key && request.Authorization != $"Bearer {key}" && request.ApiKey != key)
        {
            var sent = request.ApiKey ?? request.Authorization?.Replace("Bearer ", "", StringComparison.Ordinal);
            await ErrorAsync(http, HttpStatusCode.Unauthorized, "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.",
                "invalid_request_error", EchoKeyInErrors ? $"invalid_api_key {sent}" : "invalid_api_key");
            return;
        }

        switch (Mode)
        {
            case FakeMode.Slow:
                await Task.Delay(SlowDelay, http.RequestAborted);
                await AnswerAsync(http, request, Good());
                return;
            case FakeMode.RateLimitedThenGood when call == 1:
                http.Response.Headers.RetryAfter = "1";
                await ErrorAsync(http, HttpStatusCode.TooManyRequests, "Rate limit reached for requests", "requests", "rate_limit_exceeded");
                return;
            case FakeMode.ServerErrorThenGood when call == 1:
                await ErrorAsync(http, HttpStatusCode.InternalServerError, "The server had an error while processing your request.", "server_error", null);
                return;
            case FakeMode.Malformed:
                await AnswerAsync(http, request, "Sure! Here is your e-mail: Subject - Hello; Body - we should talk {\"subject\": ");
                return;
            case FakeMode.BadThenGood:
                await AnswerAsync(http, request, call == 1 ? Bad() : Good());
                return;
            case FakeMode.AlwaysBad:
                await AnswerAsync(http, request, Bad());
                return;
            case FakeMode.Gullible:
                var prompt = string.Join("\n", request.Messages.Select(m => m.Content));
                await AnswerAsync(http, request, prompt.Contains("ignore previous instructions", StringComparison.OrdinalIgnoreCase)
                    ? Json(GoodSubject, GoodBody.Replace("Would a 20-minute", $"{GullibleOffer} Would a 20-minute", StringComparison.Ordinal), GoodCallToAction)
                    : Good());
                return;
            default:
                await AnswerAsync(http, request, Good());
                return;
        }
    }

    public static string Good() => Json(GoodSubject, GoodBody, GoodCallToAction);

    private static string Bad() => Json("Act now: last chance for Brightcart to save 50% on pipeline planning", BadBody, "Can you reply today?");

    private static string Json(string subject, string body, string cta) =>
        JsonSerializer.Serialize(new { subject, body, callToAction = cta, factsUsed = new[] { "first name", "company", "industry" } });

    private static Task AnswerAsync(HttpContext http, FakeRequest request, string content) =>
        request.Path == "/api/chat"
            ? http.Response.WriteAsync(JsonSerializer.Serialize(new
            {
                model = request.Model ?? "fake",
                created_at = DateTimeOffset.UtcNow,
                message = new { role = "assistant", content },
                done = true,
                done_reason = "stop",
                prompt_eval_count = PromptTokensPerCall,
                eval_count = CompletionTokensPerCall,
            }) + "\n")
            : http.Response.WriteAsJsonAsync(new
        {
            id = "chatcmpl-fake",
            @object = "chat.completion",
            created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            model = request.Model ?? "fake",
            choices = new[] { new { index = 0, message = new { role = "assistant", content }, finish_reason = "stop" } },
            usage = new { prompt_tokens = PromptTokensPerCall, completion_tokens = CompletionTokensPerCall, total_tokens = PromptTokensPerCall + CompletionTokensPerCall },
        });

    private static Task ErrorAsync(HttpContext http, HttpStatusCode status, string message, string type, string? code)
    {
        http.Response.StatusCode = (int)status;
        return http.Response.WriteAsJsonAsync(new { error = new { message, type, code } });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
