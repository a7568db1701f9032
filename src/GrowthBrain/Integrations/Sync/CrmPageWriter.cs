using System.Text.Json.Nodes;
using GrowthBrain.Leads;
using GrowthBrain.Leads.Import;
using GrowthBrain.Privacy;
using GrowthBrain.Data;

namespace GrowthBrain.Integrations.Sync;

public readonly record struct PageCounts(int Pulled, int Created, int Updated, int Unchanged, int Failed)
{
    public static PageCounts operator +(PageCounts a, PageCounts b) =>
        new(a.Pulled + b.Pulled, a.Created + b.Created, a.Updated + b.Updated, a.Unchanged + b.Unchanged, a.Failed + b.Failed);
}

/// <summary>
/// Applies one page of CRM records to leads, through the link table: a record already linked updates its lead (its
/// e-mail may have changed in the CRM; the link, not the address, says which lead it is); a new record takes over an
/// unlinked lead with the same e-mail once, else becomes a new lead. Only mapped fields are written, and only when
/// the record's values changed since the last pull. Nothing is saved here: the caller commits the page together with
/// the cursor, so a sync killed mid-way resumes at a page boundary with nothing half-written.
/// </summary>
internal sealed class CrmPageWriter(GrowthBrainDb db, string crm, long teamId, IReadOnlySet<string> erasedEmailHashes, DateTime now)
{
    public async Task<PageCounts> ApplyAsync(string crmObject, IReadOnlyList<CrmRecord> page, CrmRecordParser parser, int firstRow, CancellationToken ct)
    {
        var counts = new PageCounts(page.Count, 0, 0, 0, 0);
        var rows = new List<(CrmRecord Record, ImportedLead Lead)>();
        var row = firstRow;
        // The same record twice in one page (a restarted search repeats its boundary): the later copy is the newer.
        foreach (var record in page.GroupBy(r => r.Id).Select(g => g.Last()))
        {
            var parsed = parser.Parse(record, row++);
            if (parsed.Lead is null)
            {
                await FailAsync(crmObject, record.Id, parsed.Error ?? "could not be read", ct);
                counts = counts with { Failed = counts.Failed + 1 };
                continue;
            }
            rows.Add((record, parsed.Lead));
        }

        var ids = rows.Select(r => r.Record.Id).ToList();
        var links = await db.CrmLinks.Where(l => l.TeamId == teamId && l.Crm == crm && l.RecordKind == "lead" && ids.Contains(l.ExternalId))
            .ToDictionaryAsync(l => l.ExternalId, ct);
        var linkedIds = links.Values.Select(l => l.LocalId).ToList();
        var leads = await db.Leads.Where(l => linkedIds.Contains(l.Id)).ToDictionaryAsync(l => l.Id, ct);

        var emails = rows.Where(r => !links.ContainsKey(r.Record.Id) && r.Lead.EmailNormalized is not null)
            .Select(r => r.Lead.EmailNormalized!).Distinct().ToList();
        var byEmail = await UnlinkedLeadsByEmailAsync(emails, ct);

        var succeeded = new List<string>();
        var newLinks = new List<(CrmLink Link, Lead Lead)>();
        foreach (var (record, imported) in rows)
        {
            if (imported.EmailNormalized is { } email && erasedEmailHashes.Count > 0 && erasedEmailHashes.Contains(Suppression.HashEmail(email)))
            {
                // Erased at the person's request: they must not come back, whatever the CRM still holds.
                counts = counts with { Unchanged = counts.Unchanged + 1 };
                succeeded.Add(record.Id);
                continue;
            }
            if (links.TryGetValue(record.Id, out var link) && leads.TryGetValue(link.LocalId, out var lead))
            {
                if (link.PulledHash == imported.ContentHash || lead.AnonymisedAt is not null)
                {
                    counts = counts with { Unchanged = counts.Unchanged + 1 };
                }
                else
                {
                    Apply(imported, lead, parser.Fields);
                    counts = counts with { Updated = counts.Updated + 1 };
                }
            }
            else
            {
                if (link is not null) db.CrmLinks.Remove(link); // its lead was deleted here: link the record afresh
                var existing = imported.EmailNormalized is { } e && byEmail.Remove(e, out var found) ? found : null;
                if (existing is not null)
                {
                    Apply(imported, existing, parser.Fields);
                    counts = counts with { Updated = counts.Updated + 1 };
                    lead = existing;
                }
                else
                {
                    lead = new Lead { TeamId = teamId, ExternalId = record.Id, CreatedAt = imported.CreatedAt ?? record.ModifiedAt, ImportedAt = now };
                    Apply(imported, lead, parser.Fields);
                    db.Leads.Add(lead);
                    counts = counts with { Created = counts.Created + 1 };
                }
                link = new CrmLink { TeamId = teamId, Crm = crm, RecordKind = "lead", CrmObject = crmObject, ExternalId = record.Id };
                newLinks.Add((link, lead));
            }
            link.PulledHash = imported.ContentHash;
            link.LastSyncedAt = now;
            succeeded.Add(record.Id);
        }
        if (newLinks.Count > 0)
        {
            // New leads get their ids on save (inside the caller's transaction); their links need them.
            await db.SaveChangesAsync(ct);
            foreach (var (link, lead) in newLinks)
            {
                link.LocalId = lead.Id;
                db.CrmLinks.Add(link);
            }
        }
        await SyncFailures.ClearAsync(db, crm, CrmSyncDirection.Pull, succeeded, ct);
        return counts;
    }

