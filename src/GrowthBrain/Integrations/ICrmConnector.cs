namespace GrowthBrain.Integrations;

/// <summary>
/// One CRM as the sync engine sees it. The engine (Integrations/Sync) owns everything the four CRMs share: the
/// link table, watermarks, resuming, change detection, leases, failures kept per record. A connector only
/// speaks its CRM's API: reading pages of records, writing batches, and telling apart what that CRM's errors mean.
/// Rate limits, token refresh and retries live inside the connector's typed HttpClient, because only it knows them.
/// </summary>
public interface ICrmConnector
{
    /// <summary>hubspot, zoho, salesforce or pipedrive: the name in links, failures and the command line.</summary>
    string Crm { get; }

    /// <summary>The CRM's name as people write it.</summary>
    string DisplayName { get; }

    /// <summary>The objects pulled into leads, in the order they are pulled (HubSpot: contacts; Zoho: Leads, Contacts).</summary>
    IReadOnlyList<string> Objects { get; }

    /// <summary>Most records one write call takes (HubSpot batch update: 100; Zoho: 100; Salesforce collections: 200).</summary>
    int WriteBatchSize { get; }

    /// <summary>Whether credentials are set, by configuration or in Settings. Says nothing about whether they work.</summary>
    Task<bool> IsConfiguredAsync(CancellationToken ct);

    /// <summary>
    /// Calls the CRM once with the credentials and says in plain words what is wrong (bad token, missing scope,
    /// wrong data centre, unreachable). Never throws for a CRM answer; throws only on cancellation.
    /// </summary>
    Task<CrmCheck> TestAsync(CancellationToken ct);

    /// <summary>The properties of each object in <see cref="Objects"/>, with their options, for the suggested mapping.</summary>
    Task<IReadOnlyList<CrmProperty>> DescribeAsync(CancellationToken ct);

    /// <summary>
    /// One page of records of <paramref name="request"/>.Object modified at or after <c>Since</c> (null: all), in
    /// ascending modification order, continuing from <c>Cursor</c> (null: the first page). Properties are the CRM's
    /// values as text exactly as the CRM gives them (dates ISO 8601, numbers invariant), null when empty.
    /// </summary>
    /// <exception cref="CrmException">The CRM refused or answered something unreadable (after its own retries).</exception>
    Task<CrmPage> PullAsync(CrmPullRequest request, CancellationToken ct);

    /// <summary>
    /// Makes sure the score, grade and reasons properties exist on each object, creating them where the API can.
    /// Returns what an admin must still do by hand (empty when nothing), e.g. fields the API cannot create.
    /// </summary>
    Task<IReadOnlyList<string>> EnsureScoreFieldsAsync(CancellationToken ct);

    /// <summary>
    /// Writes GrowthBrain's score, grade and reasons onto records of one object, at most <see cref="WriteBatchSize"/>
    /// per call. One result per input, in any order; a record the CRM refused is a failed result, not an exception.
    /// </summary>
    /// <exception cref="CrmException">The whole call failed (after retries): nothing in the batch is known written.</exception>
    Task<IReadOnlyList<CrmWriteResult>> WriteScoresAsync(string crmObject, IReadOnlyList<CrmScoreWrite> batch, CancellationToken ct);

    /// <summary>
    /// Creates notes (an approved follow-up's text) and tasks (a sequence's call step) on records. One result per
    /// input; a successful result carries the id the CRM gave the new note or task.
    /// </summary>
    Task<IReadOnlyList<CrmWriteResult>> WriteActivitiesAsync(IReadOnlyList<CrmActivityWrite> batch, CancellationToken ct);

    /// <summary>Deletes the record (or anonymises it where the API cannot delete). A record already gone counts as erased.</summary>
    /// <exception cref="CrmException">The CRM did not confirm it.</exception>
    Task EraseAsync(string crmObject, string externalId, CancellationToken ct);

