namespace GrowthBrain.Insights;

// Aggregates of the leads table kept up to date by database triggers (see LeadStatsSql and
// docs/adr/0011-dashboard-aggregates-in-triggers.md), so the overview and the leads page read a few hundred
// rows instead of scanning a million leads. Days are whole UTC days since 1970-01-01; a sales cycle is the whole
// days from creation to close (never negative). RebuildLeadStats recomputes every row from the leads.

/// <summary>How many leads a team has (the leads page's total when nothing is filtered).</summary>
public sealed class TeamLeadCount : GrowthBrain.Accounts.ITeamOwned
{
    public long TeamId { get; set; }
    public long Leads { get; set; }
}

/// <summary>Closed leads per day of closing and outcome, with the sum of their sales-cycle days.</summary>
public sealed class ClosedLeadDay : GrowthBrain.Accounts.ITeamOwned
{
    public long TeamId { get; set; }
    public int Day { get; set; }
    public GrowthBrain.Leads.LeadOutcome Outcome { get; set; }
    public long Leads { get; set; }
    public long CycleDays { get; set; }
}

/// <summary>Won leads per month of closing (year × 12 + month − 1) and whole sales-cycle days: the monthly median's histogram.</summary>
public sealed class WonCycleMonth : GrowthBrain.Accounts.ITeamOwned
{
    public long TeamId { get; set; }
    public int Month { get; set; }
    public int CycleDays { get; set; }
    public long Leads { get; set; }
}

/// <summary>Open leads per stage and day of their last activity (<see cref="NoActivity"/> when none was recorded).</summary>
public sealed class OpenLeadStage : GrowthBrain.Accounts.ITeamOwned
{
    public const int NoActivity = -1;

    public long TeamId { get; set; }
    public string Stage { get; set; } = "";
    public int ActivityDay { get; set; }
    public long Leads { get; set; }
}
