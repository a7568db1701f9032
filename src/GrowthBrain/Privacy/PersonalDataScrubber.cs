using System.Text.RegularExpressions;
using GrowthBrain.Data;
using GrowthBrain.Leads;

namespace GrowthBrain.Privacy;

/// <summary>What one scrub removed, per table.</summary>
public sealed record ScrubCounts(int Leads, int Activities, int CrmLinks, int AuditEntries, IReadOnlyList<PendingCrmErasure> PendingCrmErasures)
{
    public static readonly ScrubCounts None = new(0, 0, 0, 0, []);
}

/// <summary>
/// Removes the personal data of some leads, table by table, and keeps what the KPIs need. Shared by
/// erasure (a person asked) and retention (the team's policy). One step per table, in the order below;
/// a new table holding a person's data is one more step here.
/// </summary>
/// <remarks>
/// Kept on purpose, because once the lead row is anonymous they describe no one:
/// the lead's outcome, deal value, dates, source, campaign, stage, status, owner (the team's rep, not the person),
/// industry, company size, revenue band and country (so conversion, cycle and pipeline KPIs don't change);
/// activity types and times (activity counts and recency); and the whole score history (probability, grade, time,
/// model version): a number between 0 and 1 tied to an anonymous row is an aggregate, not personal data.
/// </remarks>
internal static class PersonalDataScrubber
{
    public const string Erased = "[erased]";

    /// <param name="emailHash">The erased address's hash when the person asked (links to their CRMs are then queued
    /// for erasure there); null for retention, which anonymises GrowthBrain's copy only.</param>
    public static async Task<ScrubCounts> ScrubAsync(GrowthBrainDb db, IReadOnlyList<long> leadIds, string? emailHash, DateTime now, CancellationToken ct)
    {
        if (leadIds.Count == 0) return ScrubCounts.None;
        var leadKeys = leadIds.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var activityIds = await db.Activities.IgnoreQueryFilters().Where(a => leadIds.Contains(a.LeadId)).Select(a => a.Id).ToListAsync(ct);
        // What a sync wrote into the CRM about the person: approved follow-ups became notes there, call steps tasks.
        var draftIds = await db.FollowUpDrafts.IgnoreQueryFilters().Where(d => leadIds.Contains(d.LeadId)).Select(d => d.Id).ToListAsync(ct);
        var taskIds = await db.LeadTasks.IgnoreQueryFilters().Where(t => leadIds.Contains(t.LeadId)).Select(t => t.Id).ToListAsync(ct);

        // What to look for in free text elsewhere (audit details), read before the lead rows forget it.
        var terms = await db.Leads.IgnoreQueryFilters().Where(l => leadIds.Contains(l.Id))
            .Select(l => new { l.Email, l.FirstName, l.LastName, l.Phone, l.ExternalId }).ToListAsync(ct);

        // 1. Audit entries: the detail text of entries about these leads, and of any entry naming the person.
        //    Retention looks only at entries about the leads: searching the whole log for each of thousands of names
        //    would take hours, and entries name leads by id (see AuditEntry.Detail), so a mention elsewhere is a slip.
        var auditEntries = await AuditEntriesScrub.RewriteAsync(db, leadKeys,
            terms.SelectMany(t => new[] { t.Email, Join(t.FirstName, t.LastName), t.FirstName, t.LastName, t.Phone, t.ExternalId }),
            searchMentions: emailHash is not null, ct);

        // 2. CRM links: a link would let the next sync fill the anonymous row again. When the person asked, each link to a
        //    connected CRM becomes a pending erasure there (the CRM's record id is all it keeps); csv "links" have no CRM to tell.
        var links = await db.CrmLinks.IgnoreQueryFilters()
            .Where(c => c.RecordKind == "lead" && leadIds.Contains(c.LocalId) || c.RecordKind == "activity" && activityIds.Contains(c.LocalId)
                || c.RecordKind == "note" && draftIds.Contains(c.LocalId) || c.RecordKind == "task" && taskIds.Contains(c.LocalId))
            .ToListAsync(ct);
        var pending = new List<PendingCrmErasure>();
        if (emailHash is not null)
        {
            foreach (var link in links.Where(l => l.Crm != "csv"))
            {
                var p = new PendingCrmErasure
                {
                    TeamId = link.TeamId, Crm = link.Crm, RecordKind = link.RecordKind, CrmObject = link.CrmObject, ExternalId = link.ExternalId,
                    EmailHash = emailHash, RequestedAt = now,
                };
                db.PendingCrmErasures.Add(p);
                pending.Add(p);
            }
        }
        db.CrmLinks.RemoveRange(links);
        await db.SaveChangesAsync(ct);

        // 3. Activities: subjects are free text about the person ("Call with Ada about her renewal") and external ids point at them.
        var activities = await db.Activities.IgnoreQueryFilters().Where(a => leadIds.Contains(a.LeadId))
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Subject, (string?)null).SetProperty(a => a.ExternalId, (string?)null), ct);

        // 4. Leads: every field that names, reaches or describes the person; the keys too, so no import can match the row again.
        var leads = await db.Leads.IgnoreQueryFilters().Where(l => leadIds.Contains(l.Id))
            .ExecuteUpdateAsync(s => s
                .SetProperty(l => l.FirstName, (string?)null)
                .SetProperty(l => l.LastName, (string?)null)
                .SetProperty(l => l.Email, (string?)null)
                .SetProperty(l => l.EmailNormalized, (string?)null)
                .SetProperty(l => l.NameKey, (string?)null)
                .SetProperty(l => l.Phone, (string?)null)
                // A small company's name can point at one person; industry, size and country stay for the segment KPIs.
                .SetProperty(l => l.Company, (string?)null)
                .SetProperty(l => l.JobTitle, (string?)null)
                .SetProperty(l => l.City, (string?)null)
                .SetProperty(l => l.Notes, (string?)null)
                .SetProperty(l => l.CustomFields, "{}")
                // The CRM record id identifies the person in the CRM; a pending CRM erasure keeps it where it is still needed.
                .SetProperty(l => l.ExternalId, (string?)null)
                .SetProperty(l => l.ConsentSource, (string?)null)
                .SetProperty(l => l.ContentHash, 0L)
                .SetProperty(l => l.AnonymisedAt, now)
                .SetProperty(l => l.UpdatedAt, now), ct);

        // 5. Score history (lead_scores): kept as it is, see the remarks above.
        // 6. Drafts and sends (follow_up_drafts): the text written to the person, the writer's original, the edit diff and
        //    free-text reasons go; status, writer, rating and times stay, so reply rates per writer and playbook still add up.
        await db.FollowUpDrafts.IgnoreQueryFilters().Where(d => leadIds.Contains(d.LeadId))
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Subject, "[erased]")
                .SetProperty(d => d.Body, "[erased]")
                .SetProperty(d => d.CallToAction, "")
                .SetProperty(d => d.OriginalSubject, "[erased]")
                .SetProperty(d => d.OriginalBody, "[erased]")
                .SetProperty(d => d.EditDiff, (string?)null)
                .SetProperty(d => d.Violations, "[]")
                .SetProperty(d => d.RejectionReason, (string?)null)
                .SetProperty(d => d.RatingComment, (string?)null)
                .SetProperty(d => d.Error, (string?)null), ct);

        // 7. Score overrides: the reasons people typed are free text about the person; grade, times and who stay.
        await db.ScoreOverrides.IgnoreQueryFilters().Where(o => leadIds.Contains(o.LeadId))
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Reason, "[erased]").SetProperty(o => o.ClearReason, o => o.ClearReason == null ? null : "[erased]"), ct);
        return new ScrubCounts(leads, activities, links.Count, auditEntries, pending);
    }

    private static string? Join(string? first, string? last) => first is null || last is null ? null : first + " " + last;
}

