using GrowthBrain.Integrations.Pipedrive;
using GrowthBrain.Integrations.Salesforce;
using Microsoft.Extensions.Options;

namespace GrowthBrain.Integrations;

/// <param name="Crm">hubspot, zoho, salesforce, pipedrive.</param>
/// <param name="DisplayName">The CRM's name as people write it.</param>
/// <param name="Available">Whether this build has a connector for it.</param>
/// <param name="Configured">Whether its credentials are set, by configuration or on the Integrations page (not whether they work).</param>
/// <param name="Needs">What to set, in words.</param>
public sealed record CrmConnection(string Crm, string DisplayName, bool Available, bool Configured, string Needs);

public sealed record GetCrmConnections;

/// <summary>Every CRM GrowthBrain knows, whether this build connects to it, and whether credentials are set; never the credentials.</summary>
public sealed class GetCrmConnectionsHandler(IEnumerable<ICrmConnector> connectors, IOptions<SalesforceOptions> salesforce, IOptions<PipedriveOptions> pipedrive)
{
    public async Task<IReadOnlyList<CrmConnection>> HandleAsync(GetCrmConnections request, CancellationToken ct)
    {
        var byName = connectors.ToDictionary(c => c.Crm);
        async Task<CrmConnection> Describe(string crm, string name, bool configuredByOptions, string needs) =>
            byName.TryGetValue(crm, out var c)
                ? new CrmConnection(crm, c.DisplayName, true, await c.IsConfiguredAsync(ct), needs)
                : new CrmConnection(crm, name, false, configuredByOptions, needs);
        return
        [
            await Describe("hubspot", "HubSpot", false, "a private-app access token (Crm:HubSpot:AccessToken)"),
            await Describe("zoho", "Zoho CRM", false, "Crm:Zoho:ApiBaseUrl, AccountsUrl, ClientId, ClientSecret and RefreshToken"),
            await Describe("salesforce", "Salesforce", salesforce.Value.Configured, "Crm:Salesforce:LoginUrl, ClientId, ClientSecret and RefreshToken"),
            await Describe("pipedrive", "Pipedrive", pipedrive.Value.Configured, "an API token (Crm:Pipedrive:ApiToken)"),
        ];
    }
}
