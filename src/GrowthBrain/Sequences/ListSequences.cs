using GrowthBrain.Data;

namespace GrowthBrain.Sequences;

public sealed record ListSequences(bool IncludeArchived = false);

/// <summary>The visible teams' sequences, by name.</summary>
public sealed class ListSequencesHandler(GrowthBrainDb db)
{
    public async Task<IReadOnlyList<SequenceView>> HandleAsync(ListSequences request, CancellationToken ct)
    {
        var rows = await db.Sequences.AsNoTracking().Where(s => request.IncludeArchived || !s.Archived).OrderBy(s => s.Name).ThenBy(s => s.Id).ToListAsync(ct);
        return rows.Select(SequenceView.From).ToList();
    }
}
