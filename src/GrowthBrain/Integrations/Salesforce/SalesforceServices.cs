using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;

namespace GrowthBrain.Integrations.Salesforce;

public static class SalesforceServices
{
    /// <summary>The Salesforce connector, its two HTTP clients (login server and REST API), and the process-wide session cache and limits.</summary>
    public static IServiceCollection AddSalesforceConnector(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SalesforceTokenCache>();
        services.AddSingleton<SalesforceLimits>();
        services.AddTransient<SalesforceLimitsHandler>();

        // Refreshing a token twice is harmless, so the login server's POST is retried like a GET.
        services.AddHttpClient<SalesforceTokenClient>().ConfigureHttpClient(Timeouts)
            .AddResilienceHandler("salesforce-login", (p, c) => Pipeline(p, c));
        var api = services.AddHttpClient<SalesforceApiClient>().ConfigureHttpClient(Timeouts);
        api.AddResilienceHandler("salesforce-api", (p, c) => Pipeline(p, c));
        // Added after the resilience handler, so it runs inside it: once per attempt.
        api.AddHttpMessageHandler<SalesforceLimitsHandler>();

        services.AddScoped<SalesforceConnectionCheck>();
        services.AddScoped<SalesforceDescribe>();
        services.AddScoped<SalesforcePuller>();
        services.AddScoped<SalesforceOpportunities>();
        services.AddScoped<SalesforceWriter>();
        services.AddScoped<SalesforceConnector>();
        services.AddScoped<ICrmConnector>(sp => sp.GetRequiredService<SalesforceConnector>());
        return services;
    }

    private static void Timeouts(IServiceProvider sp, HttpClient http) =>
        // The pipeline's total timeout decides; the client's own only backs it up.
        http.Timeout = sp.GetRequiredService<IOptions<SalesforceOptions>>().Value.TotalTimeout + TimeSpan.FromSeconds(30);

    private static void Pipeline(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ResilienceHandlerContext context)
    {
        var o = context.ServiceProvider.GetRequiredService<IOptions<SalesforceOptions>>().Value;
        pipeline.AddTimeout(o.TotalTimeout);
        if (o.MaxRetries > 0)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = o.MaxRetries,
                Delay = o.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                MaxDelay = TimeSpan.FromSeconds(60),
                ShouldRetryAfterHeader = true,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context)),
            });
        }
        pipeline.AddTimeout(o.AttemptTimeout);
    }

    /// <summary>
    /// 5xx, 408, 429, timeouts and failed connections; but a call that creates records is repeated only after a 429,
    /// which is answered before anything runs: after a timeout or a 5xx the tasks may exist, and repeating would double
    /// them. A 403 REQUEST_LIMIT_EXCEEDED is not retried: the org's day is used up, and retrying spends nothing useful.
    /// </summary>
    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context)
    {
        var status = outcome.Result?.StatusCode;
        if (status == HttpStatusCode.TooManyRequests) return true;
        var request = outcome.Result?.RequestMessage ?? context.GetRequestMessage();
        if (request?.Options.TryGetValue(SalesforceLimitsHandler.Creates, out var creates) == true && creates) return false;
        return outcome.Exception is HttpRequestException or TimeoutRejectedException
               || status is HttpStatusCode.RequestTimeout || (int?)status >= 500;
    }
}
