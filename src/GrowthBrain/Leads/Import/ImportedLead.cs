namespace GrowthBrain.Leads.Import;

/// <summary>A row of an import that passed validation, ready for the bulk writer.</summary>
public sealed class ImportedLead
{
    public int RowNumber { get; init; }
    public string? ExternalId { get; set; }
    public string? EmailNormalized { get; set; }
    public string? NameKey { get; set; }
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public string? Company { get; set; }
    public string? JobTitle { get; set; }
    public string? Industry { get; set; }
    public int? CompanySize { get; set; }
    public decimal? AnnualRevenue { get; set; }
    public string? Country { get; set; }
    public string? City { get; set; }
    public string? Source { get; set; }
    public string? Campaign { get; set; }
    public string? Owner { get; set; }
    public string? Stage { get; set; }
    public string? Status { get; set; }
    public LeadOutcome Outcome { get; set; }
    public decimal? DealValue { get; set; }
    public DateTime? CreatedAt { get; set; }
    public DateTime? LastActivityAt { get; set; }
    public DateTime? ClosedAt { get; set; }
    public string? Notes { get; set; }
    public string CustomFields { get; set; } = "{}";
    public GrowthBrain.Privacy.ConsentStatus ConsentStatus { get; set; }
    public GrowthBrain.Privacy.LawfulBasis LawfulBasis { get; set; }
    public DateTime? ConsentAt { get; set; }
    public string? ConsentSource { get; set; }
    public long ContentHash { get; set; }

    /// <summary>One of this row's keys appeared on an earlier row of the same file: it may update that lead.</summary>
    public bool SeenBefore { get; set; }
}
