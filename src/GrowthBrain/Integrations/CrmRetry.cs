using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace GrowthBrain.Integrations;

/// <summary>
/// The one retry rule every CRM client shares: 5xx, 408, 429, timeouts and failed connections are tried again with
/// exponential backoff and jitter, after the CRM's Retry-After when it sends one; but a call that creates records is
/// repeated only after a 429, which a CRM answers before doing anything. After a timeout or a 5xx the note or task may
/// exist already, and repeating the call would make it twice.
/// </summary>
public static class CrmRetry
{
    /// <summary>Set on a request that creates records (notes, tasks, fields), for <see cref="IsMarkedCreate"/>.</summary>
    public static readonly HttpRequestOptionsKey<bool> Creates = new("GrowthBrain.Crm.Creates");

    public static void MarkCreates(HttpRequestMessage request, bool creates) => request.Options.Set(Creates, creates);

    public static bool IsMarkedCreate(HttpRequestMessage? request) => request?.Options.TryGetValue(Creates, out var creates) == true && creates;

    /// <param name="creates">Whether a request creates records; by default, whether it was marked with <see cref="MarkCreates"/>.</param>
    public static HttpRetryStrategyOptions Options(int maxRetries, TimeSpan baseDelay, TimeSpan? maxDelay, Func<HttpRequestMessage?, bool>? creates = null)
    {
        var isCreate = creates ?? IsMarkedCreate;
        return new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = maxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = baseDelay,
            MaxDelay = maxDelay,
            ShouldRetryAfterHeader = true,
            ShouldHandle = args =>
            {
                if (!HttpClientResiliencePredicates.IsTransient(args.Outcome)) return ValueTask.FromResult(false);
                var request = args.Outcome.Result?.RequestMessage ?? args.Context.GetRequestMessage();
                return ValueTask.FromResult(!isCreate(request) || args.Outcome.Result?.StatusCode == HttpStatusCode.TooManyRequests);
            },
        };
    }
}
