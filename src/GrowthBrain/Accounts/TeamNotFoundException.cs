using GrowthBrain.Errors;

namespace GrowthBrain.Accounts;

/// <summary>The team asked for does not exist or is not one of the caller's.</summary>
public sealed class TeamNotFoundException(long teamId)
    : DomainException($"There is no team {teamId} of yours; GET /api/account lists your teams.", ErrorKind.NotFound, "No such team");
