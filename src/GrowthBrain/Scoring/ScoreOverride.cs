using GrowthBrain.Leads;

namespace GrowthBrain.Scoring;

/// <summary>
/// A person's grade for a lead in place of the model's, with why. Every override is kept, including cleared
/// ones, so the lead page can show who decided what and when.
/// </summary>
public sealed class ScoreOverride : GrowthBrain.Accounts.ITeamOwned
{
    public const int ReasonLength = 1000;

    public long Id { get; set; }
    public long TeamId { get; set; }
    public long LeadId { get; set; }
    public required string Grade { get; set; }
    /// <summary>The probability the person gave, or null when they only gave a grade.</summary>
    public double? Probability { get; set; }
    /// <summary>What the queue ranks the lead by while the override stands (see OverrideScoreHandler).</summary>
    public double RankProbability { get; set; }
    public required string Reason { get; set; }
    public required string SetBy { get; set; }
    public DateTime SetAt { get; set; }
    /// <summary>The model's score when the override was set, so the page can show what was overruled.</summary>
    public double? ModelProbability { get; set; }
    public string? ModelGrade { get; set; }
    public DateTime? ClearedAt { get; set; }
    public string? ClearedBy { get; set; }
    public string? ClearReason { get; set; }
}

internal sealed class ScoreOverrideConfiguration : IEntityTypeConfiguration<ScoreOverride>
{
    public void Configure(EntityTypeBuilder<ScoreOverride> e)
    {
        e.ToTable("score_overrides");
        e.Property(o => o.Grade).HasMaxLength(2);
        e.Property(o => o.Reason).HasMaxLength(ScoreOverride.ReasonLength);
        e.Property(o => o.SetBy).HasMaxLength(Lead.ShortText);
        e.Property(o => o.ClearedBy).HasMaxLength(Lead.ShortText);
        e.Property(o => o.ClearReason).HasMaxLength(ScoreOverride.ReasonLength);
        e.HasIndex(o => new { o.LeadId, o.SetAt });
        e.HasOne<Lead>().WithMany().HasForeignKey(o => o.LeadId).OnDelete(DeleteBehavior.Cascade);
    }
}
