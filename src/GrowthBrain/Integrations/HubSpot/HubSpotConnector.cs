using System.Globalization;
using System.Text.Json.Nodes;
using GrowthBrain.Settings;
using Microsoft.Extensions.Options;

namespace GrowthBrain.Integrations.HubSpot;

/// <summary>
/// HubSpot's CRM v3 API as the sync engine sees it: contacts, pulled through the search API and written through the
/// batch API, with a private app's token. Each call resolves the credentials (configuration, else what an admin stored).
/// </summary>
public sealed class HubSpotConnector(HubSpotApiClient api, CrmCredentials credentials, IOptions<HubSpotOptions> options, TimeProvider clock)
    : ICrmConnector
{
    public const string Name = "hubspot";

    private readonly HubSpotBatchWriter _writer = new(api);

    public string Crm => Name;

    public string DisplayName => "HubSpot";

    public IReadOnlyList<string> Objects { get; } = ["contacts"];

    /// <summary>HubSpot's batch update and create take at most 100 inputs.</summary>
    public int WriteBatchSize => 100;

    public Task<bool> IsConfiguredAsync(CancellationToken ct) => credentials.IsConfiguredAsync(SecretKind.HubSpotConnection, options.Value, ct);

    public async Task<CrmCheck> TestAsync(CancellationToken ct)
    {
        try
        {
            var c = await CredentialsAsync(ct);
            // Account details need no scope, so they name the portal even when the scopes below are missing.
            var account = await api.SendAsync(c, HttpMethod.Get, "/account-info/v3/details", null, "reading the account details", ct);
            if (account.Status is 401 or 429 or >= 500) throw HubSpotErrors.Exception(account, "reading the account details");
            var portal = account.Success && account.Body is JsonObject a && HubSpotJson.Text(a["portalId"]) is { } id ? $"portal {id}" : "the account";
            await api.SendForObjectAsync(c, HttpMethod.Get, "/crm/v3/properties/contacts", null, "reading the contact properties", ct);
            await api.SendForObjectAsync(c, HttpMethod.Get, "/crm/v3/objects/contacts?limit=1&properties=email", null, "reading contacts", ct);
            return new CrmCheck(true, $"Connected to HubSpot {portal}: contacts and their properties can be read. " +
                "Writing scores back also needs the crm.objects.contacts.write scope, and creating the score properties crm.schemas.contacts.write.");
        }
        catch (CrmException e)
        {
            return new CrmCheck(false, e.Message);
        }
    }

    public async Task<IReadOnlyList<CrmProperty>> DescribeAsync(CancellationToken ct)
    {
        const string what = "reading the contact properties";
        var answer = await api.SendForObjectAsync(await CredentialsAsync(ct), HttpMethod.Get, "/crm/v3/properties/contacts", null, what, ct);
        return HubSpotJson.Array(answer, "results", what).Select(node =>
        {
            var p = HubSpotJson.Object(node, what, "results");
            var name = HubSpotJson.RequiredText(p, "name", what);
            var values = HubSpotJson.Array(p, "options", what, required: false)
                .Select(o => HubSpotJson.Text(o?["value"])).OfType<string>().ToList();
            return new CrmProperty("contacts", name, HubSpotJson.Text(p["label"]) ?? name, HubSpotJson.Text(p["type"]) ?? "string", values);
        }).ToList();
    }

    public async Task<CrmPage> PullAsync(CrmPullRequest request, CancellationToken ct)
    {
        RequireContacts(request.Object);
        var reader = new HubSpotContactReader(api);
        var c = await CredentialsAsync(ct);
        return request.Ids is null ? await reader.SearchAsync(c, request, ct) : await reader.ReadAsync(c, request, ct);
    }

    public async Task<IReadOnlyList<string>> EnsureScoreFieldsAsync(CancellationToken ct) =>
        await new HubSpotScoreFields(api).EnsureAsync(await CredentialsAsync(ct), ct);

    public async Task<IReadOnlyList<CrmWriteResult>> WriteScoresAsync(string crmObject, IReadOnlyList<CrmScoreWrite> batch, CancellationToken ct)
    {
        RequireContacts(crmObject);
        var c = await CredentialsAsync(ct);
        var results = new List<CrmWriteResult>();
        // A record named twice in one call is written once, with its last values (HubSpot refuses duplicate ids in a batch).
        var inputs = batch.GroupBy(s => s.ExternalId, StringComparer.Ordinal).Select(g => g.Last())
            .Select(s => new HubSpotBatchInput(s.ExternalId, s.ExternalId, new JsonObject
            {
                ["id"] = s.ExternalId,
                ["properties"] = new JsonObject
                {
                    [HubSpotScoreFields.Score] = s.Score.ToString(CultureInfo.InvariantCulture),
                    [HubSpotScoreFields.Grade] = s.Grade,
                    [HubSpotScoreFields.Reasons] = s.Reasons,
                },
            }));
        foreach (var chunk in inputs.Chunk(WriteBatchSize))
            results.AddRange(await _writer.WriteAsync(c, "/crm/v3/objects/contacts/batch/update", chunk, creates: false, "writing scores to contacts", ct));
        var byKey = results.ToDictionary(r => r.Key, StringComparer.Ordinal);
        return batch.Select(s => byKey[s.ExternalId]).ToList();
    }

    public async Task<IReadOnlyList<CrmWriteResult>> WriteActivitiesAsync(IReadOnlyList<CrmActivityWrite> batch, CancellationToken ct) =>
        await new HubSpotActivities(_writer, clock).WriteAsync(await CredentialsAsync(ct), batch, ct);

    public async Task EraseAsync(string crmObject, string externalId, CancellationToken ct)
    {
        var c = await CredentialsAsync(ct);
        var what = $"erasing {crmObject} record {externalId}";
        // Contacts go through GDPR delete, which also removes the address from HubSpot for good; other objects have none.
        var response = crmObject == "contacts"
            ? await api.SendAsync(c, HttpMethod.Post, "/crm/v3/objects/contacts/gdpr-delete", new JsonObject { ["objectId"] = externalId }.ToJsonString(), what, ct)
            : await api.SendAsync(c, HttpMethod.Delete, $"/crm/v3/objects/{Uri.EscapeDataString(crmObject)}/{Uri.EscapeDataString(externalId)}", null, what, ct);
        // 404: already gone, which is what an erasure wants.
        if (response.Success || response.Status == 404 && response.Body is JsonObject) return;
        throw HubSpotErrors.Exception(response, what);
    }

    public async Task<IReadOnlyList<CrmRecordRef>> ReadWebhookAsync(CrmWebhook hook, CancellationToken ct)
    {
        var c = await credentials.ResolveAsync(SecretKind.HubSpotConnection, options.Value, ct);
        return HubSpotWebhookVerifier.Read(hook, c.ClientSecret, clock.GetUtcNow());
    }

    private async Task<HubSpotOptions> CredentialsAsync(CancellationToken ct)
    {
        var c = await credentials.ResolveAsync(SecretKind.HubSpotConnection, options.Value, ct);
        if (!c.Configured)
            throw new CrmException("HubSpot is not connected: create a private app in HubSpot (Settings > Integrations > Private apps) and set its " +
                "access token on the Integrations page or in Crm:HubSpot:AccessToken.");
        return c;
    }

    private static void RequireContacts(string crmObject)
    {
        if (crmObject != "contacts") throw new CrmException($"The HubSpot connector syncs contacts, not '{crmObject}'.");
    }
}
