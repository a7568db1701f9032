namespace GrowthBrain.Accounts;

/// <summary>A sales team: the unit that owns leads, playbooks and settings.</summary>
public sealed class Team
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public DateTime CreatedAt { get; set; }
}
