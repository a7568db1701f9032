using System.Globalization;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;

namespace GrowthBrain.FollowUps.Llm;

/// <summary>
/// The one retry policy for model calls, as the CRM connectors retry theirs: a 429 (after the server's Retry-After when
/// it sends one), a 408, a 5xx, a dropped connection or an attempt past its timeout is retried up to Llm:MaxRetries
/// times with exponential backoff and jitter. It sits under every provider's client, whose own retries are switched
/// off (LlmChatClients), so one policy with one budget applies to OpenAI, Azure OpenAI and Ollama alike.
/// </summary>
public static class LlmResilience
{
    public static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(500);

    /// <summary>A Retry-After longer than this is not waited for: the draft falls back instead.</summary>
    public static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(60);

    public static ResiliencePipeline<HttpResponseMessage> Pipeline(LlmOptions options, TimeProvider clock, ILogger logger)
    {
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = clock };
        if (options.MaxRetries > 0)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                Delay = FirstBackoff,
                // Polly's exponential jitter is decorrelated: a first wait can come out near zero, hitting a server that just
                // failed again at once. Backoff adds its jitter on top of the exponential wait instead, so it never shrinks it.
                UseJitter = false,
                MaxDelay = LongestWait,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, clock, args.Context.CancellationToken)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(RetryAfter(args.Outcome.Result, clock) ?? Backoff(args.AttemptNumber)),
                OnRetry = args =>
                {
                    var host = args.Context.GetRequestMessage()?.RequestUri?.Authority;
                    var wait = (int)args.RetryDelay.TotalMilliseconds;
                    if (args.Outcome.Exception is { } e)
                        logger.LogWarning("LLM call to {Host} failed ({Error}); retry {Retry} of {MaxRetries} in {Wait} ms",
                            host, e.Message, args.AttemptNumber + 1, options.MaxRetries, wait);
                    else
                        logger.LogWarning("LLM call to {Host} answered {Status}; retry {Retry} of {MaxRetries} in {Wait} ms",
                            host, (int?)args.Outcome.Result?.StatusCode, args.AttemptNumber + 1, options.MaxRetries, wait);
                    return ValueTask.CompletedTask;
                },
            });
        }
        // Llm:TimeoutSeconds is also the writer's budget for the whole call, retries included, so no attempt can usefully
        // run longer; this bounds an attempt even for a caller that sets no budget of its own.
        pipeline.AddTimeout(TimeSpan.FromSeconds(options.TimeoutSeconds));
        return pipeline.Build();
    }

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, TimeProvider clock, CancellationToken ct) =>
        // Once the writer's budget has run out, a retry could only be cancelled on its way.
        !ct.IsCancellationRequested
        && HttpClientResiliencePredicates.IsTransient(outcome)
        && !(RetryAfter(outcome.Result, clock) > LongestWait);

    /// <summary>Exponential from <see cref="FirstBackoff"/>, plus up to a quarter more so that callers rate-limited together do not return together.</summary>
    private static TimeSpan Backoff(int attempt)
    {
        var exponential = FirstBackoff * Math.Pow(2, attempt);
        var jittered = exponential * (1 + Random.Shared.NextDouble() / 4);
        return jittered < LongestWait ? jittered : LongestWait;
    }

    /// <summary>Retry-After as seconds or a date, or OpenAI's more precise retry-after-ms, which the standard handler does not read.</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeProvider clock)
    {
        if (response is null) return null;
        if (response.Headers.TryGetValues("retry-after-ms", out var ms)
            && double.TryParse(ms.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var millis)
            && millis >= 0)
            return TimeSpan.FromMilliseconds(millis);
        if (response.Headers.RetryAfter is { } after)
        {
            if (after.Delta is { } delta) return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
            if (after.Date is { } date)
            {
                var wait = date - clock.GetUtcNow();
                return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
            }
        }
        return null;
    }
}
