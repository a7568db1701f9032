using GrowthBrain.Accounts;
using GrowthBrain.Data;
using GrowthBrain.FollowUps;
using GrowthBrain.Insights;
using GrowthBrain.Integrations;
using GrowthBrain.Leads;
using GrowthBrain.Privacy;
using GrowthBrain.Scoring;
using GrowthBrain.Sequences;
using GrowthBrain.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBrain;

public static class GrowthBrainServices
{
    /// <summary>
    /// Every capability's use cases and settings, registered the same way for each host: the web app and the CLI
    /// call this and add only what belongs to the host (pages, sign-in, scheduled jobs, the console).
    /// </summary>
    public static IServiceCollection AddGrowthBrainCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddGrowthBrainData(configuration);
        services.AddGrowthBrainAccounts();
        services.AddGrowthBrainLeads();
        services.AddGrowthBrainScoring();
        services.AddGrowthBrainInsights();
        services.AddGrowthBrainFollowUps(configuration);
        services.AddGrowthBrainSequences(configuration);
        services.AddGrowthBrainPrivacy(configuration);
        services.AddGrowthBrainSettings();
        services.AddGrowthBrainIntegrations(configuration);
        return services;
    }
}
