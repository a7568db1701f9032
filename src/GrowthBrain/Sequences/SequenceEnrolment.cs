using GrowthBrain.Accounts;
using GrowthBrain.Leads;

namespace GrowthBrain.Sequences;

public enum EnrolmentStatus
{
    /// <summary>The next step runs at <see cref="SequenceEnrolment.NextDueAt"/>.</summary>
    Active = 0,
    /// <summary>An e-mail step's draft is waiting for approval or for its send; the next step is timed from the send.</summary>
    WaitingForDraft = 1,
    Paused = 2,
    /// <summary>
    /// A step was started and did not finish (the process stopped), or its mail may or may not have left. Never
    /// retried by itself: a person checks and resumes (which skips the interrupted step) or stops.
    /// </summary>
    NeedsAttention = 3,
    Stopped = 4,
    Completed = 5,
}

public enum StopReason
{
    Manual = 0,
    Replied = 1,
    MeetingBooked = 2,
    Unsubscribed = 3,
    Bounced = 4,
    /// <summary>On the suppression list for another reason (blocked by hand, erased).</summary>
    Suppressed = 5,
    DealWon = 6,
    DealLost = 7,
    /// <summary>A person rejected the step's draft: a "no" to this touch ends the automation for the lead.</summary>
    DraftRejected = 8,
}

/// <summary>One lead going through one sequence, and where it is.</summary>
public sealed class SequenceEnrolment : ITeamOwned
{
    public long Id { get; set; }
    public long TeamId { get; set; }
    public long LeadId { get; set; }
    public long SequenceId { get; set; }
    public EnrolmentStatus Status { get; set; }

    /// <summary>The position of the step that runs next (or whose draft is awaited), kept in step with <see cref="CurrentStepId"/>
    /// for display; past the last step when none is left.</summary>
    public int CurrentStep { get; set; }
    /// <summary>
    /// The id of the step that runs next (or whose draft is awaited): the truth the runner goes by, so moving or removing
    /// steps cannot make a lead repeat one. Null when no step is left (or on a row from before step ids, until the start-up backfill).
    /// </summary>
    public int? CurrentStepId { get; set; }
    public DateTime? NextDueAt { get; set; }
    public long? WaitingDraftId { get; set; }

    public DateTime EnrolledAt { get; set; }
    public required string EnrolledBy { get; set; }
    public DateTime? LastStepAt { get; set; }
    public DateTime? PausedAt { get; set; }
    public DateTime? StoppedAt { get; set; }
    public StopReason? StopReason { get; set; }
    public string? StoppedBy { get; set; }
    /// <summary>Why it stopped or needs a person, in words.</summary>
    public string? Note { get; set; }

    public bool Live => Status is EnrolmentStatus.Active or EnrolmentStatus.WaitingForDraft or EnrolmentStatus.Paused or EnrolmentStatus.NeedsAttention;

    public static readonly EnrolmentStatus[] LiveStatuses =
        [EnrolmentStatus.Active, EnrolmentStatus.WaitingForDraft, EnrolmentStatus.Paused, EnrolmentStatus.NeedsAttention];
}

public enum StepRunStatus
{
    /// <summary>Claimed by a runner; its side effect may be under way.</summary>
    Claimed = 0,
    Done = 1,
    Failed = 2,
}

/// <summary>
/// The claim on one step of one enrolment. The unique (enrolment, step id) key makes "run this step" happen once:
/// a runner inserts the row before any side effect, and a second runner (another instance, a retry) finds it taken.
/// </summary>
public sealed class SequenceStepRun : ITeamOwned
{
    public long Id { get; set; }
    public long TeamId { get; set; }
    public long EnrolmentId { get; set; }
    /// <summary>The step's position when it ran (for reading the history; steps may move later).</summary>
    public int StepIndex { get; set; }
    /// <summary>The step's id: the claim is unique per enrolment and step id, so a step never runs twice for a lead, wherever it moves.</summary>
    public int? StepId { get; set; }
    public StepKind Kind { get; set; }
    public StepRunStatus Status { get; set; }
    public DateTime ClaimedAt { get; set; }
    public required string ClaimedBy { get; set; }
    public DateTime? FinishedAt { get; set; }
    public long? DraftId { get; set; }
    public long? TaskId { get; set; }
    public string? Error { get; set; }
}

