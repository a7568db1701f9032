using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

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
            // A 403 REQUEST_LIMIT_EXCEEDED is not transient, so not retried: the org's day is used up.
            pipeline.AddRetry(CrmRetry.Options(o.MaxRetries, o.RetryBaseDelay, TimeSpan.FromSeconds(60)));
        }
        pipeline.AddTimeout(o.AttemptTimeout);
    }
}
