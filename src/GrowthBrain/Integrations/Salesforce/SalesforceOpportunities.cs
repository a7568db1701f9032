using System.Text.Json;

namespace GrowthBrain.Integrations.Salesforce;

/// <summary>One opportunity as far as a lead's or contact's outcome needs it.</summary>
public sealed record SalesforceOpportunity(string Id, bool IsWon, bool IsClosed, string? StageName, DateTimeOffset ModifiedAt);

/// <summary>
/// The opportunity outcome of Leads and Contacts. In Salesforce a lead that turns into business is converted: it
/// stops changing, and the deal lives on as an Opportunity (Lead.ConvertedOpportunityId) whose IsWon and IsClosed
/// say how it ended. A contact's opportunities are those it has a role on (OpportunityContactRole). Each pulled
/// record gets two synthetic properties, <see cref="Status"/> (won, lost, open, or null without an opportunity) and
/// <see cref="Stage"/> (StageName), and its ModifiedAt becomes the later of its own and its opportunities', so the
/// watermark also moves past the opportunity changes it has seen.
/// </summary>
public sealed class SalesforceOpportunities(SalesforceApiClient api)
{
    public const string Status = "opportunity_status";
    public const string Stage = "opportunity_stage";
    public const string ConvertedOpportunity = "ConvertedOpportunityId";
    public static readonly IReadOnlyList<string> Statuses = ["won", "lost", "open"];

    public static bool IsSynthetic(string property) => property is Status or Stage;

    /// <summary>
    /// Adds the outcome to a page of records. For Leads the page was read with <see cref="ConvertedOpportunity"/>
    /// (dropped again from the values unless the mapping asked for it).
    /// </summary>
    public async Task<IReadOnlyList<CrmRecord>> EnrichAsync(SalesforceOptions o, string sobject, IReadOnlyList<CrmRecord> records,
        IReadOnlyList<string> properties, CancellationToken ct)
    {
        if (records.Count == 0) return records;
        var byRecord = sobject == "Lead" ? await OfLeadsAsync(o, records, ct) : await OfContactsAsync(o, records.Select(r => r.Id), ct);
        var keepConverted = properties.Contains(ConvertedOpportunity, StringComparer.OrdinalIgnoreCase);
        return records.Select(r =>
        {
            var opportunities = byRecord.GetValueOrDefault(r.Id) ?? [];
            var values = new Dictionary<string, string?>(r.Properties, StringComparer.Ordinal);
            if (!keepConverted) values.Remove(ConvertedOpportunity);
            var (status, stage) = Outcome(opportunities);
            values[Status] = status;
            values[Stage] = stage;
            var newest = opportunities.Count == 0 ? r.ModifiedAt : opportunities.Max(x => x.ModifiedAt.UtcDateTime);
            return r with { ModifiedAt = newest > r.ModifiedAt ? newest : r.ModifiedAt, Properties = values };
        }).ToList();
    }

    /// <summary>Won if any is won, lost if all are closed and none won, else open; the stage of the latest open one (else of the latest).</summary>
    public static (string? Status, string? Stage) Outcome(IReadOnlyList<SalesforceOpportunity> opportunities)
    {
        if (opportunities.Count == 0) return (null, null);
        var status = opportunities.Any(x => x.IsWon) ? "won" : opportunities.All(x => x.IsClosed) ? "lost" : "open";
        var shown = opportunities.Where(x => !x.IsClosed).MaxBy(x => x.ModifiedAt) ?? opportunities.MaxBy(x => x.ModifiedAt)!;
        return (status, shown.StageName);
    }

    private async Task<Dictionary<string, List<SalesforceOpportunity>>> OfLeadsAsync(SalesforceOptions o, IReadOnlyList<CrmRecord> leads, CancellationToken ct)
    {
        var converted = leads.Where(l => l.Properties.GetValueOrDefault(ConvertedOpportunity) is not null)
            .ToDictionary(l => l.Id, l => l.Properties[ConvertedOpportunity]!);
        var found = new Dictionary<string, SalesforceOpportunity>(StringComparer.Ordinal);
        foreach (var chunk in converted.Values.Distinct().Chunk(SalesforcePuller.MaxIds))
            foreach (var row in await QueryAllAsync(o, "SELECT Id, IsWon, IsClosed, StageName, LastModifiedDate FROM Opportunity " +
                                                       $"WHERE Id IN ({string.Join(", ", chunk.Select(SalesforcePuller.Literal))})", ct))
                if (Read(row.Answer, row.Record) is { } x) found[x.Id] = x;
        // An opportunity deleted since the conversion (or hidden from the connected user) leaves the lead without an outcome.
        return converted.Where(c => found.ContainsKey(c.Value)).ToDictionary(c => c.Key, c => new List<SalesforceOpportunity> { found[c.Value] });
    }

