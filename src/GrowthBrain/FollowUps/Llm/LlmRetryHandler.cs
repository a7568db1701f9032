using System.Net;
using Microsoft.Extensions.Logging;

namespace GrowthBrain.FollowUps.Llm;

/// <summary>
/// Retries a model call that failed for a reason that passes: 429 (after the server's Retry-After when it
/// sends one), a 5xx, or a dropped connection. It sits under every provider's client, whose own retries
/// are switched off, so one policy with one budget applies to OpenAI, Azure OpenAI and Ollama alike.
/// </summary>
public sealed class LlmRetryHandler(int maxRetries, TimeProvider clock, ILogger logger) : DelegatingHandler
{
    public static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(500);

    /// <summary>A Retry-After longer than this is not waited for: the draft falls back instead.</summary>
    public static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(60);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            HttpResponseMessage response;
            try
            {
                response = await base.SendAsync(request, ct);
            }
            catch (HttpRequestException e) when (attempt < maxRetries && !ct.IsCancellationRequested)
            {
                var wait = Backoff(attempt);
                logger.LogWarning("LLM call to {Host} failed ({Error}); retry {Retry} of {MaxRetries} in {Wait} ms",
                    request.RequestUri?.Authority, e.Message, attempt + 1, maxRetries, (int)wait.TotalMilliseconds);
                await Task.Delay(wait, clock, ct);
                continue;
            }

            if (attempt >= maxRetries || !IsTransient(response.StatusCode)) return response;
            var delay = RetryAfter(response) ?? Backoff(attempt);
            if (delay > LongestWait) return response;
            logger.LogWarning("LLM call to {Host} answered {Status}; retry {Retry} of {MaxRetries} in {Wait} ms",
                request.RequestUri?.Authority, (int)response.StatusCode, attempt + 1, maxRetries, (int)delay.TotalMilliseconds);
            response.Dispose();
            await Task.Delay(delay, clock, ct);
        }
    }

    private static bool IsTransient(HttpStatusCode status) => status == HttpStatusCode.TooManyRequests || (int)status >= 500;

    private static TimeSpan Backoff(int attempt) => FirstBackoff * Math.Pow(2, attempt);

    /// <summary>Retry-After as seconds or a date, or OpenAI's retry-after-ms.</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.TryGetValues("retry-after-ms", out var ms)
            && double.TryParse(ms.FirstOrDefault(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var millis)
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
