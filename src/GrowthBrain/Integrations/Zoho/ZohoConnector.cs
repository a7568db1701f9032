using GrowthBrain.Settings;
using Microsoft.Extensions.Options;

namespace GrowthBrain.Integrations.Zoho;

/// <summary>
/// Zoho CRM (REST API v8) as the sync engine sees it: Leads and Contacts read page by page, scores written in
/// batches of 100, follow-ups as notes and tasks, erasure as deletion, notification channels as webhooks.
/// Credentials come from configuration or, failing that, from what an admin stored; limits from configuration.
/// </summary>
public sealed class ZohoConnector(
    IOptions<ZohoOptions> options, CrmCredentials credentials, ZohoConnectionCheck check, ZohoFields fields, ZohoPuller puller, ZohoWriter writer)
    : ICrmConnector
{
    private static readonly string[] Modules = ["Leads", "Contacts"];

    /// <summary>The score fields' API names per module, as Zoho gave them: read once per connector (one sync).</summary>
    private readonly Dictionary<string, IReadOnlyDictionary<string, string>> _scoreFields = new(StringComparer.OrdinalIgnoreCase);

    public string Crm => "zoho";
    public string DisplayName => "Zoho CRM";
    public IReadOnlyList<string> Objects => Modules;
    public int WriteBatchSize => ZohoWriter.MaxBatch;

    public Task<bool> IsConfiguredAsync(CancellationToken ct) => credentials.IsConfiguredAsync(SecretKind.ZohoConnection, options.Value, ct);

    public async Task<CrmCheck> TestAsync(CancellationToken ct) => await check.CheckAsync(await CredentialsAsync(ct, requireConfigured: false), ct);

    public async Task<IReadOnlyList<CrmProperty>> DescribeAsync(CancellationToken ct)
    {
        var o = await CredentialsAsync(ct);
        var properties = new List<CrmProperty>();
        foreach (var module in Modules)
            properties.AddRange((await fields.ListAsync(o, module, ct)).Select(f => new CrmProperty(module, f.ApiName, f.Label, f.DataType, f.Options)));
        return properties;
    }

    public async Task<CrmPage> PullAsync(CrmPullRequest request, CancellationToken ct) =>
        await puller.PullAsync(await CredentialsAsync(ct), request with { Object = Module(request.Object) }, ct);

    public async Task<IReadOnlyList<string>> EnsureScoreFieldsAsync(CancellationToken ct)
    {
        var o = await CredentialsAsync(ct);
        var todo = new List<string>();
        foreach (var module in Modules)
        {
            todo.AddRange(await fields.EnsureAsync(o, module, ct));
            _scoreFields.Remove(module);
        }
        return todo;
    }

    public async Task<IReadOnlyList<CrmWriteResult>> WriteScoresAsync(string crmObject, IReadOnlyList<CrmScoreWrite> batch, CancellationToken ct)
    {
        var o = await CredentialsAsync(ct);
        var module = Module(crmObject);
        if (batch.Count == 0) return [];
        return await writer.WriteScoresAsync(o, module, await ScoreFieldsAsync(o, module, ct), batch, ct);
    }

    public async Task<IReadOnlyList<CrmWriteResult>> WriteActivitiesAsync(IReadOnlyList<CrmActivityWrite> batch, CancellationToken ct) =>
        await writer.WriteActivitiesAsync(await CredentialsAsync(ct), batch.Select(a => a with { Object = Module(a.Object) }).ToList(), ct);

    /// <summary>
    /// A record Zoho no longer has counts as erased: that is what erasure wants. The object is a module (Leads, Contacts,
    /// Notes, Tasks); for an erasure queued before links kept their module, only the kind is known (lead, note, task),
    /// and as Zoho ids are unique in an org, each candidate module is asked in turn until one deletes it.
    /// </summary>
    public async Task EraseAsync(string crmObject, string externalId, CancellationToken ct)
    {
        var o = await CredentialsAsync(ct);
        string[] candidates = crmObject.ToLowerInvariant() switch
        {
            "leads" => ["Leads"],
            "contacts" => ["Contacts"],
            "notes" or "note" => ["Notes"],
            "tasks" or "task" => ["Tasks"],
            "activity" => ["Notes", "Tasks"],
            _ => Modules,
        };
        foreach (var module in candidates)
            if (await writer.DeleteAsync(o, module, externalId, ct)) return;
    }

    public async Task<IReadOnlyList<CrmRecordRef>> ReadWebhookAsync(CrmWebhook hook, CancellationToken ct)
    {
        // The stored connection may carry the token when configuration does not.
        var o = await credentials.ResolveAsync(SecretKind.ZohoConnection, options.Value, ct);
        var token = string.IsNullOrEmpty(options.Value.WebhookToken) ? o.WebhookToken : options.Value.WebhookToken;
        return ZohoWebhookReader.Read(hook, token, Modules);
    }

    private async Task<IReadOnlyDictionary<string, string>> ScoreFieldsAsync(ZohoOptions o, string module, CancellationToken ct)
    {
        if (_scoreFields.TryGetValue(module, out var known)) return known;
        var found = ZohoFields.Resolve(await fields.ListAsync(o, module, ct));
        var missing = ZohoFields.ScoreFields.Where(s => !found.ContainsKey(s.ApiName)).Select(s => s.Label).ToList();
        if (missing.Count > 0)
            throw new CrmException($"Zoho's {module} module has no field {string.Join(", ", missing.Select(m => $"'{m}'"))}: run the sync's field set-up " +
                                   "(it creates them) or create them by hand, then sync again.");
        _scoreFields[module] = found;
        return found;
    }

    /// <summary>Zoho spells modules Leads and Contacts; the engine may not.</summary>
    private static string Module(string crmObject) =>
        Modules.FirstOrDefault(m => string.Equals(m, crmObject, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Zoho objects are {string.Join(" and ", Modules)}; got '{crmObject}'.", nameof(crmObject));

    private async Task<ZohoOptions> CredentialsAsync(CancellationToken ct, bool requireConfigured = true)
    {
        var o = await credentials.ResolveAsync(SecretKind.ZohoConnection, options.Value, ct);
        if (requireConfigured && !o.Configured)
            throw new CrmException($"Zoho CRM is not connected: set {string.Join(", ", o.Missing())} (or enter them on the Integrations page).");
        return o;
    }
}
