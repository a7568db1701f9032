using GrowthBrain.Audit;
using GrowthBrain.Data;
using Microsoft.EntityFrameworkCore;

namespace GrowthBrain.Sequences;

public sealed record UpdateSequence(long SequenceId, string Name, IReadOnlyList<SequenceStep>? Steps, bool Archived, string Actor);

/// <summary>
/// A manager changes a cadence. Enrolments keep their position, so the new steps apply from each one's next step
/// on; an archived sequence takes no new enrolments but finishes the ones under way.
/// </summary>
public sealed class UpdateSequenceHandler(GrowthBrainDb db, AuditLog audit, TimeProvider clock)
{
    public async Task<SequenceView> HandleAsync(UpdateSequence request, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Actor)) throw new ArgumentException("actor is empty; say who edits the sequence.");
        var (name, steps) = CreateSequenceHandler.Validate(request.Name, request.Steps);
        var sequence = await db.Sequences.FirstOrDefaultAsync(s => s.Id == request.SequenceId, ct) ?? throw new SequenceNotFoundException(request.SequenceId);
        sequence.Name = name;
        sequence.Steps = Sequence.WriteSteps(steps);
        sequence.Archived = request.Archived;
        sequence.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        sequence.UpdatedBy = request.Actor;
        audit.Add(db, request.Actor, "sequence.updated", sequence.TeamId, "sequence", CreateSequenceHandler.Id(sequence.Id),
            $"{name}: {steps.Count} step(s){(request.Archived ? ", archived" : "")}");
        await db.SaveChangesAsync(ct);
        return SequenceView.From(sequence);
    }
}
