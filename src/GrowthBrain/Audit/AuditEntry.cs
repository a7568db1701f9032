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