/// <summary>A call or task for a person, made by a sequence step; shown on the lead page until done.</summary>
public sealed class LeadTask : ITeamOwned
{
    public long Id { get; set; }
    public long TeamId { get; set; }
    public long LeadId { get; set; }
    public StepKind Kind { get; set; }
    public required string Title { get; set; }
    public DateTime DueAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public long? EnrolmentId { get; set; }
    public DateTime? DoneAt { get; set; }
    public string? DoneBy { get; set; }
}

/// <summary>The last IMAP UID read per mailbox and folder, so polling fetches only new mail across restarts.</summary>
public sealed class MailboxCursor
{
    public long Id { get; set; }
    public required string Mailbox { get; set; }
    public long UidValidity { get; set; }
    public long LastUid { get; set; }
    public DateTime UpdatedAt { get; set; }
}

internal sealed class LeadTaskConfiguration : IEntityTypeConfiguration<LeadTask>
{
    public void Configure(EntityTypeBuilder<LeadTask> e)
    {
        e.ToTable("lead_tasks");
        e.Property(t => t.Title).HasMaxLength(Lead.ShortText);
        e.Property(t => t.DoneBy).HasMaxLength(Lead.ShortText);
        e.HasIndex(t => new { t.LeadId, t.DoneAt });
        e.HasOne<Lead>().WithMany().HasForeignKey(t => t.LeadId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MailboxCursorConfiguration : IEntityTypeConfiguration<MailboxCursor>
{
    public void Configure(EntityTypeBuilder<MailboxCursor> e)
    {
        e.ToTable("mailbox_cursors");
        e.Property(c => c.Mailbox).HasMaxLength(Lead.ShortText);
        e.HasIndex(c => c.Mailbox).IsUnique();
    }
}

internal sealed class SequenceEnrolmentConfiguration : IEntityTypeConfiguration<SequenceEnrolment>
{
    public void Configure(EntityTypeBuilder<SequenceEnrolment> e)
    {
        e.ToTable("sequence_enrolments");
        e.Property(x => x.EnrolledBy).HasMaxLength(Lead.ShortText);
        e.Property(x => x.StoppedBy).HasMaxLength(Lead.ShortText);
        e.Property(x => x.Note).HasMaxLength(1000);
        e.Ignore(x => x.Live);
        // The runner's question every few seconds: which active enrolments are due?
        e.HasIndex(x => new { x.Status, x.NextDueAt });
        e.HasIndex(x => x.LeadId);
        e.HasOne<Lead>().WithMany().HasForeignKey(x => x.LeadId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<Sequence>().WithMany().HasForeignKey(x => x.SequenceId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Team>().WithMany().HasForeignKey(x => x.TeamId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class SequenceStepRunConfiguration : IEntityTypeConfiguration<SequenceStepRun>
{
    public void Configure(EntityTypeBuilder<SequenceStepRun> e)
    {
        e.ToTable("sequence_step_runs");
        e.Property(r => r.ClaimedBy).HasMaxLength(Lead.ShortText);
        e.Property(r => r.Error).HasMaxLength(1000);
        // The claim: one run per step of an enrolment, whichever instance gets there first. By step id, not
        // position, so a step moved or re-added by an edit is not run twice for a lead.
        e.HasIndex(r => new { r.EnrolmentId, r.StepId }).IsUnique();
        e.HasIndex(r => r.DraftId);
        e.HasOne<SequenceEnrolment>().WithMany().HasForeignKey(r => r.EnrolmentId).OnDelete(DeleteBehavior.Cascade);
    }
}
