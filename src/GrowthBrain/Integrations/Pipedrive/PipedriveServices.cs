using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace GrowthBrain.Integrations.Pipedrive;

public static class PipedriveServices
{
    /// <summary>
    /// The Pipedrive connector (scoped, as itself and as an <see cref="ICrmConnector"/>, which erasures go through too), its
    /// typed HttpClient and the process-wide rate limiter. Options are bound by AddGrowthBrainIntegrations.
    /// </summary>
    public static IServiceCollection AddPipedriveConnector(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<PipedriveRateLimiter>();
        services.AddTransient<PipedriveRateLimitHandler>();
        var client = services.AddHttpClient<PipedriveApiClient>(http => http.Timeout = Timeout.InfiniteTimeSpan);
        client.AddResilienceHandler("pipedrive", (pipeline, context) =>
        {
            var o = context.ServiceProvider.GetRequiredService<IOptions<PipedriveOptions>>().Value;
            pipeline.AddTimeout(o.TotalTimeout);
            if (o.MaxRetries > 0) pipeline.AddRetry(Retry(o));
        });
        // Inside the retries, so each attempt waits for its own slot and pays its tokens; outside the attempt's timeout,
        // so waiting for a slot (up to 2 s when the window is full) is not mistaken for Pipedrive being slow.
        client.AddHttpMessageHandler<PipedriveRateLimitHandler>();
        client.AddResilienceHandler("pipedrive-attempt", (pipeline, context) =>
            pipeline.AddTimeout(context.ServiceProvider.GetRequiredService<IOptions<PipedriveOptions>>().Value.AttemptTimeout));
        services.AddScoped<PipedriveConnectionCheck>();
        services.AddScoped<PipedriveFields>();
        services.AddScoped<PipedriveDeals>();
        services.AddScoped<PipedrivePuller>();
        services.AddScoped<PipedriveWriter>();
        services.AddScoped<PipedriveConnector>();
        services.AddScoped<ICrmConnector>(sp => sp.GetRequiredService<PipedriveConnector>());
        return services;
    }

    // Pipedrive's 429 carries Retry-After (the seconds until the window resets): that is the delay.
    private static HttpRetryStrategyOptions Retry(PipedriveOptions o) => CrmRetry.Options(o.MaxRetries, o.RetryBaseDelay, TimeSpan.FromSeconds(30));
}
