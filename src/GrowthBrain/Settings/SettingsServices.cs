using Microsoft.Extensions.DependencyInjection;

namespace GrowthBrain.Settings;

public static class SettingsServices
{
    public static IServiceCollection AddGrowthBrainSettings(this IServiceCollection services)
    {
        services.AddScoped<SecretStore>();
        services.AddScoped<ProtectedAttributeSettingsHandler>();
        return services;
    }
}
