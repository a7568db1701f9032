using GrowthBrain.Data;

namespace GrowthBrain.Scoring;

public sealed record PromoteModel(int Version, string By, string? Note = null, long? TeamId = null);

public sealed record RollbackModel(string By, long? TeamId = null);

public sealed record ModelSwitch(int From, int To, string Message);

/// <summary>A person makes a version the active one, or rolls back to the one before.</summary>
public sealed class PromoteModelHandler(GrowthBrainDb db, TimeProvider clock)
{
    public async Task<ModelSwitch> HandleAsync(PromoteModel request, CancellationToken ct)
    {
        var teamId = request.TeamId ?? await db.Teams.OrderBy(t => t.Id).Select(t => t.Id).FirstAsync(ct);
        var version = await db.ModelVersions.FirstOrDefaultAsync(m => m.TeamId == teamId && m.Number == request.Version, ct)
            ?? throw new ScoringException($"There is no model v{request.Version}; `./growthbrain model list` shows the versions.");
        var active = await db.ModelVersions.Where(m => m.TeamId == teamId && m.Status == ModelStatus.Active).Select(m => (int?)m.Number).FirstOrDefaultAsync(ct);
        if (active == version.Number) return new ModelSwitch(version.Number, version.Number, $"v{version.Number} is already active.");
        await ActivateAsync(db, version, request.By, request.Note ?? $"Promoted by {request.By}", clock.GetUtcNow().UtcDateTime, ct);
        return new ModelSwitch(active ?? 0, version.Number, $"v{version.Number} is now active (was v{active}). Run `./growthbrain score` to rescore open leads with it.");
    }

    public async Task<ModelSwitch> HandleAsync(RollbackModel request, CancellationToken ct)
    {
        var teamId = request.TeamId ?? await db.Teams.OrderBy(t => t.Id).Select(t => t.Id).FirstAsync(ct);
        var active = await db.ModelVersions.FirstOrDefaultAsync(m => m.TeamId == teamId && m.Status == ModelStatus.Active, ct)
            ?? throw new ScoringException("No model is active, so there is nothing to roll back.");
        // The version that was active before this one: the most recently promoted retired version.
        var previous = await db.ModelVersions.Where(m => m.TeamId == teamId && m.Status == ModelStatus.Retired && m.PromotedAt != null)
            .OrderByDescending(m => m.PromotedAt).ThenByDescending(m => m.Number).FirstOrDefaultAsync(ct)
            ?? throw new ScoringException($"v{active.Number} is the only model that was ever active; there is none to roll back to.");
        var now = clock.GetUtcNow().UtcDateTime;
        // Two saves in one transaction: the database allows one active version per team at any moment.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        active.Status = ModelStatus.Candidate;
        active.PromotedAt = null;
        await db.SaveChangesAsync(ct);
        previous.Status = ModelStatus.Active;
        previous.PromotedAt = now;
        previous.PromotedBy = request.By;
        previous.PromotionNote = $"Rolled back from v{active.Number} by {request.By}";
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new ModelSwitch(active.Number, previous.Number, $"Rolled back: v{previous.Number} is active again (v{active.Number} kept as a candidate). Run `./growthbrain score` to rescore.");
    }

    internal static async Task ActivateAsync(GrowthBrainDb db, ModelVersion version, string by, string note, DateTime now, CancellationToken ct)
    {
        // Two saves in one transaction: the database allows one active version per team at any moment.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var current = await db.ModelVersions.Where(m => m.TeamId == version.TeamId && m.Status == ModelStatus.Active).ToListAsync(ct);
        foreach (var m in current) m.Status = ModelStatus.Retired;
        await db.SaveChangesAsync(ct);
        var tracked = db.ModelVersions.Local.FirstOrDefault(m => m.Id == version.Id) ?? await db.ModelVersions.FirstAsync(m => m.Id == version.Id, ct);
        tracked.Status = ModelStatus.Active;
        tracked.PromotedAt = now;
        tracked.PromotedBy = by;
        tracked.PromotionNote = note;
        // The switch and who made it commit together.
        new Audit.AuditLog(TimeProvider.System).Add(db, by, "model.activated", version.TeamId, "model", $"v{tracked.Number}", note).At = now;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }
}
