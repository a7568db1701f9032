using GrowthBrain.Leads;

namespace GrowthBrain.Synthetic;

/// <summary>
/// One generated CRM lead with its whole history. All dates are UTC. <see cref="Outcome"/> is the
/// label a scoring model learns; <c>ClosedAt</c>, <c>DealValue</c>, <c>Stage</c> and <c>Status</c>
/// reveal it and the custom fields "Gender" and "Age" are protected attributes: a model must not use them.
/// </summary>
public sealed record SyntheticLead(
    string ExternalId,
    string? FirstName,
    string? LastName,
    string? Email,
    string? Phone,
    string? Company,
    string? JobTitle,
    string? Industry,
    int? CompanySize,
    decimal? AnnualRevenue,
    string? Country,
    string? Source,
    string? Campaign,
    string? Owner,
    string? Stage,
    string? Status,
    LeadOutcome Outcome,
    decimal? DealValue,
    DateTime CreatedAt,
    DateTime? LastActivityAt,
    DateTime? ClosedAt,
    string? Notes,
    IReadOnlyDictionary<string, string> CustomFields,
    IReadOnlyList<SyntheticActivity> Activities);

/// <summary>A touch in a lead's history; <paramref name="OccurredAt"/> is UTC.</summary>
public sealed record SyntheticActivity(ActivityType Type, DateTime OccurredAt, string? Subject);
