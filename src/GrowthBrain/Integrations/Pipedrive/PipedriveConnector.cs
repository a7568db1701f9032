using GrowthBrain.Settings;
using Microsoft.Extensions.Options;

namespace GrowthBrain.Integrations.Pipedrive;

/// <summary>
/// Pipedrive (API v1 and v2) as the sync engine sees it: persons are the leads, and their deals decide the outcome
/// (see <see cref="PipedrivePuller"/>). Scores are written person by person (Pipedrive has no batch update) within the
/// burst limit and the daily budget; follow-ups become notes and call steps call activities; erasure deletes the
/// person. Pipedrive's leads API (leads before they become deals) is not pulled: persons carry the outcome.
/// </summary>
public sealed class PipedriveConnector(
    IOptions<PipedriveOptions> options, CrmCredentials credentials, PipedriveConnectionCheck check, PipedriveFields fields,
    PipedrivePuller puller, PipedriveWriter writer) : ICrmConnector
{
    public const string Name = "pipedrive";
    public const string Persons = "persons";

    /// <summary>The person fields, read once per connector (one sync) for enum labels in pulls.</summary>
    private IReadOnlyList<PipedriveField>? _fields;

    public string Crm => Name;
    public string DisplayName => "Pipedrive";
    public IReadOnlyList<string> Objects { get; } = [Persons];
    public int WriteBatchSize => PipedriveWriter.BatchSize;

    public Task<bool> IsConfiguredAsync(CancellationToken ct) => credentials.IsConfiguredAsync(SecretKind.PipedriveConnection, options.Value, ct);

    public async Task<CrmCheck> TestAsync(CancellationToken ct) =>
        await check.CheckAsync(await credentials.ResolveAsync(SecretKind.PipedriveConnection, options.Value, ct), ct);

    public async Task<IReadOnlyList<CrmProperty>> DescribeAsync(CancellationToken ct)
    {
        var o = await CredentialsAsync(ct);
        _fields = await fields.ListAsync(o, ct);
        var properties = _fields.Where(f => !PipedriveFields.IsScoreField(f))
            .Select(f => new CrmProperty(Persons, f.Key, f.Name, f.Type, f.Options.Values.ToList())).ToList();
        // The outcome lives on deals; these two are computed per person when pulled (see PipedrivePuller).
        properties.Add(new CrmProperty(Persons, PipedrivePuller.DealStatus, "Deal status", "enum", ["open", "won", "lost"]));
        properties.Add(new CrmProperty(Persons, PipedrivePuller.DealStage, "Deal stage", "varchar", []));
        return properties;
    }

    public async Task<CrmPage> PullAsync(CrmPullRequest request, CancellationToken ct)
    {
        RequirePersons(request.Object);
        var o = await CredentialsAsync(ct);
        if (request.Cursor is null || _fields is null) _fields = await fields.ListAsync(o, ct);
        // Never read the score fields back: a score would feed the next score.
        var ownKeys = _fields.Where(PipedriveFields.IsScoreField).Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        return await puller.PullAsync(o, request with { Properties = request.Properties.Where(p => !ownKeys.Contains(p)).ToList() }, _fields, ct);
    }

    public async Task<IReadOnlyList<string>> EnsureScoreFieldsAsync(CancellationToken ct) => await fields.EnsureAsync(await CredentialsAsync(ct), ct);

    public async Task<IReadOnlyList<CrmWriteResult>> WriteScoresAsync(string crmObject, IReadOnlyList<CrmScoreWrite> batch, CancellationToken ct)
    {
        RequirePersons(crmObject);
        return await writer.WriteScoresAsync(await CredentialsAsync(ct), batch, ct);
    }

    public async Task<IReadOnlyList<CrmWriteResult>> WriteActivitiesAsync(IReadOnlyList<CrmActivityWrite> batch, CancellationToken ct) =>
        await writer.WriteActivitiesAsync(await CredentialsAsync(ct), batch, ct);

    /// <summary>
    /// Deletes the person (or the note or activity GrowthBrain wrote); one already gone counts as erased. Pipedrive's API
    /// documents no immediate permanent delete: a deleted person is kept 30 days in the recycle bin, then purged.
    /// </summary>
    public async Task EraseAsync(string crmObject, string externalId, CancellationToken ct)
    {
        var o = await CredentialsAsync(ct);
        var id = Uri.EscapeDataString(externalId);
        string[] paths = crmObject.ToLowerInvariant() switch
        {
            "persons" or "person" or "lead" => [$"/api/v2/persons/{id}"],
            "notes" or "note" => [$"/v1/notes/{id}"],
            "tasks" or "task" or "activities" or "activity" => [$"/v1/activities/{id}"],
            _ => throw new CrmException($"The Pipedrive connector erases persons, notes and tasks, not '{crmObject}'."),
        };
        foreach (var path in paths) await writer.DeleteAsync(o, path, ct);
    }

    public async Task<IReadOnlyList<CrmRecordRef>> ReadWebhookAsync(CrmWebhook hook, CancellationToken ct)
    {
        var o = await credentials.ResolveAsync(SecretKind.PipedriveConnection, options.Value, ct);
        return PipedriveWebhookReader.Read(hook, o.WebhookUser, o.WebhookPassword);
    }

    private async Task<PipedriveOptions> CredentialsAsync(CancellationToken ct)
    {
        var o = await credentials.ResolveAsync(SecretKind.PipedriveConnection, options.Value, ct);
        if (!o.Configured)
            throw new CrmException("Pipedrive is not connected: copy a personal API token (Pipedrive: Settings > Personal preferences > API) and set it on " +
                                   "the Integrations page or in Crm:Pipedrive:ApiToken.");
        return o;
    }

    private static void RequirePersons(string crmObject)
    {
        if (!string.Equals(crmObject, Persons, StringComparison.OrdinalIgnoreCase))
            throw new CrmException($"The Pipedrive connector syncs persons, not '{crmObject}'.");
    }
}
