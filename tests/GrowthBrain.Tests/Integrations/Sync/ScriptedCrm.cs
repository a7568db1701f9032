using System.Collections.Concurrent;
using System.Globalization;
using GrowthBrain.Integrations;

namespace GrowthBrain.Tests.Integrations.Sync;

/// <summary>
/// An in-memory CRM behind the connector seam, for the engine's own rules (links, resume, change detection, dry run,
/// failures, leases) apart from any CRM's HTTP: the HubSpot and Zoho tests run the same engine through their fakes.
/// Pages are in modification order and the cursor is an offset, as a CRM's would be opaque.
/// </summary>
public sealed class ScriptedCrm : ICrmConnector
{
    private readonly object _gate = new();
    private readonly List<CrmRecord> _records = [];
    private DateTime _clock = new(2026, 11, 1, 8, 0, 0, DateTimeKind.Utc);

    public string Crm => "hubspot";
    public string DisplayName => "HubSpot";
    public IReadOnlyList<string> Objects { get; } = ["contacts"];
    public int WriteBatchSize => 10;
    public int PageSize { get; set; } = 10;

    /// <summary>The page number (1-based, counted over the crm's life) on which PullAsync throws, as a killed process would stop.</summary>
    public int? FailOnPullCall { get; set; }
    public int PullCalls { get; private set; }
    public List<string?> CursorsAsked { get; } = [];
    public HashSet<string> RefuseWrites { get; } = [];
    public ConcurrentDictionary<string, CrmScoreWrite> Written { get; } = new();
    public int ScoreWriteCount;
    public List<CrmActivityWrite> Activities { get; } = [];
    public List<(string Object, string Id)> Erased { get; } = [];

    public void Add(string id, string email, string first, string stage, string? title = null, string? industry = null)
    {
        lock (_gate)
        {
            _clock = _clock.AddMinutes(1);
            _records.Add(new CrmRecord("contacts", id, _clock, new Dictionary<string, string?>
            {
                ["email"] = email, ["firstname"] = first, ["lastname"] = "Tester", ["lifecyclestage"] = stage, ["jobtitle"] = title,
                ["industry"] = industry, ["company"] = $"{first} Co",
            }));
        }
    }

    public void Change(string id, string property, string? value)
    {
        lock (_gate)
        {
            var i = _records.FindIndex(r => r.Id == id);
            var props = new Dictionary<string, string?>(_records[i].Properties) { [property] = value };
            _clock = _clock.AddMinutes(1);
            _records[i] = _records[i] with { ModifiedAt = _clock, Properties = props };
        }
    }

    public Task<bool> IsConfiguredAsync(CancellationToken ct) => Task.FromResult(true);

    public Task<CrmCheck> TestAsync(CancellationToken ct) => Task.FromResult(new CrmCheck(true, "scripted"));

    public Task<IReadOnlyList<CrmProperty>> DescribeAsync(CancellationToken ct) => Task.FromResult<IReadOnlyList<CrmProperty>>(
    [
        new("contacts", "email", "Email", "string", []),
        new("contacts", "firstname", "First Name", "string", []),
        new("contacts", "lastname", "Last Name", "string", []),
        new("contacts", "company", "Company Name", "string", []),
        new("contacts", "jobtitle", "Job Title", "string", []),
        new("contacts", "industry", "Industry", "string", []),
        new("contacts", "lifecyclestage", "Lifecycle Stage", "enumeration", ["subscriber", "lead", "opportunity", "customer", "other"]),
        new("contacts", "growthbrain_score", "GrowthBrain score", "number", []),
    ]);

    public Task<CrmPage> PullAsync(CrmPullRequest request, CancellationToken ct)
    {
        lock (_gate)
        {
            PullCalls++;
            CursorsAsked.Add(request.Cursor);
            if (PullCalls == FailOnPullCall) throw new CrmException("HubSpot stopped answering (scripted)", retryable: true);
            if (request.Ids is { } ids)
                return Task.FromResult(new CrmPage(_records.Where(r => ids.Contains(r.Id)).ToList(), null));
            var matching = _records.Where(r => request.Since is null || r.ModifiedAt >= request.Since).OrderBy(r => r.ModifiedAt).ThenBy(r => r.Id).ToList();
            var offset = request.Cursor is null ? 0 : int.Parse(request.Cursor, CultureInfo.InvariantCulture);
            var page = matching.Skip(offset).Take(PageSize).ToList();
            var next = offset + page.Count < matching.Count ? (offset + page.Count).ToString(CultureInfo.InvariantCulture) : null;
            return Task.FromResult(new CrmPage(page, next));
        }
    }

    public Task<IReadOnlyList<string>> EnsureScoreFieldsAsync(CancellationToken ct) => Task.FromResult<IReadOnlyList<string>>([]);

    public Task<IReadOnlyList<CrmWriteResult>> WriteScoresAsync(string crmObject, IReadOnlyList<CrmScoreWrite> batch, CancellationToken ct)
    {
        batch.Count.ShouldBeLessThanOrEqualTo(WriteBatchSize);
        var results = new List<CrmWriteResult>();
        foreach (var w in batch)
        {
            Interlocked.Increment(ref ScoreWriteCount);
            if (RefuseWrites.Contains(w.ExternalId))
            {
                results.Add(new CrmWriteResult(w.ExternalId, false, Error: "PROPERTY_DOESNT_EXIST (scripted)"));
                continue;
            }
            Written[w.ExternalId] = w;
            results.Add(new CrmWriteResult(w.ExternalId, true));
        }
        return Task.FromResult<IReadOnlyList<CrmWriteResult>>(results);
    }

    public Task<IReadOnlyList<CrmWriteResult>> WriteActivitiesAsync(IReadOnlyList<CrmActivityWrite> batch, CancellationToken ct)
    {
        lock (_gate) Activities.AddRange(batch);
        return Task.FromResult<IReadOnlyList<CrmWriteResult>>(batch.Select(b => new CrmWriteResult(b.LocalKey, true, CreatedId: $"n-{b.LocalKey}")).ToList());
    }

    public Task EraseAsync(string crmObject, string externalId, CancellationToken ct)
    {
        lock (_gate)
        {
            Erased.Add((crmObject, externalId));
            _records.RemoveAll(r => r.Id == externalId);
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<CrmRecordRef>> ReadWebhookAsync(CrmWebhook hook, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<CrmRecordRef>>(hook.Body.Split(',').Select(id => new CrmRecordRef("contacts", id)).ToList());
}
