using GrowthBrain.Audit;
using GrowthBrain.Data;
using GrowthBrain.Live;

namespace GrowthBrain.Sequences;

/// <param name="Steps">The whole new list, in order. A step that keeps its <see cref="SequenceStep.Id"/> is the same step (edited or
/// moved); one without an id is new; an old id left out is a removed step. When no step has an id (a client from before ids),
/// steps are matched to the old ones by position.</param>
/// <param name="Paused">No step runs for its enrolments while true; they go on from where they were when it is false again.</param>
public sealed record UpdateSequence(long SequenceId, string Name, IReadOnlyList<SequenceStep>? Steps, bool Archived, string Actor, bool Paused = false);

/// <summary>
/// A manager changes a cadence. Leads already in it follow their step by id (docs/adr/0012-sequence-edits-and-running-enrolments.md):
/// a kept step stays theirs wherever it moves; a lead waiting for a removed step goes on with the next kept step after it (or
/// completes when none is left); a step added before a lead's step is not run for it; a step is never run twice for a lead.
/// An archived sequence takes no new enrolments but finishes the ones under way; a paused one runs nothing until resumed.
/// </summary>
public sealed class UpdateSequenceHandler(GrowthBrainDb db, AuditLog audit, TimeProvider clock)
{
    public async Task<SequenceView> HandleAsync(UpdateSequence request, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Actor)) throw new ArgumentException("actor is empty; say who edits the sequence.");
        var (name, steps) = CreateSequenceHandler.Validate(request.Name, request.Steps);
        var sequence = await db.Sequences.FirstOrDefaultAsync(s => s.Id == request.SequenceId, ct) ?? throw new SequenceNotFoundException(request.SequenceId);
        var old = sequence.StepList;
        steps = AssignIds(old, steps, sequence);
        var now = clock.GetUtcNow().UtcDateTime;

        // The steps and the enrolments that follow them change together: a runner sees both before or both after.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        sequence.Name = name;
        sequence.Steps = Sequence.WriteSteps(steps);
        sequence.Archived = request.Archived;
        sequence.Paused = request.Paused;
        sequence.UpdatedAt = now;
        sequence.UpdatedBy = request.Actor;
        var moved = await FollowStepsAsync(sequence, old, steps, now, ct);
        audit.Add(db, request.Actor, "sequence.updated", sequence.TeamId, "sequence", CreateSequenceHandler.Id(sequence.Id),
            $"{name}: {steps.Count} step(s){(request.Archived ? ", archived" : "")}{(request.Paused ? ", paused" : "")}" +
            $"{(moved > 0 ? $"; {moved} enrolment(s) moved off removed steps" : "")}");
        await db.SaveChangesAsync(ct);
        await ChangeMarker.BumpAsync(db, sequence.TeamId, "sequence", now, ct);
        await tx.CommitAsync(ct);
        return SequenceView.From(sequence);
    }

    /// <summary>
    /// Gives new steps ids never used in this sequence, and refuses ids that are not its steps or appear twice: a typo in an
    /// id would otherwise silently turn an edited step into a new one and send its leads on.
    /// </summary>
    internal static List<SequenceStep> AssignIds(IReadOnlyList<SequenceStep> old, List<SequenceStep> steps, Sequence sequence)
    {
        var last = Math.Max(sequence.LastStepId, old.Count == 0 ? 0 : old.Max(s => s.Id));
        if (steps.All(s => s.Id == 0))
        {
            for (var i = 0; i < steps.Count; i++) steps[i] = steps[i] with { Id = i < old.Count ? old[i].Id : ++last };
        }
        else
        {
            var known = old.Select(s => s.Id).ToHashSet();
            var seen = new Dictionary<int, int>();
            for (var i = 0; i < steps.Count; i++)
            {
                var id = steps[i].Id;
                if (id == 0)
                {
                    steps[i] = steps[i] with { Id = ++last };
                    continue;
                }
                if (!known.Contains(id))
                    throw new ArgumentException($"step {i + 1}: id {id} is not a step of this sequence (its steps have ids {string.Join(", ", old.Select(s => s.Id))}); leave id out for a new step.");
                if (seen.TryGetValue(id, out var first))
                    throw new ArgumentException($"step {i + 1}: id {id} is step {first + 1} too; a step appears once (leave id out for a new step).");
                seen[id] = i;
            }
        }
        sequence.LastStepId = last;
        return steps;
    }

    /// <summary>Moves live enrolments with their steps; returns how many were moved off removed steps.</summary>
    private async Task<int> FollowStepsAsync(Sequence sequence, IReadOnlyList<SequenceStep> old, IReadOnlyList<SequenceStep> steps, DateTime now, CancellationToken ct)
    {
        var position = steps.Select((s, i) => (s.Id, i)).ToDictionary(x => x.Id, x => x.i);
        var live = db.SequenceEnrolments.Where(e => e.SequenceId == sequence.Id && SequenceEnrolment.LiveStatuses.Contains(e.Status));
        var retime = new HashSet<int>();
        var moved = 0;
        for (var i = 0; i < old.Count; i++)
        {
            var id = old[i].Id;
            if (position.TryGetValue(id, out var at))
            {
                // Kept: the lead stays on it. The position is only for display; the runner goes by id.
                if (at != i) await live.Where(e => e.CurrentStepId == id).ExecuteUpdateAsync(s => s.SetProperty(e => e.CurrentStep, at), ct);
                if (steps[at].DelayDays != old[i].DelayDays) retime.Add(id);
                continue;
            }
            // Removed: on to the next step of the old order that is kept. A draft already written for the removed step
            // stays in the queue; the runner knows its step is gone and goes on with this one after the send.
            var next = old.Skip(i + 1).Select(s => (int?)s.Id).FirstOrDefault(n => position.ContainsKey(n!.Value));
            var here = live.Where(e => e.CurrentStepId == id);
            if (next is { } n)
            {
                moved += await here.ExecuteUpdateAsync(s => s.SetProperty(e => e.CurrentStepId, n).SetProperty(e => e.CurrentStep, position[n]), ct);
                retime.Add(n);
            }
            else
            {
                var note = $"The steps after this point were removed from the sequence on {now:u}.";
                moved += await here.Where(e => e.Status == EnrolmentStatus.Active).ExecuteUpdateAsync(s => s
                    .SetProperty(e => e.Status, EnrolmentStatus.Completed).SetProperty(e => e.CurrentStepId, (int?)null)
                    .SetProperty(e => e.CurrentStep, steps.Count).SetProperty(e => e.NextDueAt, (DateTime?)null).SetProperty(e => e.Note, note), ct);
                // Paused, waiting for a draft or for a person: they complete when they would next move on.
                moved += await here.ExecuteUpdateAsync(s => s.SetProperty(e => e.CurrentStepId, (int?)null).SetProperty(e => e.CurrentStep, steps.Count), ct);
            }
        }
        if (retime.Count > 0) await RetimeAsync(sequence, steps, position, retime, now, ct);
        return moved;
    }

    /// <summary>
    /// Active enrolments now waiting for a step whose delay changed, or for the step after a removed one: due that
    /// step's delay after their last step (or enrolment), inside the lead's business hours, and never in the past.
    /// </summary>
    private async Task RetimeAsync(Sequence sequence, IReadOnlyList<SequenceStep> steps, Dictionary<int, int> position, HashSet<int> ids, DateTime now, CancellationToken ct)
    {
        var list = ids.Select(i => (int?)i).ToList();
        var rows = await (from e in db.SequenceEnrolments.AsNoTracking()
                          where e.SequenceId == sequence.Id && e.Status == EnrolmentStatus.Active && list.Contains(e.CurrentStepId)
                          join l in db.Leads.AsNoTracking() on e.LeadId equals l.Id
                          select new { e.Id, e.CurrentStepId, From = e.LastStepAt ?? e.EnrolledAt, l.Country }).ToListAsync(ct);
        foreach (var r in rows)
        {
            var due = r.From.AddDays(steps[position[r.CurrentStepId!.Value]].DelayDays);
            var at = SendWindow.NextOpen(due > now ? due : now, SendWindow.ZoneFor(r.Country));
            await db.SequenceEnrolments.Where(e => e.Id == r.Id && e.Status == EnrolmentStatus.Active && e.CurrentStepId == r.CurrentStepId)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.NextDueAt, at), ct);
        }
    }
}
