namespace GrowthBrain.Leads;

/// <summary>
/// A lead as the CRM knows it. Standard fields are columns; every other imported column is kept
/// in <see cref="CustomFields"/> (a JSON object of strings) so custom CRM fields are never lost.
/// </summary>
public sealed class Lead : GrowthBrain.Accounts.ITeamOwned
{
    public const int ShortText = 256;
    public const int NotesText = 10_000;

    public long Id { get; set; }
    public long TeamId { get; set; }

    /// <summary>The record id in the CRM the lead came from (HubSpot "Record ID", Salesforce "Lead ID", ...).</summary>
    public string? ExternalId { get; set; }

    /// <summary>Lower-cased e-mail, the second key imports match on.</summary>
    public string? EmailNormalized { get; set; }

    /// <summary>Name, company and phone folded together: the last-resort key for rows with no id and no e-mail.</summary>
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

    /// <summary>Lifecycle or pipeline stage as the CRM names it.</summary>
    public string? Stage { get; set; }

    /// <summary>Lead status as the CRM names it.</summary>
    public string? Status { get; set; }

    public LeadOutcome Outcome { get; set; }
    public decimal? DealValue { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? LastActivityAt { get; set; }
    public DateTime? ClosedAt { get; set; }
    public string? Notes { get; set; }

    /// <summary>The ground the team processes this person's data on (GDPR Art. 6).</summary>
    public GrowthBrain.Privacy.LawfulBasis LawfulBasis { get; set; }

    /// <summary>Whether the person agreed to be contacted, when that was recorded and where it came from.</summary>
    public GrowthBrain.Privacy.ConsentStatus ConsentStatus { get; set; }
    public DateTime? ConsentAt { get; set; }

    /// <summary>"import", "web form", a user's e-mail...: where the consent record came from.</summary>
    public string? ConsentSource { get; set; }

    /// <summary>
    /// Set when the person's data was removed (erasure request or retention policy): the row keeps only what the
    /// KPIs need (outcome, dates, source, campaign, stage) and is never matched by an import again.
    /// </summary>
    public DateTime? AnonymisedAt { get; set; }

    /// <summary>Every imported column GrowthBrain has no field for, as a JSON object of strings.</summary>
    public string CustomFields { get; set; } = "{}";

    /// <summary>Hash of the imported content: a re-import with the same hash changes nothing.</summary>
    public long ContentHash { get; set; }

    /// <summary>
    /// The score everyone acts on (the queue, the table, the grade filter): a person's override when there is
    /// one, else the model's. Kept in these columns, not computed, so the queue's index still serves a million leads.
    /// </summary>
    public double? ScoreProbability { get; set; }
    public string? ScoreGrade { get; set; }

    /// <summary>The model's own latest score, recorded beneath an override too (see Scoring/OverrideScore.cs).</summary>
    public double? ModelProbability { get; set; }
    public string? ModelGrade { get; set; }

    /// <summary>The override in force, or null when the model's score stands.</summary>
    public long? ScoreOverrideId { get; set; }
    public long? ScoreModelVersionId { get; set; }
    public DateTime? ScoredAt { get; set; }

    public DateTime ImportedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public string DisplayName =>
        string.Join(' ', new[] { FirstName, LastName }.Where(s => !string.IsNullOrWhiteSpace(s))) is { Length: > 0 } name
            ? name
            : Email ?? ExternalId ?? $"Lead {Id}";
}
