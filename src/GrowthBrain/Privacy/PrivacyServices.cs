using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBrain.Privacy;

public static class PrivacyServices
{
    /// <summary>Erasures reach CRMs through the connectors registered with the integrations.</summary>
    public static IServiceCollection AddGrowthBrainPrivacy(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PrivacyOptions>().Bind(configuration.GetSection(PrivacyOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<ExportPersonalDataHandler>();
        services.AddScoped<ErasePersonHandler>();
        services.AddScoped<FindPersonHandler>();
        services.AddScoped<GetPrivacyCountsHandler>();
        services.AddScoped<PropagateCrmErasuresHandler>();
        services.AddScoped<RecordConsentHandler>();
        services.AddScoped<ApplyRetentionHandler>();
        return services;
    }
}
