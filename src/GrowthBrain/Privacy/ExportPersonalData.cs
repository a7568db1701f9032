using System.Text.Json;
using GrowthBrain.Audit;
using GrowthBrain.Data;
using GrowthBrain.Leads;

namespace GrowthBrain.Privacy;

/// <param name="Actor">Who asked: a user's e-mail, "cli", "api-key:NAME".</param>
public sealed record ExportPersonalData(string Email, string Actor);

/// <summary>Everything GrowthBrain holds about one person (GDPR Art. 15 and 20), across every team.</summary>
public sealed record PersonalDataExport(string Email, DateTime ExportedAt, IReadOnlyList<SuppressionExport> Suppressions,
    IReadOnlyList<LeadExport> Leads, IReadOnlyList<AuditEntryExport> AuditEntries, IReadOnlyList<PendingCrmErasureView> PendingCrmErasures)
{
    public bool NothingHeld => Leads.Count == 0 && Suppressions.Count == 0 && AuditEntries.Count == 0 && PendingCrmErasures.Count == 0;
}

public sealed record SuppressionExport(long? TeamId, string Reason, DateTime CreatedAt, string? Source);

public sealed record LeadExport(long Id, long TeamId, string? Team, string? ExternalId, string? FirstName, string? LastName, string? Email,
    string? Phone, string? Company, string? JobTitle, string? Industry, int? CompanySize, decimal? AnnualRevenue, string? Country,
    string? City, string? Source, string? Campaign, string? Owner, string? Stage, string? Status, string Outcome, decimal? DealValue,
    DateTime CreatedAt, DateTime? LastActivityAt, DateTime? ClosedAt, string? Notes, IReadOnlyDictionary<string, string> CustomFields,
    string LawfulBasis, string ConsentStatus, DateTime? ConsentAt, string? ConsentSource,
    double? ScoreProbability, string? ScoreGrade, DateTime? ScoredAt, DateTime ImportedAt, DateTime UpdatedAt,
    IReadOnlyList<ActivityExport> Activities, IReadOnlyList<ScoreExport> Scores, IReadOnlyList<CrmLinkExport> CrmLinks);

public sealed record ActivityExport(long Id, string Type, DateTime OccurredAt, string? Subject, string? ExternalId);

/// <param name="ModelVersion">The team's model version number ("version 4"), with its kind: which model said it.</param>
public sealed record ScoreExport(DateTime ScoredAt, double Probability, string Grade, string Trigger, int? ModelVersion, string? ModelKind);

public sealed record CrmLinkExport(string Crm, string RecordKind, long LocalId, string ExternalId, DateTime? LastSyncedAt);

public sealed record AuditEntryExport(long Id, long? TeamId, DateTime At, string Actor, string Action, string? SubjectKind, string? SubjectId, string? Detail);

