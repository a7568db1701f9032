using Microsoft.Extensions.DependencyInjection;

namespace GrowthBrain.Scoring;

public static class ScoringServices
{
    public static IServiceCollection AddGrowthBrainScoring(this IServiceCollection services)
    {
        services.AddSingleton<ActiveModels>();
        services.AddScoped<TrainModelHandler>();
        services.AddScoped<ScoreLeadsHandler>();
        services.AddScoped<ScoreLeadHandler>();
        services.AddScoped<ScoreAdHocHandler>();
        services.AddScoped<PromoteModelHandler>();
        services.AddScoped<SwitchModelAndRescoreHandler>();
        services.AddScoped<BacktestHandler>();
        services.AddScoped<OverrideScoreHandler>();
        services.AddScoped<GetScoreHistoryHandler>();
        services.AddScoped<GetModelReportHandler>();
        return services;
    }
}
