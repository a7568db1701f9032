using GrowthBrain.Accounts;

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

internal sealed class LeadConfiguration : IEntityTypeConfiguration<Lead>
{
    public void Configure(EntityTypeBuilder<Lead> e)
    {
        e.ToTable("leads");
        foreach (var p in new[] { nameof(Lead.ExternalId), nameof(Lead.EmailNormalized), nameof(Lead.NameKey),
                     nameof(Lead.FirstName), nameof(Lead.LastName), nameof(Lead.Email), nameof(Lead.Phone),
                     nameof(Lead.Company), nameof(Lead.JobTitle), nameof(Lead.Industry), nameof(Lead.Country),
                     nameof(Lead.City), nameof(Lead.Source), nameof(Lead.Campaign), nameof(Lead.Owner),
                     nameof(Lead.Stage), nameof(Lead.Status), nameof(Lead.ConsentSource) })
        {
            e.Property(p).HasMaxLength(Lead.ShortText);
        }
        e.Property(l => l.Notes).HasMaxLength(Lead.NotesText);
        e.Property(l => l.AnnualRevenue).HasPrecision(18, 2);
        e.Property(l => l.DealValue).HasPrecision(18, 2);
        e.Ignore(l => l.DisplayName);
        // The import merge looks leads up by each of these keys, in this order.
        e.HasIndex(l => new { l.TeamId, l.ExternalId });
        e.HasIndex(l => new { l.TeamId, l.EmailNormalized });
        e.HasIndex(l => new { l.TeamId, l.NameKey });
        e.HasIndex(l => new { l.TeamId, l.CreatedAt });
        e.Property(l => l.ScoreGrade).HasMaxLength(2);
        e.Property(l => l.ModelGrade).HasMaxLength(2);
        // The "call next" queue: open leads by score, fast at a million leads.
        e.HasIndex(l => new { l.TeamId, l.Outcome, l.ScoreProbability });
        // Lead health's oldest stale leads: open leads by last activity, read from the front.
        e.HasIndex(l => new { l.TeamId, l.Outcome, l.LastActivityAt });
        // The team page counts leads closed in the part of its first and last day that the aggregates cannot split.
        e.HasIndex(l => new { l.TeamId, l.ClosedAt });
        e.HasOne<Team>().WithMany().HasForeignKey(l => l.TeamId).OnDelete(DeleteBehavior.Restrict);
    }
}
