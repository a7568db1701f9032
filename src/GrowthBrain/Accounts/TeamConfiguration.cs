using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GrowthBrain.Accounts;

// The team filter (a person sees only their teams) needs the context's scope, so it is set in GrowthBrainDb.
internal sealed class TeamConfiguration : IEntityTypeConfiguration<Team>
{
    public void Configure(EntityTypeBuilder<Team> e)
    {
        e.ToTable("teams");
        e.Property(t => t.Name).HasMaxLength(Leads.Lead.ShortText);
    }
}
