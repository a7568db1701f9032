using GrowthBrain.Errors;
using System.Text.Json;
using GrowthBrain.Accounts;
using GrowthBrain.Leads;

namespace GrowthBrain.FollowUps;

/// <summary>Where a stored draft is on its way from the writer to the lead's inbox.</summary>
public enum DraftStatus
{
    /// <summary>Waiting for a person: approve, edit, reject or regenerate.</summary>
    Pending = 0,
    Approved = 1,
    Rejected = 2,
    /// <summary>The intent to send is recorded (with its Message-Id) and the SMTP conversation may be under way.</summary>
    Sending = 3,
    Sent = 4,
    /// <summary>Definitely not sent (refused by the server, suppressed address, no e-mail); <see cref="FollowUpDraft.Error"/> says why.</summary>
    Failed = 5,
    /// <summary>
    /// The process stopped between "send" and "record": the mail may or may not have left. Never retried by
    /// itself; a person checks the mailbox and decides.
    /// </summary>
    SendUnknown = 6,
}

/// <summary>
/// A follow-up draft kept for a person's decision. <see cref="Subject"/> and <see cref="Body"/> are the text that
/// will be sent: the writer's until a person edits it, the person's from then on (a person's version always wins;
/// the writer's original stays in <see cref="OriginalSubject"/>/<see cref="OriginalBody"/> with the diff).
/// </summary>
public sealed class FollowUpDraft : ITeamOwned
{
    public long Id { get; set; }
    public long TeamId { get; set; }
    public long LeadId { get; set; }

    public required string Writer { get; set; }
    public FollowUpGoal Goal { get; set; }
    public Tone Tone { get; set; }
    public required string Language { get; set; }

    public required string Subject { get; set; }
    public required string Body { get; set; }
    public required string CallToAction { get; set; }

    /// <summary>The guardrail findings on the current text, as JSON (<see cref="ViolationList"/>); empty means sendable.</summary>
    public string Violations { get; set; } = "[]";

    public DraftStatus Status { get; set; }

    /// <summary>The playbook version the draft was written with, so reply rates can be compared across playbook edits.</summary>
    public int PlaybookVersion { get; set; }

    public DateTime CreatedAt { get; set; }
    public required string CreatedBy { get; set; }

    /// <summary>What the writer (the AI or the template) wrote, kept unchanged when a person edits.</summary>
    public required string OriginalSubject { get; set; }
    public required string OriginalBody { get; set; }

    /// <summary>Line diff from the writer's text to the person's ("- " removed, "+ " added, "  " kept); null until edited.</summary>
    public string? EditDiff { get; set; }
    public string? EditedBy { get; set; }
    public DateTime? EditedAt { get; set; }

    public string? ApprovedBy { get; set; }
    public DateTime? ApprovedAt { get; set; }

    public string? RejectedBy { get; set; }
    public DateTime? RejectedAt { get; set; }
    public string? RejectionReason { get; set; }

    /// <summary>1 to 5: how good a person found the draft; feeds the writer comparison.</summary>
    public int? Rating { get; set; }
    public string? RatingComment { get; set; }
    public string? RatedBy { get; set; }
    public DateTime? RatedAt { get; set; }

    /// <summary>Set when the send is recorded as intended, before the SMTP conversation starts.</summary>
    public string? MessageId { get; set; }

    /// <summary>The From address it was (or is being) sent from: the daily cap counts per mailbox.</summary>
    public string? Mailbox { get; set; }
    public string? SentBy { get; set; }
    public DateTime? SendStartedAt { get; set; }
    public DateTime? SentAt { get; set; }
    public string? Error { get; set; }

    public bool Edited => EditedAt is not null;

    public IReadOnlyList<Violation> ViolationList => ReadViolations(Violations);

    public static string WriteViolations(IEnumerable<Violation> violations) => JsonSerializer.Serialize(violations.ToList());

    public static IReadOnlyList<Violation> ReadViolations(string json) =>
        string.IsNullOrWhiteSpace(json) ? [] : JsonSerializer.Deserialize<List<Violation>>(json) ?? [];
}

/// <summary>No stored draft has that id (or it belongs to a team the caller can't see).</summary>
public sealed class DraftNotFoundException(long id)
    : DomainException($"No draft has the id {id}; list drafts with GET /api/drafts.", ErrorKind.NotFound, "No such draft");

/// <summary>The draft is in a state where the action makes no sense; the message says what to do instead.</summary>
public sealed class DraftStateException(string message)
    : DomainException(message, ErrorKind.Conflict, "Not possible in the draft's current state");

internal sealed class FollowUpDraftConfiguration : IEntityTypeConfiguration<FollowUpDraft>
{
    public void Configure(EntityTypeBuilder<FollowUpDraft> e)
    {
        e.ToTable("follow_up_drafts");
        foreach (var p in new[] { nameof(FollowUpDraft.Writer), nameof(FollowUpDraft.Subject), nameof(FollowUpDraft.OriginalSubject),
                     nameof(FollowUpDraft.CreatedBy), nameof(FollowUpDraft.EditedBy), nameof(FollowUpDraft.ApprovedBy), nameof(FollowUpDraft.RejectedBy),
                     nameof(FollowUpDraft.RatedBy), nameof(FollowUpDraft.SentBy), nameof(FollowUpDraft.MessageId), nameof(FollowUpDraft.Mailbox) })
        {
            e.Property(p).HasMaxLength(Lead.ShortText);
        }
        e.Property(d => d.Language).HasMaxLength(8);
        e.Property(d => d.CallToAction).HasMaxLength(1000);
        e.Property(d => d.RejectionReason).HasMaxLength(1000);
        e.Property(d => d.RatingComment).HasMaxLength(1000);
        e.Property(d => d.Error).HasMaxLength(2000);
        e.Ignore(d => d.ViolationList);
        e.Ignore(d => d.Edited);
        // The approval queue (by state), the lead page (by lead) and the daily cap (per mailbox since midnight).
        e.HasIndex(d => new { d.TeamId, d.Status });
        e.HasIndex(d => d.LeadId);
        e.HasIndex(d => new { d.Mailbox, d.SendStartedAt });
        e.HasOne<Lead>().WithMany().HasForeignKey(d => d.LeadId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<Team>().WithMany().HasForeignKey(d => d.TeamId).OnDelete(DeleteBehavior.Restrict);
    }
}
