using GrowthBrain.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GrowthBrain.Live;

internal sealed class TeamChangeConfiguration : IEntityTypeConfiguration<TeamChange>
{
    public void Configure(EntityTypeBuilder<TeamChange> e)
    {
        e.ToTable("team_changes");
        e.HasKey(c => c.TeamId);
        e.Property(c => c.TeamId).ValueGeneratedNever();
        e.Property(c => c.What).HasMaxLength(ChangeMarker.WhatLength);
        e.HasOne<Team>().WithMany().HasForeignKey(c => c.TeamId).OnDelete(DeleteBehavior.Cascade);
    }
}
