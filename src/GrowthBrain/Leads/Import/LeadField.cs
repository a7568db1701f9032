namespace GrowthBrain.Leads.Import;

/// <summary>What an imported column means to GrowthBrain. Anything unrecognised becomes a custom field.</summary>
public enum LeadField
{
    Custom,
    Ignore,
    ExternalId,
    FirstName,
    LastName,
    FullName,
    Email,
    Phone,
    Company,
    JobTitle,
    Industry,
    CompanySize,
    AnnualRevenue,
    Country,
    City,
    Source,
    Campaign,
    Owner,
    Stage,
    Status,
    Outcome,
    DealValue,
    CreatedAt,
    LastActivityAt,
    ClosedAt,
    /// <summary>A "won"/"converted" date: sets the close date and says the lead was won.</summary>
    WonAt,
    /// <summary>A "lost" date: sets the close date and says the lead was lost.</summary>
    LostAt,
    Notes,
    /// <summary>Consent to be contacted (yes/no, opted in/out, granted/withdrawn).</summary>
    Consent,
    /// <summary>GDPR lawful basis: consent, legitimate interest, contract.</summary>
    LawfulBasis,
    /// <summary>When consent was given or withdrawn.</summary>
    ConsentAt,
}
