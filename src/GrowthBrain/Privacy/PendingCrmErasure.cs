using GrowthBrain.Accounts;
using GrowthBrain.Leads;

namespace GrowthBrain.Privacy;

/// <summary>
/// A record in a connected CRM that must still be erased because its person was erased here. The CRM's
/// record id is kept (and only it: no name, no address) because it is the one thing needed to push the
/// erasure; the row is deleted as soon as the CRM confirms. A row that stays says, honestly, that the
/// person is still in that CRM.
/// </summary>
public sealed class PendingCrmErasure : GrowthBrain.Accounts.ITeamOwned
{
    public long Id { get; set; }
    public long TeamId { get; set; }

    /// <summary>hubspot, zoho, salesforce, pipedrive.</summary>
    public required string Crm { get; set; }

    /// <summary>lead or activity, as in <see cref="GrowthBrain.Integrations.CrmLink.RecordKind"/>.</summary>
    public required string RecordKind { get; set; }
    public required string ExternalId { get; set; }

    /// <summary>The CRM's object the record is (contacts, Leads), from its link: the erase call names it.</summary>
    public string? CrmObject { get; set; }

    /// <summary>The erased address's hash (<see cref="Suppression.HashEmail"/>), to tie the row to its erasure in the audit log.</summary>
    public required string EmailHash { get; set; }
    public DateTime RequestedAt { get; set; }
    public int Attempts { get; set; }
    public DateTime? LastAttemptAt { get; set; }

    /// <summary>Why the last attempt did not erase it ("no hubspot connector is configured", the CRM's error).</summary>
    public string? LastError { get; set; }
}

internal sealed class PendingCrmErasureConfiguration : IEntityTypeConfiguration<PendingCrmErasure>
{
    public void Configure(EntityTypeBuilder<PendingCrmErasure> e)
    {
        e.ToTable("pending_crm_erasures");
        e.Property(p => p.Crm).HasMaxLength(32);
        e.Property(p => p.RecordKind).HasMaxLength(32);
        e.Property(p => p.CrmObject).HasMaxLength(64);
        e.Property(p => p.ExternalId).HasMaxLength(Lead.ShortText);
        e.Property(p => p.EmailHash).HasMaxLength(64);
        e.Property(p => p.LastError).HasMaxLength(1000);
        e.HasIndex(p => new { p.TeamId, p.Crm });
        e.HasOne<Team>().WithMany().HasForeignKey(p => p.TeamId).OnDelete(DeleteBehavior.Restrict);
    }
}
