using GrowthBrain.Accounts;
using GrowthBrain.Settings;
using Microsoft.Extensions.Options;

namespace GrowthBrain.Integrations.Sync;

public sealed record TestCrmConnection(string Crm);

/// <summary>Calls the CRM once with the credentials in force and says, in plain words, what works or what is wrong.</summary>
public sealed class TestCrmConnectionHandler(CrmConnectors connectors)
{
    public async Task<CrmCheck> HandleAsync(TestCrmConnection request, CancellationToken ct)
    {
        var connector = connectors.Get(request.Crm);
        if (!await connector.IsConfiguredAsync(ct))
            return new CrmCheck(false, $"{connector.DisplayName} has no credentials yet: enter them here, or set them in configuration.");
        return await connector.TestAsync(ct);
    }
}

/// <summary>
/// What an admin types on the Integrations page to connect a CRM: the same fields as the `Crm:&lt;Name&gt;:*` settings.
/// Empty strings are "not set". Secrets are stored encrypted and never shown again.
/// </summary>
public sealed record ConnectCrm(string Crm, IReadOnlyDictionary<string, string?> Settings);

/// <summary>
/// Stores the credentials, then tests them and says what the CRM answered (the admin fixes and saves again when it
/// fails). A working connection gets its row now, so its records land in the admin's team.
/// </summary>
public sealed class ConnectCrmHandler(CrmConnectors connectors, CrmCredentials credentials, TeamScope scope,
    IOptions<HubSpot.HubSpotOptions> hubSpot, IOptions<Zoho.ZohoOptions> zoho,
    IOptions<Salesforce.SalesforceOptions> salesforce, IOptions<Pipedrive.PipedriveOptions> pipedrive)
{
    public async Task<CrmCheck> HandleAsync(ConnectCrm request, CancellationToken ct)
    {
        var connector = connectors.Get(request.Crm);
        var allowed = FieldsFor(connector.Crm).Select(f => f.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (request.Settings.Keys.FirstOrDefault(k => !allowed.Contains(k)) is { } unknown)
            throw new ArgumentException($"'{unknown}' is not a {connector.DisplayName} setting; use {string.Join(", ", allowed)}.");
        switch (connector.Crm)
        {
            case "hubspot":
                await credentials.SaveAsync(SecretKind.HubSpotConnection, hubSpot.Value, request.Settings, scope.Actor, ct);
                break;
            case "zoho":
                await credentials.SaveAsync(SecretKind.ZohoConnection, zoho.Value, request.Settings, scope.Actor, ct);
                break;
            case "salesforce":
                await credentials.SaveAsync(SecretKind.SalesforceConnection, salesforce.Value, request.Settings, scope.Actor, ct);
                break;
            case "pipedrive":
                await credentials.SaveAsync(SecretKind.PipedriveConnection, pipedrive.Value, request.Settings, scope.Actor, ct);
                break;
            default:
                throw new ArgumentException($"{connector.DisplayName} is connected through configuration only in this build (Crm:{connector.DisplayName}:*).");
        }
        var check = await connector.TestAsync(ct);
        if (check.Ok) await connectors.StateAsync(connector, ct);
        return check;
    }

    /// <summary>The fields the page asks for, per CRM, with whether each is secret.</summary>
    public static IReadOnlyList<(string Key, string Label, bool Secret)> FieldsFor(string crm) => crm switch
    {
        "hubspot" => [("AccessToken", "Private-app access token", true), ("BaseUrl", "API address (leave empty for https://api.hubapi.com)", false),
            ("ClientSecret", "App client secret (optional, to verify webhooks)", true)],
        "zoho" => [("ApiBaseUrl", "API address of your data centre (e.g. https://www.zohoapis.eu)", false),
            ("AccountsUrl", "Accounts address of your data centre (e.g. https://accounts.zoho.eu)", false),
            ("ClientId", "Client id", false), ("ClientSecret", "Client secret", true), ("RefreshToken", "Refresh token", true),
            ("WebhookToken", "Notification channel token (optional, for /hooks/zoho)", true)],
        "pipedrive" => [("ApiToken", "Personal API token", true), ("BaseUrl", "API address (leave empty for https://api.pipedrive.com)", false),
            ("WebhookUser", "Webhook HTTP auth user (optional, for /hooks/pipedrive)", false),
            ("WebhookPassword", "Webhook HTTP auth password (optional)", true)],
        "salesforce" => [("LoginUrl", "Login address (https://login.salesforce.com, https://test.salesforce.com for a sandbox, or your My Domain)", false),
            ("ClientId", "Connected app consumer key", false), ("ClientSecret", "Connected app consumer secret", true), ("RefreshToken", "Refresh token", true),
            ("OrganizationId", "Organization id, 00D... (optional, for Outbound Messages to /hooks/salesforce)", false),
            ("WebhookToken", "Outbound Message token, the ?token= of its endpoint URL (optional)", true)],
        _ => [],
    };
}
