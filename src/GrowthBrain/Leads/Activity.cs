namespace GrowthBrain.Leads;

/// <summary>One touch with a lead: an e-mail event, call, meeting, page view, form or note.</summary>
public sealed class Activity : GrowthBrain.Accounts.ITeamOwned
{
    public long Id { get; set; }
    public long TeamId { get; set; }
    public long LeadId { get; set; }
    public ActivityType Type { get; set; }
    public DateTime OccurredAt { get; set; }
    public string? Subject { get; set; }
    public string? ExternalId { get; set; }
}
