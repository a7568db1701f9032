using GrowthBrain.Errors;
using GrowthBrain.Audit;
using GrowthBrain.Data;

namespace GrowthBrain.Accounts;

/// <summary>Revokes one of the caller's keys (owners and admins may revoke anyone's).</summary>
/// <param name="AdminScope">False when the caller is an API key without the 'admin' scope: such a key may revoke
/// its own user's keys but not anyone else's, whatever its user's role.</param>
public sealed record RevokeApiKey(long KeyId, long CallerUserId, UserRole CallerRole, string Actor, bool AdminScope = true);

public sealed class RevokeApiKeyHandler(GrowthBrainDb db, AuditLog audit, TimeProvider clock)
{
    public async Task HandleAsync(RevokeApiKey request, CancellationToken ct)
    {
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == request.KeyId, ct);
        if (key is null || (key.UserId != request.CallerUserId && request.CallerRole < UserRole.Admin))
        {
            throw new AccountException($"There is no API key {request.KeyId} of yours.", ErrorKind.NotFound);
        }
        if (key.UserId != request.CallerUserId && !request.AdminScope)
        {
            throw new AccountException("Revoking someone else's API key needs a key with the 'admin' scope; sign in or use such a key.", ErrorKind.Forbidden);
        }
        if (key.RevokedAt is null)
        {
            key.RevokedAt = clock.GetUtcNow().UtcDateTime;
            audit.Add(db, request.Actor, "apikey.revoked", null, "apikey", key.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), $"'{key.Name}'");
            await db.SaveChangesAsync(ct);
        }
    }
}
