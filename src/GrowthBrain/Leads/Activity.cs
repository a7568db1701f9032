using GrowthBrain.Accounts;

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

internal sealed class ActivityConfiguration : IEntityTypeConfiguration<Activity>
{
    public void Configure(EntityTypeBuilder<Activity> e)
    {
        e.ToTable("activities");
        e.Property(a => a.Subject).HasMaxLength(Lead.ShortText);
        e.Property(a => a.ExternalId).HasMaxLength(Lead.ShortText);
        e.HasIndex(a => new { a.LeadId, a.OccurredAt });
        e.HasIndex(a => new { a.TeamId, a.OccurredAt });
        // The team page counts e-mails sent and replies in a period without reading every other kind of touch.
        e.HasIndex(a => new { a.TeamId, a.Type, a.OccurredAt });
        e.HasOne<Lead>().WithMany().HasForeignKey(a => a.LeadId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<Team>().WithMany().HasForeignKey(a => a.TeamId).OnDelete(DeleteBehavior.Restrict);
    }
}
