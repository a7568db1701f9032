using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace GrowthBrain.Integrations.HubSpot;

public static class HubSpotServices
{
    /// <summary>
    /// The HubSpot connector (scoped, as itself and as an <see cref="ICrmConnector"/>, which erasures go through too), its typed
    /// HttpClient and the process-wide rate limiter. Options are bound by AddGrowthBrainIntegrations.
    /// </summary>
    public static IServiceCollection AddHubSpotConnector(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<HubSpotRateLimiter>();
        services.AddTransient<HubSpotRateLimitHandler>();
        var client = services.AddHttpClient<HubSpotApiClient>(http => http.Timeout = Timeout.InfiniteTimeSpan);
        client.AddResilienceHandler("hubspot", (pipeline, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<HubSpotOptions>>().Value;
            pipeline.AddTimeout(TimeSpan.FromSeconds(options.TotalTimeoutSeconds));
            if (options.MaxRetries > 0) pipeline.AddRetry(Retry(options));
        });
        // Inside the retries, so each attempt (a retry too) waits for its own slot; outside the attempt's timeout, so a
        // wait for a slot (up to 10 s when the window is full) is not mistaken for HubSpot being slow.
        client.AddHttpMessageHandler<HubSpotRateLimitHandler>();
        client.AddResilienceHandler("hubspot-attempt", (pipeline, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<HubSpotOptions>>().Value;
            pipeline.AddTimeout(TimeSpan.FromSeconds(options.AttemptTimeoutSeconds));
        });
        services.AddScoped<HubSpotConnector>();
        services.AddScoped<ICrmConnector>(sp => sp.GetRequiredService<HubSpotConnector>());
        return services;
    }

    // HubSpot sends Retry-After with some 429s (not all); when it does, its value is the delay.
    private static HttpRetryStrategyOptions Retry(HubSpotOptions options) =>
        CrmRetry.Options(options.MaxRetries, TimeSpan.FromMilliseconds(options.RetryBaseDelayMilliseconds), TimeSpan.FromSeconds(30));
}