/// <summary>
/// Gathers everything held about a person, found by e-mail address in every team: lead rows with custom
/// fields and consent, activities, score history with the model versions that scored, CRM links,
/// suppression entries and audit entries about their leads. The export itself is audited.
/// </summary>
public sealed class ExportPersonalDataHandler(GrowthBrainDb db, AuditLog audit, TimeProvider clock)
{
    public async Task<PersonalDataExport> HandleAsync(ExportPersonalData request, CancellationToken ct)
    {
        var email = PersonAddress.Normalize(request.Email);
        var hash = Suppression.HashEmail(email);

        // Every team: the person's right of access covers the whole installation. (Team query filters must not hide rows here.)
        var leads = await db.Leads.IgnoreQueryFilters().AsNoTracking().Where(l => l.EmailNormalized == email).OrderBy(l => l.Id).ToListAsync(ct);
        var ids = leads.Select(l => l.Id).ToList();
        var keys = ids.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var teamIds = leads.Select(l => l.TeamId).Distinct().ToList();
        var teams = await db.Teams.AsNoTracking().Where(t => teamIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Name, ct);
        var activities = (await db.Activities.IgnoreQueryFilters().AsNoTracking().Where(a => ids.Contains(a.LeadId)).ToListAsync(ct))
            .OrderBy(a => a.OccurredAt).ThenBy(a => a.Id).ToLookup(a => a.LeadId);
        var scores = (await (from s in db.LeadScores.IgnoreQueryFilters().AsNoTracking().Where(s => ids.Contains(s.LeadId))
                             join m in db.ModelVersions.IgnoreQueryFilters() on s.ModelVersionId equals m.Id into models
                             from m in models.DefaultIfEmpty()
                             select new { s, Number = (int?)m.Number, Kind = m.Kind }).ToListAsync(ct))
            .OrderBy(x => x.s.ScoredAt).ThenBy(x => x.s.Id).ToLookup(x => x.s.LeadId);
        var leadOfActivity = activities.SelectMany(g => g).ToDictionary(a => a.Id, a => a.LeadId);
        var activityIds = leadOfActivity.Keys.ToList();
        var links = (await db.CrmLinks.IgnoreQueryFilters().AsNoTracking()
                .Where(c => c.RecordKind == "lead" && ids.Contains(c.LocalId) || c.RecordKind == "activity" && activityIds.Contains(c.LocalId))
                .ToListAsync(ct))
            .ToLookup(c => c.RecordKind == "lead" ? c.LocalId : leadOfActivity[c.LocalId]);

        var suppressions = await db.Suppressions.AsNoTracking().Where(s => s.EmailHash == hash).OrderBy(s => s.Id)
            .Select(s => new SuppressionExport(s.TeamId, s.Reason.ToString(), s.CreatedAt, s.Source)).ToListAsync(ct);
        var auditEntries = await db.AuditEntries.AsNoTracking()
            .Where(a => a.SubjectKind == "lead" && keys.Contains(a.SubjectId!) || a.SubjectKind == "person" && a.SubjectId == hash
                        || a.Detail != null && a.Detail.ToLower().Contains(email))
            .OrderBy(a => a.Id)
            .Select(a => new AuditEntryExport(a.Id, a.TeamId, a.At, a.Actor, a.Action, a.SubjectKind, a.SubjectId, a.Detail)).ToListAsync(ct);
        var pending = await db.PendingCrmErasures.IgnoreQueryFilters().AsNoTracking().Where(p => p.EmailHash == hash).OrderBy(p => p.Id)
            .Select(p => new PendingCrmErasureView(p.TeamId, p.Crm, p.RecordKind, p.ExternalId, p.LastError)).ToListAsync(ct);

        var export = new PersonalDataExport(email, clock.GetUtcNow().UtcDateTime, suppressions,
            leads.Select(l => ToExport(l, teams.GetValueOrDefault(l.TeamId), activities[l.Id],
                scores[l.Id].Select(x => new ScoreExport(x.s.ScoredAt, x.s.Probability, x.s.Grade, x.s.Trigger, x.Number, x.Kind)),
                links[l.Id])).ToList(),
            auditEntries, pending);

        // One entry per team that holds the person, so each team's owners see that their data was handed out;
        // the hash, never the address, names the person in the log.
        var detail = $"{export.Leads.Count} lead(s), {export.Leads.Sum(l => l.Activities.Count)} activities, " +
                     $"{export.Leads.Sum(l => l.Scores.Count)} scores, {auditEntries.Count} audit entries";
        if (teamIds.Count == 0) audit.Add(db, request.Actor, "privacy.exported", null, "person", hash, detail);
        foreach (var teamId in teamIds) audit.Add(db, request.Actor, "privacy.exported", teamId, "person", hash, detail);
        await db.SaveChangesAsync(ct);
        return export;
    }

    private static LeadExport ToExport(Lead l, string? team, IEnumerable<Activity> activities, IEnumerable<ScoreExport> scores,
        IEnumerable<GrowthBrain.Integrations.CrmLink> links) =>
        new(l.Id, l.TeamId, team, l.ExternalId, l.FirstName, l.LastName, l.Email, l.Phone, l.Company, l.JobTitle, l.Industry,
            l.CompanySize, l.AnnualRevenue, l.Country, l.City, l.Source, l.Campaign, l.Owner, l.Stage, l.Status, l.Outcome.ToString(),
            l.DealValue, l.CreatedAt, l.LastActivityAt, l.ClosedAt, l.Notes, CustomFieldsOf(l.CustomFields),
            l.LawfulBasis.ToString(), l.ConsentStatus.ToString(), l.ConsentAt, l.ConsentSource,
            l.ScoreProbability, l.ScoreGrade, l.ScoredAt, l.ImportedAt, l.UpdatedAt,
            activities.Select(a => new ActivityExport(a.Id, a.Type.ToString(), a.OccurredAt, a.Subject, a.ExternalId)).ToList(),
            scores.ToList(),
            links.Select(c => new CrmLinkExport(c.Crm, c.RecordKind, c.LocalId, c.ExternalId, c.LastSyncedAt)).ToList());

    private static Dictionary<string, string> CustomFieldsOf(string json)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(json)) return fields;
        using var doc = JsonDocument.Parse(json);
        if (doc.RootElement.ValueKind != JsonValueKind.Object) return fields;
        foreach (var p in doc.RootElement.EnumerateObject())
        {
            fields[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
        }
        return fields;
    }
}
