using GrowthBrain.Accounts;
using GrowthBrain.Leads;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GrowthBrain.Sequences;

internal sealed class SequenceEnrolmentConfiguration : IEntityTypeConfiguration<SequenceEnrolment>
{
    public void Configure(EntityTypeBuilder<SequenceEnrolment> e)
    {
        e.ToTable("sequence_enrolments");
        e.Property(x => x.EnrolledBy).HasMaxLength(Lead.ShortText);
        e.Property(x => x.StoppedBy).HasMaxLength(Lead.ShortText);
        e.Property(x => x.Note).HasMaxLength(1000);
        e.Ignore(x => x.Live);
        // The runner's question every few seconds: which active enrolments are due?
        e.HasIndex(x => new { x.Status, x.NextDueAt });
        e.HasIndex(x => x.LeadId);
        e.HasOne<Lead>().WithMany().HasForeignKey(x => x.LeadId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<Sequence>().WithMany().HasForeignKey(x => x.SequenceId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Team>().WithMany().HasForeignKey(x => x.TeamId).OnDelete(DeleteBehavior.Restrict);
    }
}
