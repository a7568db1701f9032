using GrowthBrain.Leads;

namespace GrowthBrain.Integrations;

/// <summary>
/// Maps a GrowthBrain record to its id in a connected CRM, so sync can update instead of duplicate
/// and write scores back to the right record. One row per (team, CRM, kind, external id).
/// </summary>
public sealed class CrmLink : GrowthBrain.Accounts.ITeamOwned
{
    public long Id { get; set; }
    public long TeamId { get; set; }

    /// <summary>hubspot, zoho, salesforce, pipedrive or csv.</summary>
    public required string Crm { get; set; }

    /// <summary>lead or activity.</summary>
    public required string RecordKind { get; set; }

    public long LocalId { get; set; }
    public required string ExternalId { get; set; }
    public DateTime? LastSyncedAt { get; set; }
}

internal sealed class CrmLinkConfiguration : IEntityTypeConfiguration<CrmLink>
{
    public void Configure(EntityTypeBuilder<CrmLink> e)
    {
        e.ToTable("crm_links");
        e.Property(c => c.Crm).HasMaxLength(32);
        e.Property(c => c.RecordKind).HasMaxLength(32);
        e.Property(c => c.ExternalId).HasMaxLength(Lead.ShortText);
        e.HasIndex(c => new { c.TeamId, c.Crm, c.RecordKind, c.ExternalId }).IsUnique();
        e.HasIndex(c => new { c.RecordKind, c.LocalId });
    }
}
