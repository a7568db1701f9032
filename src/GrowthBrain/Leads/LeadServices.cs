using GrowthBrain.Leads.Import;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBrain.Leads;

public static class LeadServices
{
    public static IServiceCollection AddGrowthBrainLeads(this IServiceCollection services)
    {
        services.AddScoped<ImportLeadsHandler>();
        services.AddScoped<GetLastImportHandler>();
        services.AddScoped<ListLeadsHandler>();
        services.AddScoped<GetCallNextHandler>();
        services.AddScoped<GetLeadFilterOptionsHandler>();
        services.AddScoped<GetLeadHandler>();
        services.AddScoped<AddActivityHandler>();
        services.AddScoped<Synthetic.SeedSyntheticCrmHandler>();
        return services;
    }
}
