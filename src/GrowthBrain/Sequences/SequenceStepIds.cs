using GrowthBrain.Data;

namespace GrowthBrain.Sequences;

/// <summary>Step ids: where an enrolment goes after a step, and the backfill for rows from before steps had ids.</summary>
public static class SequenceStepIds
{
    /// <summary>
    /// The step after the one with <paramref name="id"/> in the sequence as it is now: its position and id, or
    /// (steps.Count, null) when it was the last (or is gone).
    /// </summary>
    public static (int Index, int? Id) After(IReadOnlyList<SequenceStep> steps, int? id)
    {
        var at = Sequence.IndexOf(steps, id);
        return at < 0 || at + 1 >= steps.Count ? (steps.Count, null) : (at + 1, steps[at + 1].Id);
    }

    /// <summary>The step an enrolment is at, by id; a row from before step ids goes by its position.</summary>
    public static int? Current(SequenceEnrolment e, IReadOnlyList<SequenceStep> steps) =>
        e.CurrentStepId ?? (e.CurrentStep >= 0 && e.CurrentStep < steps.Count ? steps[e.CurrentStep].Id : null);

    /// <summary>
    /// Gives enrolments and step runs written before steps had ids the id their step got, its position + 1 (the rule
    /// <see cref="Sequence.ReadSteps"/> applies to steps stored without ids). Idempotent, run at every migration, and
    /// kept out of the migration files so a regenerated migration cannot lose it.
    /// </summary>
    public static async Task BackfillAsync(GrowthBrainDb db, CancellationToken ct)
    {
        await db.SequenceStepRuns.IgnoreQueryFilters().Where(r => r.StepId == null)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.StepId, r => r.StepIndex + 1), ct);
        await db.SequenceEnrolments.IgnoreQueryFilters().Where(e => e.CurrentStepId == null && SequenceEnrolment.LiveStatuses.Contains(e.Status))
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.CurrentStepId, e => e.CurrentStep + 1), ct);
    }
}