    private async Task<Dictionary<string, List<SalesforceOpportunity>>> OfContactsAsync(SalesforceOptions o, IEnumerable<string> contactIds, CancellationToken ct)
    {
        var byContact = new Dictionary<string, List<SalesforceOpportunity>>(StringComparer.Ordinal);
        foreach (var chunk in contactIds.Distinct().Chunk(SalesforcePuller.MaxIds))
        {
            var soql = "SELECT ContactId, Opportunity.Id, Opportunity.IsWon, Opportunity.IsClosed, Opportunity.StageName, Opportunity.LastModifiedDate " +
                       $"FROM OpportunityContactRole WHERE ContactId IN ({string.Join(", ", chunk.Select(SalesforcePuller.Literal))})";
            foreach (var (answer, role) in await QueryAllAsync(o, soql, ct))
            {
                var contact = SalesforceDescribe.Text(role, "ContactId") ?? throw answer.Malformed("an OpportunityContactRole has no ContactId");
                if (!role.TryGetProperty("Opportunity", out var opportunity) || Read(answer, opportunity) is not { } x) continue;
                var list = byContact.TryGetValue(contact, out var l) ? l : byContact[contact] = [];
                // A contact may hold several roles on one opportunity.
                if (!list.Any(y => y.Id == x.Id)) list.Add(x);
            }
        }
        return byContact;
    }

    /// <summary>The ids of Leads converted into, or Contacts with a role on, these opportunities.</summary>
    public async Task<IReadOnlyList<string>> RecordsOfAsync(SalesforceOptions o, string sobject, IReadOnlyList<string> opportunityIds, CancellationToken ct)
    {
        var ids = new List<string>();
        foreach (var chunk in opportunityIds.Chunk(SalesforcePuller.MaxIds))
        {
            var list = string.Join(", ", chunk.Select(SalesforcePuller.Literal));
            var (field, soql) = sobject == "Lead"
                ? ("Id", $"SELECT Id FROM Lead WHERE {ConvertedOpportunity} IN ({list})")
                : ("ContactId", $"SELECT ContactId FROM OpportunityContactRole WHERE OpportunityId IN ({list})");
            foreach (var (answer, row) in await QueryAllAsync(o, soql, ct))
                ids.Add(SalesforceDescribe.Text(row, field) ?? throw answer.Malformed($"a row has no {field}"));
        }
        return ids.Distinct().ToList();
    }

    /// <summary>Every row of a query, following nextRecordsUrl (these queries are small: a few hundred ids' worth).</summary>
    private async Task<List<(SalesforceAnswer Answer, JsonElement Record)>> QueryAllAsync(SalesforceOptions o, string soql, CancellationToken ct)
    {
        var rows = new List<(SalesforceAnswer, JsonElement)>();
        string? path = $"{SalesforceApiClient.Data(o)}/query?q={Uri.EscapeDataString(soql)}";
        while (path is not null)
        {
            var answer = await api.SendAsync(o, HttpMethod.Get, path, null, ct);
            if (!answer.IsSuccess) throw Refused(answer);
            var body = answer.Require(JsonValueKind.Object);
            if (!body.TryGetProperty("records", out var records) || records.ValueKind != JsonValueKind.Array) throw answer.Malformed("no records[] array");
            rows.AddRange(records.EnumerateArray().Select(r => (answer, r)));
            path = body.TryGetProperty("done", out var done) && done.ValueKind == JsonValueKind.False
                ? SalesforceDescribe.Text(body, "nextRecordsUrl") ?? throw answer.Malformed("done is false but nextRecordsUrl is missing")
                : null;
        }
        return rows;
    }

    private static SalesforceOpportunity? Read(SalesforceAnswer answer, JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object) return null;
        var id = SalesforceDescribe.Text(e, "Id") ?? throw answer.Malformed("an opportunity has no Id");
        var modified = SalesforceRecordReader.ParseDateTime(SalesforceDescribe.Text(e, SalesforceRecordReader.ModifiedField))
                       ?? throw answer.Malformed($"opportunity {id} has no readable {SalesforceRecordReader.ModifiedField}");
        return new SalesforceOpportunity(id, Flag(e, "IsWon"), Flag(e, "IsClosed"), SalesforceDescribe.Text(e, "StageName"), modified);
    }

    private static bool Flag(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    internal static CrmException Refused(SalesforceAnswer a) => a.Code is "INVALID_TYPE" or "INSUFFICIENT_ACCESS" or "INVALID_FIELD"
        ? new CrmException($"Salesforce refused to read opportunities ({a.Code}: {a.Message}): the user GrowthBrain connects as needs read access to " +
                           "Opportunities and Opportunity Contact Roles for the won and lost outcome. Grant it, or map opportunity_status and " +
                           "opportunity_stage to Ignore on the Integrations page.", status: a.Status)
        : SalesforceApiClient.Refused(a);
}
