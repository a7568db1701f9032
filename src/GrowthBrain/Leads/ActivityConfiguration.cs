using GrowthBrain.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GrowthBrain.Leads;

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
