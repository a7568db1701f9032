using GrowthBrain.Leads;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GrowthBrain.Sequences;

internal sealed class SequenceStepRunConfiguration : IEntityTypeConfiguration<SequenceStepRun>
{
    public void Configure(EntityTypeBuilder<SequenceStepRun> e)
    {
        e.ToTable("sequence_step_runs");
        e.Property(r => r.ClaimedBy).HasMaxLength(Lead.ShortText);
        e.Property(r => r.Error).HasMaxLength(1000);
        // The claim: one run per step of an enrolment, whichever instance gets there first. By step id, not
        // position, so a step moved or re-added by an edit is not run twice for a lead.
        e.HasIndex(r => new { r.EnrolmentId, r.StepId }).IsUnique();
        e.HasIndex(r => r.DraftId);
        e.HasOne<SequenceEnrolment>().WithMany().HasForeignKey(r => r.EnrolmentId).OnDelete(DeleteBehavior.Cascade);
    }
}
