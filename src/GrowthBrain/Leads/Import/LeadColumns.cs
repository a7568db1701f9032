using GrowthBrain.Data;

namespace GrowthBrain.Leads.Import;

/// <summary>A `leads` column the bulk writers fill, typed so each provider can write it without boxing.</summary>
internal sealed record LeadColumn(string Name, StagingType Type, LeadField[] From,
    Func<ImportedLead, string?>? Text = null, Func<ImportedLead, long?>? Integer = null,
    Func<ImportedLead, decimal?>? Money = null, Func<ImportedLead, DateTime?>? Date = null, bool KeepWhenEmpty = false)
{
    public object? Value(ImportedLead l) => Type switch
    {
        StagingType.Text => Text!(l),
        StagingType.Int => Integer!(l) is { } n ? (int)n : null,
        StagingType.Long => Integer!(l),
        StagingType.Decimal => Money!(l),
        _ => Date!(l),
    };
}

/// <summary>
/// The columns of `leads` an import writes, and which imported fields each comes from: a column whose
/// fields are not in the file is left alone on update, so a partial export can't wipe data.
/// </summary>
internal static class LeadColumns
{
    private static LeadColumn T(string name, Func<ImportedLead, string?> get, params LeadField[] from) => new(name, StagingType.Text, from, Text: get);

    public static readonly LeadColumn[] All =
    [
        // A lead's CRM record id never legitimately disappears: an empty cell keeps the one stored.
        new("external_id", StagingType.Text, [LeadField.ExternalId], Text: l => l.ExternalId, KeepWhenEmpty: true),
        T("email_normalized", l => l.EmailNormalized, LeadField.Email),
        T("name_key", l => l.NameKey, LeadField.FirstName, LeadField.LastName, LeadField.FullName, LeadField.Email, LeadField.ExternalId),
        T("first_name", l => l.FirstName, LeadField.FirstName, LeadField.FullName),
        T("last_name", l => l.LastName, LeadField.LastName, LeadField.FullName),
        T("email", l => l.Email, LeadField.Email),
        T("phone", l => l.Phone, LeadField.Phone),
        T("company", l => l.Company, LeadField.Company),
        T("job_title", l => l.JobTitle, LeadField.JobTitle),
        T("industry", l => l.Industry, LeadField.Industry),
        new("company_size", StagingType.Int, [LeadField.CompanySize], Integer: l => l.CompanySize),
        new("annual_revenue", StagingType.Decimal, [LeadField.AnnualRevenue], Money: l => l.AnnualRevenue),
        T("country", l => l.Country, LeadField.Country),
        T("city", l => l.City, LeadField.City),
        T("source", l => l.Source, LeadField.Source),
        T("campaign", l => l.Campaign, LeadField.Campaign),
        T("owner", l => l.Owner, LeadField.Owner),
        T("stage", l => l.Stage, LeadField.Stage),
        T("status", l => l.Status, LeadField.Status),
        new("outcome", StagingType.Int, [LeadField.Outcome, LeadField.Stage, LeadField.Status, LeadField.WonAt, LeadField.LostAt], Integer: l => (int)l.Outcome),
        new("deal_value", StagingType.Decimal, [LeadField.DealValue], Money: l => l.DealValue),
        new("created_at", StagingType.DateTime, [LeadField.CreatedAt], Date: l => l.CreatedAt),
        new("last_activity_at", StagingType.DateTime, [LeadField.LastActivityAt], Date: l => l.LastActivityAt),
        new("closed_at", StagingType.DateTime, [LeadField.ClosedAt, LeadField.WonAt, LeadField.LostAt], Date: l => l.ClosedAt),
        T("notes", l => l.Notes, LeadField.Notes),
        // An empty consent cell in a file that has the column means the CRM doesn't know (any more): like every
        // other field, the export is the source of truth for what it carries.
        new("consent_status", StagingType.Int, [LeadField.Consent], Integer: l => (int)l.ConsentStatus),
        new("lawful_basis", StagingType.Int, [LeadField.LawfulBasis], Integer: l => (int)l.LawfulBasis),
        new("consent_at", StagingType.DateTime, [LeadField.ConsentAt], Date: l => l.ConsentAt),
        T("consent_source", l => l.ConsentSource, LeadField.Consent, LeadField.LawfulBasis, LeadField.ConsentAt),
        T("custom_fields", l => l.CustomFields),
        new("content_hash", StagingType.Long, [], Integer: l => l.ContentHash),
    ];

    /// <summary>Columns an update sets: those whose fields the file has (custom fields and hash are merged separately).</summary>
    public static IReadOnlyList<LeadColumn> Updated(IReadOnlySet<LeadField> present) =>
        All.Where(c => c.From.Length > 0 && c.From.Any(present.Contains)).ToList();
}
