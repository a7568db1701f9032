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

    /// <summary>lead, or for what GrowthBrain wrote into the CRM: note (an approved follow-up) or task (a call step).</summary>
    public required string RecordKind { get; set; }

    /// <summary>The CRM's object the record is (contacts, Leads, Contacts, notes, Tasks): what calls about it name.</summary>
    public string? CrmObject { get; set; }

    public long LocalId { get; set; }
    public required string ExternalId { get; set; }
    public DateTime? LastSyncedAt { get; set; }

    /// <summary>Hash of the CRM values last pulled into the lead: the same values again change nothing.</summary>
    public long? PulledHash { get; set; }

    /// <summary>
    /// Hash of the score, grade, model and reasons last written to the CRM record: a sync writes a record only when
    /// this changes, so a second sync with nothing new writes nothing there.
    /// </summary>
    public long? PushedHash { get; set; }

    /// <summary>When the score was last written (or found unchanged): only leads updated or rescored since are looked at again.</summary>
    public DateTime? PushedAt { get; set; }
}

internal sealed class CrmLinkConfiguration : IEntityTypeConfiguration<CrmLink>
{
    public void Configure(EntityTypeBuilder<CrmLink> e)
    {
        e.ToTable("crm_links");
        e.Property(c => c.Crm).HasMaxLength(32);
        e.Property(c => c.RecordKind).HasMaxLength(32);
        e.Property(c => c.CrmObject).HasMaxLength(64);
        e.Property(c => c.ExternalId).HasMaxLength(Lead.ShortText);
        e.HasIndex(c => new { c.TeamId, c.Crm, c.RecordKind, c.ExternalId }).IsUnique();
        e.HasIndex(c => new { c.RecordKind, c.LocalId });
    }
}
