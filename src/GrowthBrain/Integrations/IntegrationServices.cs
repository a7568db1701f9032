using GrowthBrain.Integrations.HubSpot;
using GrowthBrain.Integrations.Pipedrive;
using GrowthBrain.Integrations.Salesforce;
using GrowthBrain.Integrations.Zoho;
using GrowthBrain.Integrations.Sync;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBrain.Integrations;

public static class IntegrationServices
{
    /// <summary>Each CRM's `Crm:&lt;Name&gt;` settings, checked on start; connectors add their clients here.</summary>
    public static IServiceCollection AddGrowthBrainIntegrations(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HubSpotOptions>().Bind(configuration.GetSection(HubSpotOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ZohoOptions>().Bind(configuration.GetSection(ZohoOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SalesforceOptions>().Bind(configuration.GetSection(SalesforceOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PipedriveOptions>().Bind(configuration.GetSection(PipedriveOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<GetCrmConnectionsHandler>();
        services.AddScoped<CrmCredentials>();
        services.AddScoped<CrmConnectors>();
        services.AddScoped<SyncCrmHandler>();
        services.AddScoped<GetSyncStatusHandler>();
        services.AddScoped<GetCrmMappingHandler>();
        services.AddScoped<SaveCrmMappingHandler>();
        services.AddScoped<TestCrmConnectionHandler>();
        services.AddScoped<ConnectCrmHandler>();
        services.AddScoped<ReceiveCrmWebhookHandler>();
        services.AddScoped<RunDueSyncsHandler>();
        services.AddHubSpotConnector();
        services.AddZohoConnector();
        services.AddSalesforceConnector();
        services.AddPipedriveConnector();
        return services;
    }
}
