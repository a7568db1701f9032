using GrowthBrain.Integrations.HubSpot;
using GrowthBrain.Integrations.Pipedrive;
using GrowthBrain.Integrations.Salesforce;
using GrowthBrain.Integrations.Zoho;
using Microsoft.Extensions.Options;

namespace GrowthBrain.Integrations;

/// <param name="Crm">The CRM's name as people write it.</param>
/// <param name="Configured">Whether its credentials are set (not whether a sync has run: no connector ships yet).</param>
/// <param name="Key">The setting that decides <paramref name="Configured"/>.</param>
/// <param name="Needs">What to set, in words.</param>
public sealed record CrmConnection(string Crm, bool Configured, string Key, string Needs);

/// <summary>Which CRMs have credentials configured, read from their validated options; never the credentials themselves.</summary>
public sealed class GetCrmConnectionsHandler(
    IOptions<HubSpotOptions> hubSpot, IOptions<ZohoOptions> zoho, IOptions<SalesforceOptions> salesforce, IOptions<PipedriveOptions> pipedrive)
{
    public IReadOnlyList<CrmConnection> Handle() =>
    [
        new("HubSpot", hubSpot.Value.Configured, "Crm:HubSpot:AccessToken", "a private-app access token"),
        new("Zoho", zoho.Value.Configured, "Crm:Zoho:RefreshToken", "Crm:Zoho:ClientId, ClientSecret and RefreshToken"),
        new("Salesforce", salesforce.Value.Configured, "Crm:Salesforce:ClientSecret", "a connected app's Crm:Salesforce:ClientId and ClientSecret"),
        new("Pipedrive", pipedrive.Value.Configured, "Crm:Pipedrive:ApiToken", "an API token"),
    ];
}
