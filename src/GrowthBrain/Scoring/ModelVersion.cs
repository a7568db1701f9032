using GrowthBrain.Accounts;
using GrowthBrain.Leads;

namespace GrowthBrain.Scoring;

public enum ModelStatus
{
    /// <summary>Trained and evaluated, not scoring leads.</summary>
    Candidate = 0,
    /// <summary>The one model scoring this team's leads.</summary>
    Active = 1,
    /// <summary>Was active once; kept so a rollback can bring it back.</summary>
    Retired = 2,
}

/// <summary>A trained scorer with what it was trained on and how it did: scores always name their version.</summary>
public sealed class ModelVersion : GrowthBrain.Accounts.ITeamOwned
{
    public long Id { get; set; }
    public long TeamId { get; set; }
    /// <summary>1, 2, 3... per team, as people say it ("version 4").</summary>
    public int Number { get; set; }
    public ModelStatus Status { get; set; }
    public required string Kind { get; set; }
    public required string Description { get; set; }
    public bool IsColdStart { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? PromotedAt { get; set; }
    public string? PromotedBy { get; set; }
    public string? PromotionNote { get; set; }
    /// <summary>Creation dates of the oldest and newest lead learned from.</summary>
    public DateTime? TrainedFrom { get; set; }
    public DateTime? TrainedTo { get; set; }
    public int TrainingRows { get; set; }
    public int HoldoutRows { get; set; }
    public double? HoldoutRocAuc { get; set; }
    public double? HoldoutLogLoss { get; set; }
    /// <summary>The training and evaluation reports (JSON), shown by the CLI, the API and the model page.</summary>
    public required string Report { get; set; }
    /// <summary>The feature schema (JSON), for reading without loading the model.</summary>
    public required string FeatureSchema { get; set; }
    public required byte[] Model { get; set; }

    public string Label => $"v{Number}";
}

internal sealed class ModelVersionConfiguration : IEntityTypeConfiguration<ModelVersion>
{
    public void Configure(EntityTypeBuilder<ModelVersion> e)
    {
        e.ToTable("model_versions");
        e.Property(m => m.Kind).HasMaxLength(32);
        e.Property(m => m.Description).HasMaxLength(1000);
        e.Property(m => m.PromotedBy).HasMaxLength(Lead.ShortText);
        e.Property(m => m.PromotionNote).HasMaxLength(1000);
        e.Ignore(m => m.Label);
        e.HasIndex(m => new { m.TeamId, m.Number }).IsUnique();
        e.HasIndex(m => new { m.TeamId, m.Status });
        // Only one active model per team, even when two instances promote at the same moment.
        e.HasIndex(m => m.TeamId).IsUnique().HasFilter("status = 1").HasDatabaseName("IX_model_versions_one_active");
        e.HasOne<Team>().WithMany().HasForeignKey(m => m.TeamId).OnDelete(DeleteBehavior.Restrict);
    }
}
