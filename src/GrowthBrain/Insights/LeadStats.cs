using GrowthBrain.Leads;

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

/// <summary>
/// Closed leads per day of closing and outcome, with the sum of their sales-cycle days and of its squares (the
/// overview's confidence interval for the average cycle needs the spread, not only the mean).
/// </summary>
public sealed class ClosedLeadDay : GrowthBrain.Accounts.ITeamOwned
{
    public long TeamId { get; set; }
    public int Day { get; set; }
    public GrowthBrain.Leads.LeadOutcome Outcome { get; set; }
    public long Leads { get; set; }
    public long CycleDays { get; set; }
    public long CycleDaysSquared { get; set; }
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

/// <summary>
/// One row per scored lead, kept by triggers on lead_scores: the lead's latest score (<see cref="ToProbability"/>,
/// scored on <see cref="Day"/>) against its score before the seven whole days ending that day (the last score
/// before day − 6, or its first score when it has none that old). <see cref="Change"/> is the absolute difference, so
/// the overview's "biggest movers of the last seven days" are the first rows of each of seven days in the
/// (team, day, change) index, however many leads a full rescoring moved.
/// </summary>
public sealed class LeadScoreMove : GrowthBrain.Accounts.ITeamOwned
{
    public long LeadId { get; set; }
    public long TeamId { get; set; }
    public int Day { get; set; }
    public double FromProbability { get; set; }
    public double ToProbability { get; set; }
    public double Change { get; set; }
    public DateTime ScoredAt { get; set; }
}

/// <summary>
/// Leads per source, campaign or owner (<see cref="Dimension"/>) and whole days from creation to close
/// (<see cref="NotClosed"/> for open leads and closed ones without a close date), with their outcomes and score sums:
/// the sources page and the team page's workload without reading a lead. <see cref="Named"/> is 0 for leads without
/// a value (Name is then empty), so a missing source stays apart from any text. Scores are summed in millionths so
/// that adding and taking away never drifts (the scoring writer rounds probabilities to six places already).
/// </summary>
public sealed class LeadGroupStat : GrowthBrain.Accounts.ITeamOwned
{
    public const int Source = 1, Campaign = 2, Owner = 3;
    public const int NotClosed = -1;

    public long TeamId { get; set; }
    public int Dimension { get; set; }
    public int Named { get; set; }
    public string Name { get; set; } = "";
    public int Days { get; set; }
    public long Leads { get; set; }
    public long Won { get; set; }
    public long Lost { get; set; }
    public long Scored { get; set; }
    public long ScoreMicros { get; set; }
    /// <summary>Leads graded A or B.</summary>
    public long TopGraded { get; set; }
}

/// <summary>Leads per owner and day they were created (<see cref="Created"/>), won or lost (the outcome's number).</summary>
public sealed class OwnerLeadDay : GrowthBrain.Accounts.ITeamOwned
{
    public const int Created = 0;

