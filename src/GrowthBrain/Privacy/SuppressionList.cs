using GrowthBrain.Data;

namespace GrowthBrain.Privacy;

/// <summary>The one place every sending, import and sync path asks "may we use this address?".</summary>
public sealed class SuppressionList(TimeProvider clock)
{
    /// <summary>True when the address must not be mailed by this team (any reason, this team's or installation-wide).</summary>
    public Task<bool> IsSuppressedAsync(GrowthBrainDb db, long teamId, string email, CancellationToken ct)
    {
        var hash = Suppression.HashEmail(email);
        return db.Suppressions.AsNoTracking().AnyAsync(s => s.EmailHash == hash && (s.TeamId == null || s.TeamId == teamId), ct);
    }

    /// <summary>Adds the address unless an equal entry exists; saves at once. Returns false when it was already there.</summary>
    public async Task<bool> AddAsync(GrowthBrainDb db, long? teamId, string email, SuppressionReason reason, string source, CancellationToken ct)
    {
        var hash = Suppression.HashEmail(email);
        if (await db.Suppressions.AnyAsync(s => s.EmailHash == hash && s.TeamId == teamId && s.Reason == reason, ct))
        {
            return false;
        }
        db.Suppressions.Add(new Suppression
        {
            TeamId = teamId, EmailHash = hash, Reason = reason, Source = source, CreatedAt = clock.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(ct);
        return true;
    }
}
