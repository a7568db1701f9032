using GrowthBrain.Accounts;
using GrowthBrain.Leads;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GrowthBrain.FollowUps;

internal sealed class FollowUpDraftConfiguration : IEntityTypeConfiguration<FollowUpDraft>
{
    public void Configure(EntityTypeBuilder<FollowUpDraft> e)
    {
        e.ToTable("follow_up_drafts");
        foreach (var p in new[] { nameof(FollowUpDraft.Writer), nameof(FollowUpDraft.Subject), nameof(FollowUpDraft.OriginalSubject),
                     nameof(FollowUpDraft.CreatedBy), nameof(FollowUpDraft.EditedBy), nameof(FollowUpDraft.ApprovedBy), nameof(FollowUpDraft.RejectedBy),
                     nameof(FollowUpDraft.RatedBy), nameof(FollowUpDraft.SentBy), nameof(FollowUpDraft.MessageId), nameof(FollowUpDraft.Mailbox) })
        {
            e.Property(p).HasMaxLength(Lead.ShortText);
        }
        e.Property(d => d.Language).HasMaxLength(8);
        e.Property(d => d.CallToAction).HasMaxLength(1000);
        e.Property(d => d.RejectionReason).HasMaxLength(1000);
        e.Property(d => d.RatingComment).HasMaxLength(1000);
        e.Property(d => d.Error).HasMaxLength(2000);
        e.Ignore(d => d.ViolationList);
        e.Ignore(d => d.Edited);
        // The approval queue (by state), the lead page (by lead) and the daily cap (per mailbox since midnight).
        e.HasIndex(d => new { d.TeamId, d.Status });
        e.HasIndex(d => d.LeadId);
        e.HasIndex(d => new { d.Mailbox, d.SendStartedAt });
        e.HasOne<Lead>().WithMany().HasForeignKey(d => d.LeadId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<Team>().WithMany().HasForeignKey(d => d.TeamId).OnDelete(DeleteBehavior.Restrict);
    }
}
