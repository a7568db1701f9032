using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace GrowthBrain.Integrations.Zoho;

public static class ZohoServices
{
    /// <summary>The Zoho connector, its two HTTP clients (accounts and CRM API) and the process-wide token cache and limits.</summary>
    public static IServiceCollection AddZohoConnector(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ZohoTokenCache>();
        services.AddSingleton<ZohoLimits>();
        services.AddTransient<ZohoLimitsHandler>();

        // Refreshing a token twice is harmless, so the accounts server's POST is retried like a GET.
        services.AddHttpClient<ZohoAccountsClient>().ConfigureHttpClient(Timeouts)
            .AddResilienceHandler("zoho-accounts", (p, c) => Pipeline(p, c, postIsSafe: true));
        var api = services.AddHttpClient<ZohoApiClient>().ConfigureHttpClient(Timeouts);
        api.AddResilienceHandler("zoho-api", (p, c) => Pipeline(p, c, postIsSafe: false));
        // Added after the resilience handler, so it runs inside it: once per attempt.
        api.AddHttpMessageHandler<ZohoLimitsHandler>();

        services.AddScoped<ZohoConnectionCheck>();
        services.AddScoped<ZohoFields>();
        services.AddScoped<ZohoPuller>();
        services.AddScoped<ZohoWriter>();
        services.AddScoped<ZohoConnector>();
        services.AddScoped<ICrmConnector>(sp => sp.GetRequiredService<ZohoConnector>());
        return services;
    }

    private static void Timeouts(IServiceProvider sp, HttpClient http) =>
        // The pipeline's total timeout decides; the client's own only backs it up.
        http.Timeout = sp.GetRequiredService<IOptions<ZohoOptions>>().Value.TotalTimeout + TimeSpan.FromSeconds(30);

    private static void Pipeline(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ResilienceHandlerContext context, bool postIsSafe)
    {
        var o = context.ServiceProvider.GetRequiredService<IOptions<ZohoOptions>>().Value;
        pipeline.AddTimeout(o.TotalTimeout);
        if (o.MaxRetries > 0)
        {
            // Zoho's API creates with POST (notes, tasks, fields); the accounts server's POST only refreshes a token.
            pipeline.AddRetry(CrmRetry.Options(o.MaxRetries, o.RetryBaseDelay, null, request => !postIsSafe && request?.Method == HttpMethod.Post));
        }
        pipeline.AddTimeout(o.AttemptTimeout);
    }
}
