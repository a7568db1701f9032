using Microsoft.Extensions.DependencyInjection;

namespace GrowthBrain.FollowUps;

public static class FollowUpServices
{
    public static IServiceCollection AddGrowthBrainFollowUps(this IServiceCollection services)
    {
        services.AddSingleton<TemplateWriter>();
        services.AddScoped<DraftFollowUpHandler>();
        return services;
    }
}
