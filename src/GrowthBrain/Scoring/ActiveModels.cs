using System.Collections.Concurrent;
using GrowthBrain.Data;

namespace GrowthBrain.Scoring;

/// <summary>
/// Loads a team's active scorer. Deserialising a model takes tens of milliseconds, so loaded scorers
/// are kept by version id: a cache, not state — any instance reads which version is active from the
/// database on every call, so several instances agree the moment a model is promoted.
/// </summary>
public sealed class ActiveModels
{
    private readonly ConcurrentDictionary<long, Lazy<TrainedScorer>> _loaded = new();

    public async Task<(ModelVersion Version, TrainedScorer Scorer)?> GetAsync(GrowthBrainDb db, long teamId, CancellationToken ct)
    {
        var active = await db.ModelVersions.AsNoTracking()
            .Where(m => m.TeamId == teamId && m.Status == ModelStatus.Active)
            .Select(m => new { m.Id, m.Number })
            .FirstOrDefaultAsync(ct);
        if (active is null) return null;
        return await LoadAsync(db, active.Id, ct);
    }

    public async Task<(ModelVersion Version, TrainedScorer Scorer)> LoadAsync(GrowthBrainDb db, long versionId, CancellationToken ct)
    {
        var version = await db.ModelVersions.AsNoTracking().FirstAsync(m => m.Id == versionId, ct);
        var scorer = _loaded.GetOrAdd(versionId, _ => new Lazy<TrainedScorer>(() => TrainedScorer.Load(version.Model))).Value;
        return (version, scorer);
    }
}
