using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using GrowthBrain.Data;

namespace GrowthBrain.Privacy;

/// <summary>A data-subject export as files: JSON (the whole object) or a zip with one CSV per table.</summary>
public static class PersonalDataFiles
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>One CSV per table, UTF-8 with BOM so spreadsheets read accents, every cell neutralised against formula injection.</summary>
    public static async Task WriteZipAsync(PersonalDataExport export, Stream output, CancellationToken ct)
    {
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        await Table(zip, "leads.csv",
            ["id", "team_id", "team", "external_id", "first_name", "last_name", "email", "phone", "company", "job_title", "industry",
             "company_size", "annual_revenue", "country", "city", "source", "campaign", "owner", "stage", "status", "outcome", "deal_value",
             "created_at", "last_activity_at", "closed_at", "notes", "lawful_basis", "consent_status", "consent_at", "consent_source",
             "score_probability", "score_grade", "scored_at", "imported_at", "updated_at"],
            export.Leads.Select(l => new[]
            {
                N(l.Id), N(l.TeamId), l.Team, l.ExternalId, l.FirstName, l.LastName, l.Email, l.Phone, l.Company, l.JobTitle, l.Industry,
                N(l.CompanySize), N(l.AnnualRevenue), l.Country, l.City, l.Source, l.Campaign, l.Owner, l.Stage, l.Status, l.Outcome, N(l.DealValue),
                D(l.CreatedAt), D(l.LastActivityAt), D(l.ClosedAt), l.Notes, l.LawfulBasis, l.ConsentStatus, D(l.ConsentAt), l.ConsentSource,
                N(l.ScoreProbability), l.ScoreGrade, D(l.ScoredAt), D(l.ImportedAt), D(l.UpdatedAt),
            }), ct);
        await Table(zip, "custom_fields.csv", ["lead_id", "field", "value"],
            export.Leads.SelectMany(l => l.CustomFields.Select(f => new[] { N(l.Id), f.Key, f.Value })), ct);
        await Table(zip, "activities.csv", ["lead_id", "id", "type", "occurred_at", "subject", "external_id"],
            export.Leads.SelectMany(l => l.Activities.Select(a => new[] { N(l.Id), N(a.Id), a.Type, D(a.OccurredAt), a.Subject, a.ExternalId })), ct);
        await Table(zip, "lead_scores.csv", ["lead_id", "scored_at", "probability", "grade", "trigger", "model_version", "model_kind"],
            export.Leads.SelectMany(l => l.Scores.Select(s => new[] { N(l.Id), D(s.ScoredAt), N(s.Probability), s.Grade, s.Trigger, N(s.ModelVersion), s.ModelKind })), ct);
        await Table(zip, "crm_links.csv", ["lead_id", "crm", "record_kind", "local_id", "external_id", "last_synced_at"],
            export.Leads.SelectMany(l => l.CrmLinks.Select(c => new[] { N(l.Id), c.Crm, c.RecordKind, N(c.LocalId), c.ExternalId, D(c.LastSyncedAt) })), ct);
        await Table(zip, "suppressions.csv", ["team_id", "reason", "created_at", "source"],
            export.Suppressions.Select(s => new[] { N(s.TeamId), s.Reason, D(s.CreatedAt), s.Source }), ct);
        await Table(zip, "audit_entries.csv", ["id", "team_id", "at", "actor", "action", "subject_kind", "subject_id", "detail"],
            export.AuditEntries.Select(a => new[] { N(a.Id), N(a.TeamId), D(a.At), a.Actor, a.Action, a.SubjectKind, a.SubjectId, a.Detail }), ct);
        await Table(zip, "pending_crm_erasures.csv", ["team_id", "crm", "record_kind", "external_id", "status"],
            export.PendingCrmErasures.Select(p => new[] { N(p.TeamId), p.Crm, p.RecordKind, p.ExternalId, p.Status }), ct);
    }

    private static async Task Table(ZipArchive zip, string name, string[] header, IEnumerable<string?[]> rows, CancellationToken ct)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        await using var stream = entry.Open();
        // RFC 4180 line ends, which every spreadsheet reads.
        await using var writer = new StreamWriter(stream, new UTF8Encoding(true)) { NewLine = "\r\n" };
        await writer.WriteLineAsync(CsvText.Line(header).AsMemory(), ct);
        foreach (var row in rows) await writer.WriteLineAsync(CsvText.Line(row).AsMemory(), ct);
    }

    private static string? N<T>(T? value) where T : struct, IFormattable => value?.ToString(null, CultureInfo.InvariantCulture);
    private static string? N<T>(T value) where T : struct, IFormattable => value.ToString(null, CultureInfo.InvariantCulture);
    private static string? D(DateTime? value) => value?.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