/// <summary>Rewrites the detail text of audit entries that name a person; the entries themselves stay (who did what, when).</summary>
internal static class AuditEntriesScrub
{
    public static async Task<int> RewriteAsync(GrowthBrainDb db, IReadOnlyList<string> leadKeys, IEnumerable<string?> terms, bool searchMentions, CancellationToken ct)
    {
        // Longest first, so "Ada Lovelace" is replaced whole before "Ada"; two-letter fragments would hit unrelated words.
        var words = terms.Where(t => t is { Length: >= 3 }).Select(t => t!.Trim()).Where(t => t.Length >= 3)
            .Distinct(StringComparer.OrdinalIgnoreCase).OrderByDescending(t => t.Length).ToList();
        var lowered = words.Select(w => w.ToLowerInvariant()).ToList();
        // Entries about the leads, plus any entry whose detail contains the address, the full name or the phone.
        var mentions = !searchMentions ? [] : lowered.Where(w => w.Contains('@') || w.Contains(' ') || w.Any(char.IsDigit)).ToList();
        var candidates = await db.AuditEntries.Where(a => a.Detail != null && a.SubjectKind == "lead" && leadKeys.Contains(a.SubjectId!)).ToListAsync(ct);
        foreach (var m in mentions)
        {
            candidates.AddRange(await db.AuditEntries.Where(a => a.Detail != null && a.Detail.ToLower().Contains(m)).ToListAsync(ct));
        }
        if (words.Count == 0) return 0;
        var pattern = new Regex(string.Join('|', words.Select(Regex.Escape)), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        var rewritten = 0;
        foreach (var entry in candidates.DistinctBy(a => a.Id))
        {
            var detail = pattern.Replace(entry.Detail!, PersonalDataScrubber.Erased);
            if (detail == entry.Detail) continue;
            entry.Detail = detail;
            rewritten++;
        }
        await db.SaveChangesAsync(ct);
        return rewritten;
    }
}
