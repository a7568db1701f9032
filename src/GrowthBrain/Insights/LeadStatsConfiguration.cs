using GrowthBrain.Leads;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GrowthBrain.Insights;

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
