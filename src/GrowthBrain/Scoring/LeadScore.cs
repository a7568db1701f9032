using GrowthBrain.Leads;

namespace GrowthBrain.Scoring;

/// <summary>One score a lead was given: the history behind the score chart and the audit of every AI score.</summary>
public sealed class LeadScore : GrowthBrain.Accounts.ITeamOwned
{
    public long Id { get; set; }
    public long TeamId { get; set; }
    public long LeadId { get; set; }
    public long ModelVersionId { get; set; }
    public double Probability { get; set; }
    public required string Grade { get; set; }
    public DateTime ScoredAt { get; set; }
    /// <summary>batch, activity, api or demo: why the lead was scored.</summary>
    public required string Trigger { get; set; }
}

internal sealed class LeadScoreConfiguration : IEntityTypeConfiguration<LeadScore>
{
    public void Configure(EntityTypeBuilder<LeadScore> e)
    {
        e.ToTable("lead_scores");
        e.Property(s => s.Grade).HasMaxLength(2);
        e.Property(s => s.Trigger).HasMaxLength(16);
        e.HasIndex(s => new { s.LeadId, s.ScoredAt });
        e.HasOne<Lead>().WithMany().HasForeignKey(s => s.LeadId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<ModelVersion>().WithMany().HasForeignKey(s => s.ModelVersionId).OnDelete(DeleteBehavior.Restrict);
    }
}
