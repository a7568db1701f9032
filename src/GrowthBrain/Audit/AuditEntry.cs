using GrowthBrain.Leads;

namespace GrowthBrain.Audit;

/// <summary>
/// One line of the append-only audit log: who did what to which record, and when. Rows are only
/// ever inserted; nothing in the product updates or deletes them (erasure rewrites the detail text
/// of a person's entries, see Privacy/ErasePerson.cs).
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    /// <summary>Null for installation-wide events (sign-in, settings of the whole installation).</summary>
    public long? TeamId { get; set; }
    public DateTime At { get; set; }

    /// <summary>Who: a user's e-mail, "api-key:NAME", "cli", "system" or "scheduler".</summary>
    public required string Actor { get; set; }

    /// <summary>What, as a dotted verb: "lead.scored", "draft.approved", "privacy.erased", "user.signed-in".</summary>
    public required string Action { get; set; }

    /// <summary>Kind of record acted on ("lead", "draft", "model", "user", "settings") and its id.</summary>
    public string? SubjectKind { get; set; }
    public string? SubjectId { get; set; }

    /// <summary>A short human-readable detail; never secrets, never more personal data than the subject id.</summary>
    public string? Detail { get; set; }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> e)
    {
        e.ToTable("audit_entries");
        e.Property(a => a.Actor).HasMaxLength(Lead.ShortText);
        e.Property(a => a.Action).HasMaxLength(64);
        e.Property(a => a.SubjectKind).HasMaxLength(32);
        e.Property(a => a.SubjectId).HasMaxLength(64);
        e.Property(a => a.Detail).HasMaxLength(2000);
        e.HasIndex(a => new { a.TeamId, a.At });
        // The overview's adoption date (the first entry) and active users (who acted in the last 30 days).
        e.HasIndex(a => a.At);
        e.HasIndex(a => new { a.SubjectKind, a.SubjectId });
    }
}
