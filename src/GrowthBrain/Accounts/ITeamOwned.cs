namespace GrowthBrain.Accounts;

/// <summary>
/// Marks a row that belongs to one team. GrowthBrainDb gives every such entity a query filter on the
/// teams the signed-in user may see, so isolation lives in one place instead of in every query.
/// </summary>
public interface ITeamOwned
{
    long TeamId { get; }
}