    /// <summary>
    /// Stops tracking the saved leads, links and failures of pages (or chunks) already done. The sync's context lives for
    /// the whole sync, and each save looks at every tracked entity: kept, they made a 100,000-record sync quadratic and
    /// held every lead in memory. Only unchanged entries go, so nothing unsaved is lost; the run and state rows stay.
    /// </summary>
    public static void ForgetSaved(GrowthBrainDb db)
    {
        foreach (var entry in db.ChangeTracker.Entries().Where(e => e.State == EntityState.Unchanged && e.Entity is Lead or CrmLink or CrmSyncFailure).ToList())
            entry.State = EntityState.Detached;
    }

    /// <summary>Leads with these addresses that no record of this CRM is linked to yet: each is taken over at most once.</summary>
    private async Task<Dictionary<string, Lead>> UnlinkedLeadsByEmailAsync(List<string> emails, CancellationToken ct)
    {
        if (emails.Count == 0) return [];
        var candidates = await db.Leads.Where(l => l.TeamId == teamId && l.EmailNormalized != null && emails.Contains(l.EmailNormalized) && l.AnonymisedAt == null)
            .OrderBy(l => l.Id).ToListAsync(ct);
        var candidateIds = candidates.Select(l => l.Id).ToList();
        var taken = (await db.CrmLinks.Where(l => l.Crm == crm && l.RecordKind == "lead" && candidateIds.Contains(l.LocalId))
            .Select(l => l.LocalId).ToListAsync(ct)).ToHashSet();
        var byEmail = new Dictionary<string, Lead>(StringComparer.Ordinal);
        foreach (var l in candidates.Where(l => !taken.Contains(l.Id))) byEmail.TryAdd(l.EmailNormalized!, l);
        return byEmail;
    }

    private Task FailAsync(string crmObject, string recordId, string error, CancellationToken ct) =>
        SyncFailures.RecordAsync(db, teamId, crm, CrmSyncDirection.Pull, crmObject, recordId, null, error, now, ct);

    /// <summary>Writes the mapped fields onto the lead; fields the mapping leaves out keep what the lead had.</summary>
    private void Apply(ImportedLead from, Lead to, IReadOnlySet<LeadField> fields)
    {
        bool Has(LeadField f) => fields.Contains(f);
        if (Has(LeadField.FirstName) || Has(LeadField.FullName)) to.FirstName = from.FirstName;
        if (Has(LeadField.LastName) || Has(LeadField.FullName)) to.LastName = from.LastName;
        if (Has(LeadField.Email)) (to.Email, to.EmailNormalized) = (from.Email, from.EmailNormalized);
        if (Has(LeadField.Phone)) to.Phone = from.Phone;
        if (Has(LeadField.Company)) to.Company = from.Company;
        if (Has(LeadField.JobTitle)) to.JobTitle = from.JobTitle;
        if (Has(LeadField.Industry)) to.Industry = from.Industry;
        if (Has(LeadField.CompanySize)) to.CompanySize = from.CompanySize;
        if (Has(LeadField.AnnualRevenue)) to.AnnualRevenue = from.AnnualRevenue;
        if (Has(LeadField.Country)) to.Country = from.Country;
        if (Has(LeadField.City)) to.City = from.City;
        if (Has(LeadField.Source)) to.Source = from.Source;
        if (Has(LeadField.Campaign)) to.Campaign = from.Campaign;
        if (Has(LeadField.Owner)) to.Owner = from.Owner;
        if (Has(LeadField.Stage)) to.Stage = from.Stage;
        if (Has(LeadField.Status)) to.Status = from.Status;
        if (Has(LeadField.DealValue)) to.DealValue = from.DealValue;
        if (Has(LeadField.LastActivityAt)) to.LastActivityAt = from.LastActivityAt;
        if (Has(LeadField.Notes)) to.Notes = from.Notes;
        if (Has(LeadField.CreatedAt) && from.CreatedAt is { } created) to.CreatedAt = created;
        if (Has(LeadField.Consent)) (to.ConsentStatus, to.ConsentAt, to.ConsentSource) = (from.ConsentStatus, from.ConsentAt, crm);
        if (Has(LeadField.LawfulBasis)) to.LawfulBasis = from.LawfulBasis;
        // The outcome is the CRM's whenever the mapping can tell it; an open record reopens a lead closed by mistake there.
        to.Outcome = from.Outcome;
        to.ClosedAt = from.Outcome == LeadOutcome.Open ? null : from.ClosedAt ?? to.ClosedAt ?? now;
        if (Has(LeadField.Custom)) to.CustomFields = MergeCustom(to.CustomFields, from.CustomFields, fields);
        to.ContentHash = from.ContentHash;
        to.UpdatedAt = now;
    }

    /// <summary>The CRM's custom properties replace their own keys only: columns a CSV import added stay.</summary>
    private static string MergeCustom(string existing, string pulled, IReadOnlySet<LeadField> _)
    {
        if (existing is "{}" or "") return pulled;
        var target = JsonNode.Parse(existing) as JsonObject ?? [];
        var source = JsonNode.Parse(pulled) as JsonObject ?? [];
        foreach (var (key, value) in source) target[key] = value?.DeepClone();
        return target.ToJsonString();
    }
}
