using GrowthBrain.Audit;
using GrowthBrain.Data;
using GrowthBrain.FollowUps;
using GrowthBrain.Live;
using Microsoft.Extensions.Logging;

namespace GrowthBrain.Sequences;

/// <param name="Runner">Which instance runs the steps (host name and process), kept on each claim for the person who investigates.</param>
/// <param name="Take">At most this many due steps and awaited drafts per call; the next tick takes the rest.</param>
public sealed record RunDueSteps(string Runner, int Take = 100);

public sealed record RunDueStepsResult(int Stopped, int StepsRun, int DraftsSent, int Advanced, int NeedAttention);

/// <summary>
/// Runs the sequence steps that are due, and moves enrolments on when an awaited e-mail was sent. The truth is in our
/// tables: an enrolment's next due time, and a step-run row whose unique (enrolment, step id) key is claimed before any
/// side effect. Quartz only wakes this up (docs/adr/0010-sequence-steps-claimed-in-our-tables.md), so any number of
/// instances can call it at once: one claim wins, the others see the step taken. A claim left unfinished by a process
/// that stopped is never run again by itself: the enrolment needs a person, like a SendUnknown draft.
/// <para>
/// An e-mail step stores a draft (pending approval, or approved at once when the step and the team's playbook both
/// allow auto-send and it passes every guardrail). An approved draft is sent by the runner inside the lead's business
/// hours and under the mailbox's daily cap; the next step is timed from the send. A rejected draft stops the
/// sequence (the person said no to this touch; enrol again to go on); a failed or maybe-sent one needs a person.
/// </para>
/// <para>
/// Nothing runs for a paused sequence. Enrolments follow their step by id, so a manager's edit between two ticks moves
/// them with their step (docs/adr/0012-sequence-edits-and-running-enrolments.md); every move here is conditional on the
/// step the enrolment was at, so an edit in the middle of a step wins and the step is still never run twice.
/// </para>
/// </summary>
public sealed class RunDueStepsHandler(
    GrowthBrainDb db, StopOnSignalsHandler stopper, CreateDraftHandler drafts, ApproveDraftHandler approvals, SendDraftHandler sender,
    GetPlaybookHandler playbooks, AuditLog audit, TimeProvider clock, ILogger<RunDueStepsHandler> log)
{
    public const string Actor = "sequence";

    /// <summary>Longer than writing a draft with a slow LLM (retries included) and an SMTP conversation together.</summary>
    public static readonly TimeSpan StaleClaim = TimeSpan.FromMinutes(15);

    /// <summary>When a step could not start (the writer failed before anything was stored), it is tried again this much later.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromMinutes(5);

    /// <summary>The teams whose enrolments this call moved: their live-update marker is bumped once at the end.</summary>
    private readonly HashSet<long> _touched = [];

    public async Task<RunDueStepsResult> HandleAsync(RunDueSteps request, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Runner)) throw new ArgumentException("runner is empty; name the instance.");
        if (request.Take is < 1 or > 10_000) throw new ArgumentException($"take is {request.Take}; use 1 to 10000.");
        _touched.Clear();
        // The stop sweep bumps the marker of the teams it stopped enrolments for itself, once for the whole sweep.
        var counts = new Counts { Stopped = await stopper.HandleAsync(new StopOnSignals(), ct) };

        var now = clock.GetUtcNow().UtcDateTime;
        var due = await (from e in db.SequenceEnrolments.AsNoTracking()
                         where e.Status == EnrolmentStatus.Active && e.NextDueAt <= now
                         join s in db.Sequences.AsNoTracking() on e.SequenceId equals s.Id
                         where !s.Paused
                         orderby e.NextDueAt, e.Id
                         select e.Id).Take(request.Take).ToListAsync(ct);
        try
        {
            foreach (var id in due) await RunStepAsync(id, request.Runner, counts, ct);
            await AdvanceWaitingAsync(request.Take, counts, ct);
        }
        finally
        {
            // Once per team per batch, not per step, and also when the batch stopped half-way: what did happen is shown.
            db.ChangeTracker.Clear();
            var at = clock.GetUtcNow().UtcDateTime;
            foreach (var team in _touched) await ChangeMarker.BumpAsync(db, team, "sequence", at, CancellationToken.None);
        }
        return new RunDueStepsResult(counts.Stopped, counts.StepsRun, counts.DraftsSent, counts.Advanced, counts.NeedAttention);
    }

    /// <summary>
    /// Claims a step for a runner: true when this caller owns it now. The insert is the lock: the unique key lets one
    /// caller in, whichever instance it is on. Public so a test can claim and then "crash".
    /// </summary>
    public async Task<SequenceStepRun?> ClaimAsync(SequenceEnrolment e, int stepId, StepKind kind, string runner, CancellationToken ct)
    {
        var run = new SequenceStepRun
        {
            TeamId = e.TeamId, EnrolmentId = e.Id, StepIndex = e.CurrentStep, StepId = stepId, Kind = kind, Status = StepRunStatus.Claimed,
            ClaimedAt = clock.GetUtcNow().UtcDateTime, ClaimedBy = runner,
        };
        db.SequenceStepRuns.Add(run);
        try
        {
            await db.SaveChangesAsync(ct);
            return run;
        }
        catch (DbUpdateException x)
        {
            db.Entry(run).State = EntityState.Detached;
            // Someone has it (the unique key said no); whether it finished is looked at by the caller. Any other
            // failure (SQLite answering "database is locked" while another instance writes) is not a claim at all:
            // nothing happened, the step stays due, and the next tick tries it again; the rest of this batch goes on.
            if (!await db.SequenceStepRuns.AnyAsync(r => r.EnrolmentId == e.Id && r.StepId == stepId, ct))
                log.LogWarning(x, "Could not claim step {Step} of enrolment {Enrolment} now; the next tick tries again", stepId, e.Id);
            return null;
        }
    }

    private async Task RunStepAsync(long enrolmentId, string runner, Counts counts, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var now = clock.GetUtcNow().UtcDateTime;
        var e = await db.SequenceEnrolments.AsNoTracking().FirstOrDefaultAsync(x => x.Id == enrolmentId && x.Status == EnrolmentStatus.Active, ct);
        if (e is null || e.NextDueAt > now) return;
        // Before every step: a reply that came in a second ago must not get a follow-up.
        if (await stopper.HandleAsync(new StopOnSignals([e.LeadId]), ct) > 0)
        {
            counts.Stopped++;
            return;
        }
        var sequence = await db.Sequences.AsNoTracking().FirstAsync(s => s.Id == e.SequenceId, ct);
        if (sequence.Paused) return;
        var steps = sequence.StepList;
        var country = await db.Leads.AsNoTracking().Where(l => l.Id == e.LeadId).Select(l => l.Country).FirstOrDefaultAsync(ct);
        var zone = SendWindow.ZoneFor(country);
        var index = Sequence.IndexOf(steps, SequenceStepIds.Current(e, steps));
        if (index < 0)
        {
            // No step left for it. An edit moves enrolments off the steps it removes in the same transaction, so this
            // is an enrolment read before such an edit: the move is conditional and does nothing if the edit got there first.
            await MoveAsync(e, x => x.Status == EnrolmentStatus.Active, EnrolmentStatus.Completed, steps.Count, null, null, null, null, ct);
            return;
        }
        if (!SendWindow.IsOpen(now, zone))
        {
            await MoveAsync(e, x => x.Status == EnrolmentStatus.Active, EnrolmentStatus.Active, index, steps[index].Id, SendWindow.NextOpen(now, zone), null, null, ct, e.Note);
            return;
        }

        var step = steps[index];
        var run = await ClaimAsync(e, step.Id, step.Kind, runner, ct);
        if (run is null)
        {
            await LookAtTakenStepAsync(e, steps, zone, counts, ct);
            return;
        }

        long? draftId = null, taskId = null;
        try
        {
            if (step.Kind == StepKind.Email)
            {
                var draft = await drafts.HandleAsync(new CreateDraft(e.LeadId, Actor, step.Goal, step.Tone, AutoSend: false), ct);
                draftId = draft.Id;
                var playbook = await playbooks.GetOrSeedAsync(e.TeamId, ct);
                if (!step.RequiresApproval && playbook.AutoSendAllowed && draft.Violations.Count == 0 && sender.Enabled)
                    await approvals.HandleAsync(new ApproveDraft(draft.Id, CreateDraftHandler.AutoSendActor), ct);
            }
            else
            {
                var task = new LeadTask
                {
                    TeamId = e.TeamId, LeadId = e.LeadId, Kind = step.Kind, Title = step.Title ?? step.Kind.ToString(), DueAt = now, CreatedAt = now, EnrolmentId = e.Id,
                };
                db.LeadTasks.Add(task);
                await db.SaveChangesAsync(ct);
                taskId = task.Id;
            }
        }
        catch (Exception x) when (x is not OperationCanceledException && draftId is null && taskId is null)
        {
            db.ChangeTracker.Clear();
            // The draft may be stored even though something after it failed (the audit line, say): then the step happened.
            draftId = step.Kind != StepKind.Email ? null : await db.FollowUpDrafts.AsNoTracking()
                .Where(d => d.LeadId == e.LeadId && d.CreatedBy == Actor && d.CreatedAt >= run.ClaimedAt).Select(d => (long?)d.Id).FirstOrDefaultAsync(CancellationToken.None);
            if (draftId is null)
            {
                // Nothing was stored, so trying again later cannot repeat a side effect.
                log.LogWarning(x, "Sequence step {Step} of enrolment {Enrolment} could not start; trying again in {Retry}", e.CurrentStep, e.Id, RetryAfter);
                await db.SequenceStepRuns.Where(r => r.Id == run.Id).ExecuteDeleteAsync(CancellationToken.None);
                await db.SequenceEnrolments.Where(x2 => x2.Id == e.Id && x2.Status == EnrolmentStatus.Active && x2.CurrentStepId == e.CurrentStepId)
                    .ExecuteUpdateAsync(s => s.SetProperty(x2 => x2.NextDueAt, now + RetryAfter)
                        .SetProperty(x2 => x2.Note, Truncate($"Step {e.CurrentStep + 1} could not start ({x.Message}); trying again at {now + RetryAfter:u}.")), CancellationToken.None);
                return;
            }
        }

        // The side effect happened: record it whatever the caller's token says now.
        db.ChangeTracker.Clear();
        run.Status = StepRunStatus.Done;
        run.FinishedAt = clock.GetUtcNow().UtcDateTime;
        run.DraftId = draftId;
        run.TaskId = taskId;
        await FinishAsync(e, steps, zone, run, counts);
    }

    private async Task FinishAsync(SequenceEnrolment e, IReadOnlyList<SequenceStep> steps, TimeZoneInfo zone, SequenceStepRun run, Counts counts)
    {
        var ct = CancellationToken.None;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.SequenceStepRuns.Attach(run);
        db.Entry(run).State = EntityState.Modified;
        await db.SaveChangesAsync(ct);
        var now = run.FinishedAt ?? clock.GetUtcNow().UtcDateTime;
        if (run.DraftId is { } draftId)
        {
            await MoveAsync(e, x => x.Status == EnrolmentStatus.Active, EnrolmentStatus.WaitingForDraft, run.StepIndex, run.StepId, null, draftId, now, ct);
        }
        else
        {
            await MoveOnAsync(e, x => x.Status == EnrolmentStatus.Active, steps, run.StepId, zone, now, ct);
            counts.Advanced++;
        }
        _touched.Add(e.TeamId);
        audit.Add(db, Actor, "sequence.step", e.TeamId, "enrolment", CreateSequenceHandler.Id(e.Id),
            $"lead {e.LeadId}: step {run.StepIndex + 1} ({run.Kind}) {(run.DraftId is { } d ? $"draft {d}" : $"task {run.TaskId}")}");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        counts.StepsRun++;
    }

    private async Task LookAtTakenStepAsync(SequenceEnrolment e, IReadOnlyList<SequenceStep> steps, TimeZoneInfo zone, Counts counts, CancellationToken ct)
    {
        var stepId = SequenceStepIds.Current(e, steps);
        var run = await db.SequenceStepRuns.AsNoTracking().FirstOrDefaultAsync(r => r.EnrolmentId == e.Id && r.StepId == stepId, ct);
        if (run is null) return;
        var now = clock.GetUtcNow().UtcDateTime;
        if (run.Status == StepRunStatus.Done)
        {
            // Finished, but the enrolment did not move on: it was paused in between and resumed, or an edit moved the step
            // behind the enrolment after it had run. Either way the step is not run again; move on now.
            var fresh = await db.SequenceEnrolments.AsNoTracking().FirstAsync(x => x.Id == e.Id, ct);
            if (fresh.Status == EnrolmentStatus.Active && SequenceStepIds.Current(fresh, steps) == run.StepId)
            {
                if (run.DraftId is { } d) await MoveAsync(fresh, x => x.Status == EnrolmentStatus.Active, EnrolmentStatus.WaitingForDraft, fresh.CurrentStep, run.StepId, null, d, now, ct);
                else await MoveOnAsync(fresh, x => x.Status == EnrolmentStatus.Active, steps, run.StepId, zone, now, ct);
                _touched.Add(e.TeamId);
            }
            return;
        }
        if (run.Status == StepRunStatus.Claimed && run.ClaimedAt < now - StaleClaim)
        {
            var note = $"Step {run.StepIndex + 1} ({run.Kind}) was started by {run.ClaimedBy} at {run.ClaimedAt:u} and did not finish: the process may have stopped. " +
                       "It is not run again by itself; check the lead's drafts and tasks, then resume (skips that step) or stop.";
            var moved = await db.SequenceEnrolments.Where(x => x.Id == e.Id && x.Status == EnrolmentStatus.Active && x.CurrentStepId == e.CurrentStepId)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, EnrolmentStatus.NeedsAttention).SetProperty(x => x.NextDueAt, (DateTime?)null)
                    .SetProperty(x => x.Note, note), ct);
            if (moved > 0)
            {
                counts.NeedAttention++;
                _touched.Add(e.TeamId);
                await audit.RecordAsync(db, Actor, "sequence.needs-attention", e.TeamId, "enrolment", CreateSequenceHandler.Id(e.Id), note, ct);
            }
        }
        // A fresh claim belongs to a runner that is working on it right now.
    }

    private async Task AdvanceWaitingAsync(int take, Counts counts, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var waiting = await (from e in db.SequenceEnrolments.AsNoTracking()
                             where e.Status == EnrolmentStatus.WaitingForDraft
                             join d in db.FollowUpDrafts.AsNoTracking() on e.WaitingDraftId equals d.Id
                             where d.Status != DraftStatus.Pending && d.Status != DraftStatus.Sending
                             join l in db.Leads.AsNoTracking() on e.LeadId equals l.Id
                             join s in db.Sequences.AsNoTracking() on e.SequenceId equals s.Id
                             orderby e.Id
                             select new
                             {
                                 Enrolment = e, DraftId = d.Id, d.Status, d.SentAt, d.Error, l.Country, SequencePaused = s.Paused,
                                 // Which step wrote the draft: an edit may have moved the enrolment past it since (see Sent below).
                                 DraftStepId = db.SequenceStepRuns.Where(r => r.EnrolmentId == e.Id && r.DraftId == d.Id).Select(r => r.StepId).FirstOrDefault(),
                             }).Take(take).ToListAsync(ct);
        foreach (var w in waiting)
        {
            var e = w.Enrolment;
            var status = w.Status;
            var sentAt = w.SentAt;
            var error = w.Error;
            var zone = SendWindow.ZoneFor(w.Country);
            var now = clock.GetUtcNow().UtcDateTime;
            if (status == DraftStatus.Approved)
            {
                if (!SendWindow.IsOpen(now, zone) || !sender.Enabled || w.SequencePaused) continue;
                if (await stopper.HandleAsync(new StopOnSignals([e.LeadId]), ct) > 0)
                {
                    counts.Stopped++;
                    continue;
                }
                try
                {
                    var sent = await sender.HandleAsync(new SendDraft(w.DraftId, Actor), ct);
                    (status, sentAt, error) = (sent.Status, sent.SentAt, sent.Error);
                    if (status == DraftStatus.Sent) counts.DraftsSent++;
                }
                catch (DraftStateException x)
                {
                    // The daily cap, or another sender took it first: the draft stays as it is and the next tick looks again.
                    log.LogInformation("Sequence draft {Draft} not sent now: {Reason}", w.DraftId, x.Message);
                    db.ChangeTracker.Clear();
                    continue;
                }
                db.ChangeTracker.Clear();
            }
            var steps = (await db.Sequences.AsNoTracking().FirstAsync(s => s.Id == e.SequenceId, ct)).StepList;
            switch (status)
            {
                case DraftStatus.Sent:
                    var at = sentAt ?? now;
                    var current = SequenceStepIds.Current(e, steps);
                    if (current == w.DraftStepId || w.DraftStepId is null)
                    {
                        await MoveOnAsync(e, x => x.Status == EnrolmentStatus.WaitingForDraft && x.WaitingDraftId == w.DraftId, steps, current, zone, at, ct);
                    }
                    else
                    {
                        // The draft's step was removed while the draft was awaited, and the edit pointed the enrolment at the
                        // step that came after it: that step is the next one, not the one after it.
                        var index = Sequence.IndexOf(steps, current);
                        if (index < 0) await MoveAsync(e, x => x.Status == EnrolmentStatus.WaitingForDraft && x.WaitingDraftId == w.DraftId, EnrolmentStatus.Completed, steps.Count, null, null, null, at, ct);
                        else await MoveAsync(e, x => x.Status == EnrolmentStatus.WaitingForDraft && x.WaitingDraftId == w.DraftId, EnrolmentStatus.Active, index, current,
                            SendWindow.NextOpen(at.AddDays(steps[index].DelayDays), zone), null, at, ct);
                    }
                    counts.Advanced++;
                    _touched.Add(e.TeamId);
                    break;
                case DraftStatus.Rejected:
                    await db.SequenceEnrolments.Where(x => x.Id == e.Id && x.Status == EnrolmentStatus.WaitingForDraft && x.WaitingDraftId == w.DraftId)
                        .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, EnrolmentStatus.Stopped).SetProperty(x => x.StopReason, StopReason.DraftRejected)
                            .SetProperty(x => x.StoppedAt, now).SetProperty(x => x.StoppedBy, Actor)
                            .SetProperty(x => x.Note, $"Draft {w.DraftId} of step {e.CurrentStep + 1} was rejected; enrol the lead again to go on."), ct);
                    _touched.Add(e.TeamId);
                    break;
                case DraftStatus.Failed or DraftStatus.SendUnknown:
                    var note = Truncate(status == DraftStatus.SendUnknown
                        ? $"Draft {w.DraftId} may or may not have been sent ({error}). Settle the draft first, then resume."
                        : $"Draft {w.DraftId} was not sent: {error} Fix it and send it, or stop the sequence.");
                    var moved = await db.SequenceEnrolments.Where(x => x.Id == e.Id && x.Status == EnrolmentStatus.WaitingForDraft && x.WaitingDraftId == w.DraftId)
                        .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, EnrolmentStatus.NeedsAttention).SetProperty(x => x.Note, note), ct);
                    counts.NeedAttention += moved;
                    _touched.Add(e.TeamId);
                    break;
            }
        }
    }

    /// <summary>After step <paramref name="doneStepId"/>: the next step in the sequence as it is now, timed by its delay, or completed.</summary>
    private Task<int> MoveOnAsync(SequenceEnrolment e, System.Linq.Expressions.Expression<Func<SequenceEnrolment, bool>> still, IReadOnlyList<SequenceStep> steps,
        int? doneStepId, TimeZoneInfo zone, DateTime at, CancellationToken ct)
    {
        var (next, nextId) = SequenceStepIds.After(steps, doneStepId);
        return nextId is null
            ? MoveAsync(e, still, EnrolmentStatus.Completed, steps.Count, null, null, null, at, ct)
            : MoveAsync(e, still, EnrolmentStatus.Active, next, nextId, SendWindow.NextOpen(at.AddDays(steps[next].DelayDays), zone), null, at, ct);
    }

    /// <summary>
    /// A conditional move: nothing happens when a person, an edit of the sequence or another runner changed the
    /// enrolment's step first.
    /// </summary>
    private Task<int> MoveAsync(SequenceEnrolment e, System.Linq.Expressions.Expression<Func<SequenceEnrolment, bool>> still, EnrolmentStatus status, int step,
        int? stepId, DateTime? nextDueAt, long? waitingDraftId, DateTime? lastStepAt, CancellationToken ct, string? note = null) =>
        db.SequenceEnrolments.Where(x => x.Id == e.Id && x.CurrentStep == e.CurrentStep && x.CurrentStepId == e.CurrentStepId).Where(still)
            .ExecuteUpdateAsync(s => s
                .SetProperty(x => x.Status, status)
                .SetProperty(x => x.CurrentStep, step)
                .SetProperty(x => x.CurrentStepId, stepId)
                .SetProperty(x => x.NextDueAt, nextDueAt)
                .SetProperty(x => x.WaitingDraftId, waitingDraftId)
                .SetProperty(x => x.LastStepAt, x => lastStepAt ?? x.LastStepAt)
                .SetProperty(x => x.Note, note), ct);

    private static string Truncate(string s) => s.Length <= 1000 ? s : s[..1000];

    private sealed class Counts
    {
        public int Stopped;
        public int StepsRun;
        public int DraftsSent;
        public int Advanced;
        public int NeedAttention;
    }
}
