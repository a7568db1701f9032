namespace GrowthBrain.Leads;

/// <summary>Where a lead ended up. Only closed leads (Won or Lost) teach the scoring model.</summary>
public enum LeadOutcome
{
    Open = 0,
    Won = 1,
    Lost = 2,
}