    public long TeamId { get; set; }
    public int Named { get; set; }
    public string Owner { get; set; } = "";
    public int Kind { get; set; }
    public int Day { get; set; }
    public long Leads { get; set; }
}

/// <summary>E-mails sent and replies per owner of their lead, type and day (only activities of the lead's own team count).</summary>
public sealed class OwnerActivityDay : GrowthBrain.Accounts.ITeamOwned
{
    public long TeamId { get; set; }
    public int Named { get; set; }
    public string Owner { get; set; } = "";
    public GrowthBrain.Leads.ActivityType Type { get; set; }
    public int Day { get; set; }
    public long Activities { get; set; }
}

/// <summary>
/// A lead's first outbound touch (e-mail sent, call or meeting) at or after its creation, with the lead's team, owner
/// and creation time copied beside it and kept in step by triggers: the team page's first-response medians read
/// the leads created in the period from one narrow index instead of joining every lead with its activities.
/// </summary>
public sealed class LeadFirstResponse : GrowthBrain.Accounts.ITeamOwned
{
    public long LeadId { get; set; }
    public long TeamId { get; set; }
    public DateTime CreatedAt { get; set; }
    public string? Owner { get; set; }
    public DateTime FirstAt { get; set; }
    /// <summary>Whole hours from creation to the first touch, as the team page has always counted them.</summary>
    public int Hours { get; set; }
}

// The aggregates of LeadStats.cs, kept by the triggers of LeadStatsTriggers: each key is what the triggers upsert on,
// so a key changed here is a trigger to change there (and its version to bump).

internal sealed class TeamLeadCountConfiguration : IEntityTypeConfiguration<TeamLeadCount>
{
    public void Configure(EntityTypeBuilder<TeamLeadCount> e)
    {
        e.ToTable("team_lead_counts");
        e.HasKey(c => c.TeamId);
        e.Property(c => c.TeamId).ValueGeneratedNever();
    }
}

internal sealed class ClosedLeadDayConfiguration : IEntityTypeConfiguration<ClosedLeadDay>
{
    public void Configure(EntityTypeBuilder<ClosedLeadDay> e)
    {
        e.ToTable("closed_lead_days");
        e.HasKey(c => new { c.TeamId, c.Day, c.Outcome });
    }
}

internal sealed class WonCycleMonthConfiguration : IEntityTypeConfiguration<WonCycleMonth>
{
    public void Configure(EntityTypeBuilder<WonCycleMonth> e)
    {
        e.ToTable("won_cycle_months");
        e.HasKey(c => new { c.TeamId, c.Month, c.CycleDays });
    }
}

internal sealed class OpenLeadStageConfiguration : IEntityTypeConfiguration<OpenLeadStage>
{
    public void Configure(EntityTypeBuilder<OpenLeadStage> e)
    {
        e.ToTable("open_lead_stages");
        e.HasKey(c => new { c.TeamId, c.Stage, c.ActivityDay });
        e.Property(c => c.Stage).HasMaxLength(Lead.ShortText);
    }
}

internal sealed class LeadScoreMoveConfiguration : IEntityTypeConfiguration<LeadScoreMove>
{
    public void Configure(EntityTypeBuilder<LeadScoreMove> e)
    {
        e.ToTable("lead_score_moves");
        e.HasKey(m => m.LeadId);
        e.Property(m => m.LeadId).ValueGeneratedNever();
        // The overview reads the biggest changes of each of the last seven days from the front of this index.
        e.HasIndex(m => new { m.TeamId, m.Day, m.Change, m.LeadId }).IsDescending(false, false, true, false);
    }
}

internal sealed class LeadGroupStatConfiguration : IEntityTypeConfiguration<LeadGroupStat>
{
    public void Configure(EntityTypeBuilder<LeadGroupStat> e)
    {
        e.ToTable("lead_group_stats");
        e.HasKey(g => new { g.TeamId, g.Dimension, g.Named, g.Name, g.Days });
        e.Property(g => g.Name).HasMaxLength(Lead.ShortText);
    }
}

internal sealed class OwnerLeadDayConfiguration : IEntityTypeConfiguration<OwnerLeadDay>
{
    public void Configure(EntityTypeBuilder<OwnerLeadDay> e)
    {
        e.ToTable("owner_lead_days");
        e.HasKey(o => new { o.TeamId, o.Kind, o.Day, o.Named, o.Owner });
        e.Property(o => o.Owner).HasMaxLength(Lead.ShortText);
    }
}

internal sealed class LeadFirstResponseConfiguration : IEntityTypeConfiguration<LeadFirstResponse>
{
    public void Configure(EntityTypeBuilder<LeadFirstResponse> e)
    {
        e.ToTable("lead_first_responses");
        e.HasKey(f => f.LeadId);
        e.Property(f => f.LeadId).ValueGeneratedNever();
        e.Property(f => f.Owner).HasMaxLength(Lead.ShortText);
        // Covers the team page's query: leads created in the period, grouped by owner and hours, from the index alone.
        e.HasIndex(f => new { f.TeamId, f.CreatedAt, f.Owner, f.Hours });
        e.HasOne<Lead>().WithMany().HasForeignKey(f => f.LeadId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class OwnerActivityDayConfiguration : IEntityTypeConfiguration<OwnerActivityDay>
{
    public void Configure(EntityTypeBuilder<OwnerActivityDay> e)
    {
        e.ToTable("owner_activity_days");
        e.HasKey(o => new { o.TeamId, o.Type, o.Day, o.Named, o.Owner });
        e.Property(o => o.Owner).HasMaxLength(Lead.ShortText);
    }
}
