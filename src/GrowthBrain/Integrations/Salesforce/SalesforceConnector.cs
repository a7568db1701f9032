using GrowthBrain.Settings;
using Microsoft.Extensions.Options;

namespace GrowthBrain.Integrations.Salesforce;

/// <summary>
/// Salesforce (REST API) as the sync engine sees it: Leads and Contacts read with SOQL page by page (with the outcome of
/// their opportunities), scores written
/// into three custom fields an admin creates (the REST API cannot) in collections of 200, follow-ups and call steps
/// as Tasks, erasure as deletion, Outbound Messages as webhooks. Credentials come from configuration or, failing
/// that, from what an admin stored; limits from configuration.
/// </summary>
public sealed class SalesforceConnector(
    IOptions<SalesforceOptions> options, CrmCredentials credentials, SalesforceConnectionCheck check, SalesforceDescribe describe,
    SalesforcePuller puller, SalesforceWriter writer) : ICrmConnector
{
    private static readonly string[] SObjects = ["Lead", "Contact"];

    /// <summary>Compound fields (addresses) repeat their parts, which describe lists too; base64 is file content.</summary>
    private static readonly HashSet<string> Unmapped = ["address", "location", "base64"];

    public string Crm => "salesforce";
    public string DisplayName => "Salesforce";
    public IReadOnlyList<string> Objects => SObjects;
    public int WriteBatchSize => SalesforceWriter.MaxBatch;

    public Task<bool> IsConfiguredAsync(CancellationToken ct) => credentials.IsConfiguredAsync(SecretKind.SalesforceConnection, options.Value, ct);

    public async Task<CrmCheck> TestAsync(CancellationToken ct) => await check.CheckAsync(await CredentialsAsync(ct, requireConfigured: false), ct);

    /// <summary>
    /// Every field of Lead and Contact, Lead's Status and IsConverted among them, with picklist values; and on both the
    /// opportunity outcome computed when pulled (see <see cref="SalesforceOpportunities"/>). Its label is recognised as a
    /// stage, so the suggested mapping reads won and lost from it (Lead's Status is already the status).
    /// </summary>
    public async Task<IReadOnlyList<CrmProperty>> DescribeAsync(CancellationToken ct)
    {
        var o = await CredentialsAsync(ct);
        var properties = new List<CrmProperty>();
        foreach (var sobject in SObjects)
        {
            properties.AddRange((await describe.FieldsAsync(o, sobject, ct)).Where(f => !Unmapped.Contains(f.Type))
                .Select(f => new CrmProperty(sobject, f.Name, f.Label, f.Type, f.Options)));
            properties.Add(new CrmProperty(sobject, SalesforceOpportunities.Status, "Opportunity status", "picklist", SalesforceOpportunities.Statuses));
            properties.Add(new CrmProperty(sobject, SalesforceOpportunities.Stage, "Opportunity stage", "string", []));
        }
        return properties;
    }

    public async Task<CrmPage> PullAsync(CrmPullRequest request, CancellationToken ct) =>
        await puller.PullAsync(await CredentialsAsync(ct), request with { Object = SObject(request.Object) }, ct);

    /// <summary>The REST API cannot create fields: says exactly which an admin must create (or open to the connected user).</summary>
    public async Task<IReadOnlyList<string>> EnsureScoreFieldsAsync(CancellationToken ct)
    {
        var o = await CredentialsAsync(ct);
        describe.Forget();
        var todo = new List<string>();
        foreach (var sobject in SObjects) todo.AddRange(SalesforceDescribe.Missing(sobject, await describe.FieldsAsync(o, sobject, ct)));
        return todo;
    }

    public async Task<IReadOnlyList<CrmWriteResult>> WriteScoresAsync(string crmObject, IReadOnlyList<CrmScoreWrite> batch, CancellationToken ct)
    {
        if (batch.Count == 0) return [];
        var o = await CredentialsAsync(ct);
        var sobject = SObject(crmObject);
        return await writer.WriteScoresAsync(o, sobject, await describe.FieldsAsync(o, sobject, ct), batch, ct);
    }

    public async Task<IReadOnlyList<CrmWriteResult>> WriteActivitiesAsync(IReadOnlyList<CrmActivityWrite> batch, CancellationToken ct) =>
        batch.Count == 0 ? [] : await writer.WriteActivitiesAsync(await CredentialsAsync(ct), batch, ct);

    /// <summary>
    /// The object is Lead or Contact for records, notes or tasks for activities (both are Tasks here); for an erasure
    /// that names only a kind, the id's three-character prefix says the object (00Q Lead, 003 Contact, 00T Task).
    /// </summary>
    public async Task EraseAsync(string crmObject, string externalId, CancellationToken ct)
    {
        var o = await CredentialsAsync(ct);
        var sobject = crmObject switch
        {
            "Lead" or "Contact" => crmObject,
            "notes" or "note" or "tasks" or "task" or "activity" => "Task",
            _ => externalId.Length >= 3 ? externalId[..3] switch { "00Q" => "Lead", "003" => "Contact", "00T" => "Task", _ => null } : null,
        } ?? throw new CrmException($"GrowthBrain cannot tell which Salesforce object record {externalId} ({crmObject}) is; delete it in Salesforce by hand.");
        await writer.DeleteAsync(o, sobject, externalId, ct);
    }

    public async Task<IReadOnlyList<CrmRecordRef>> ReadWebhookAsync(CrmWebhook hook, CancellationToken ct)
    {
        // The stored connection may carry the token and org when configuration does not.
        var o = await credentials.ResolveAsync(SecretKind.SalesforceConnection, options.Value, ct);
        var token = string.IsNullOrEmpty(options.Value.WebhookToken) ? o.WebhookToken : options.Value.WebhookToken;
        var org = string.IsNullOrEmpty(options.Value.OrganizationId) ? o.OrganizationId : options.Value.OrganizationId;
        return SalesforceWebhookReader.Read(hook, token, org, SObjects);
    }

    /// <summary>Salesforce spells its objects Lead and Contact; the engine may not.</summary>
    private static string SObject(string crmObject) =>
        SObjects.FirstOrDefault(m => string.Equals(m, crmObject, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Salesforce objects are {string.Join(" and ", SObjects)}; got '{crmObject}'.", nameof(crmObject));

    private async Task<SalesforceOptions> CredentialsAsync(CancellationToken ct, bool requireConfigured = true)
    {
        var o = await credentials.ResolveAsync(SecretKind.SalesforceConnection, options.Value, ct);
        if (requireConfigured && !o.Configured)
            throw new CrmException($"Salesforce is not connected: set {string.Join(", ", o.Missing())} (or enter them on the Integrations page).");
        return o;
    }
}
