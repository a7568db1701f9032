using Microsoft.Extensions.DependencyInjection;

namespace GrowthBrain.Insights;

public static class InsightsServices
{
    public static IServiceCollection AddGrowthBrainInsights(this IServiceCollection services)
    {
        services.AddScoped<GetOverviewHandler>();
        services.AddSingleton<ReplyBaselines>();
        services.AddScoped<GetSourceReportHandler>();
        services.AddScoped<GetTeamReportHandler>();
        services.AddScoped<RebuildLeadStatsHandler>();
        return services;
    }
}