    /// <summary>
    /// Checks a webhook call (signature, age, token) and returns the records it says changed.
    /// </summary>
    /// <exception cref="CrmWebhookRejectedException">Forged, stale or unreadable: answered 401 or 400 with the reason.</exception>
    Task<IReadOnlyList<CrmRecordRef>> ReadWebhookAsync(CrmWebhook hook, CancellationToken ct);
}

/// <param name="Ok">Whether the credentials work.</param>
/// <param name="Message">What was found ("Connected to portal 1234 as ...") or what is wrong and what to do.</param>
public sealed record CrmCheck(bool Ok, string Message);

/// <param name="Object">The object the property belongs to (contacts, Leads...).</param>
/// <param name="Name">The API name (firstname, Last_Name).</param>
/// <param name="Label">What people see in the CRM.</param>
/// <param name="Type">string, number, date, datetime, enumeration, bool... as the CRM says it.</param>
/// <param name="Options">An enumeration's values (lifecycle stages, lead statuses), empty otherwise.</param>
public sealed record CrmProperty(string Object, string Name, string Label, string Type, IReadOnlyList<string> Options);

/// <param name="Since">Only records modified at or after this instant (the watermark); null for a full read.</param>
/// <param name="Cursor">Where the previous page ended, as that page's <see cref="CrmPage.NextCursor"/> said; null to start.</param>
/// <param name="Properties">The properties to read (the mapping's); the connector adds its id and modified-date properties itself.</param>
/// <param name="Ids">Only these records (a webhook's); null for all that match <paramref name="Since"/>.</param>
public sealed record CrmPullRequest(string Object, DateTime? Since, string? Cursor, IReadOnlyList<string> Properties,
    IReadOnlyList<string>? Ids = null, int PageSize = 100);

/// <param name="NextCursor">Null when this was the last page. Opaque to the engine, which stores it to resume.</param>
public sealed record CrmPage(IReadOnlyList<CrmRecord> Records, string? NextCursor);

/// <param name="ModifiedAt">The record's last-modified instant in UTC: the watermark moves to the largest seen.</param>
/// <param name="Properties">Values as text, null when empty, keyed by API name (case as the CRM spells it).</param>
public sealed record CrmRecord(string Object, string Id, DateTime ModifiedAt, IReadOnlyDictionary<string, string?> Properties);

public sealed record CrmRecordRef(string Object, string Id);

/// <param name="Score">0–100.</param>
/// <param name="Reasons">The top reasons in one line ("+12 Job title: VP; -8 No activity in 30 days").</param>
public sealed record CrmScoreWrite(string ExternalId, int Score, string Grade, string Reasons);

public enum CrmActivityKind { Note, Task }

/// <param name="LocalKey">The engine's key for the activity (draft:42, step:7:3), echoed in the result.</param>
/// <param name="Object">The object of the record the activity belongs to.</param>
/// <param name="RecordId">That record's id in the CRM.</param>
/// <param name="Subject">A task's subject or a note's title.</param>
/// <param name="Body">The note's text or the task's description.</param>
/// <param name="DueAt">A task's due time (UTC); null for notes.</param>
public sealed record CrmActivityWrite(string LocalKey, CrmActivityKind Kind, string Object, string RecordId, string Subject,
    string Body, DateTime? DueAt);

/// <param name="Key">The input's <see cref="CrmScoreWrite.ExternalId"/> or <see cref="CrmActivityWrite.LocalKey"/>.</param>
/// <param name="CreatedId">The id of a created note or task.</param>
/// <param name="Error">Why the CRM refused this record, in its own words; null on success.</param>
/// <param name="Retryable">Whether trying the same record again later may work (a rate limit, a lock), not a refusal of the data.</param>
public sealed record CrmWriteResult(string Key, bool Ok, string? CreatedId = null, string? Error = null, bool Retryable = false);

/// <param name="Url">The absolute URL the CRM called, as it signed it.</param>
/// <param name="Headers">Header names are matched case-insensitively.</param>
public sealed record CrmWebhook(string Method, string Url, string Body, IReadOnlyDictionary<string, string> Headers);
