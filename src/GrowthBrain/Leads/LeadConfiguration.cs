using GrowthBrain.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GrowthBrain.Leads;

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
