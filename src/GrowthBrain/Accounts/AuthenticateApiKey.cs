using System.Security.Cryptography;
using System.Text;
using GrowthBrain.Data;

namespace GrowthBrain.Accounts;

/// <summary>Finds the user a presented API key acts as, or says why it is refused.</summary>
public sealed class AuthenticateApiKeyHandler(GrowthBrainDb db, TimeProvider clock)
{
    public async Task<(User User, ApiKey Key)?> HandleAsync(string presented, CancellationToken ct)
    {
        if (CreateApiKeyHandler.PrefixOf(presented) is not { } prefix) return null;
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Prefix == prefix, ct);
        if (key is null) return null;
        var expected = Encoding.ASCII.GetBytes(key.SecretHash);
        var actual = Encoding.ASCII.GetBytes(CreateApiKeyHandler.Hash(presented));
        if (!CryptographicOperations.FixedTimeEquals(expected, actual)) return null;
        var now = clock.GetUtcNow().UtcDateTime;
        if (key.RevokedAt is not null || key.ExpiresAt <= now) return null;
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == key.UserId, ct);
        if (user is null || (user.LockoutEnd is { } end && end > clock.GetUtcNow())) return null;

        // "Last used" to the minute is enough to spot stale keys, and spares a write on every request.
        if (key.LastUsedAt is null || now - key.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            key.LastUsedAt = now;
            await db.SaveChangesAsync(ct);
        }
        return (user, key);
    }
}
