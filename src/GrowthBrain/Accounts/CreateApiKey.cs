using GrowthBrain.Errors;
using System.Security.Cryptography;
using System.Text;
using GrowthBrain.Audit;
using GrowthBrain.Data;

namespace GrowthBrain.Accounts;

public sealed record CreateApiKey(long UserId, string Name, ApiKeyScopes Scopes, int? ExpiresInDays = null, string Actor = "system");

/// <summary>The key itself is in <see cref="Key"/> and nowhere else: it is not stored and cannot be shown again.</summary>
public sealed record CreatedApiKey(long Id, string Name, string Key, ApiKeyScopes Scopes, DateTime? ExpiresAt);

public sealed class CreateApiKeyHandler(GrowthBrainDb db, AuditLog audit, TimeProvider clock)
{
    public async Task<CreatedApiKey> HandleAsync(CreateApiKey request, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 100)
        {
            throw new AccountException("Name the key (1 to 100 characters) after where it is used, like \"zapier\" or \"nightly export\".");
        }
        if (request.Scopes == ApiKeyScopes.None || (request.Scopes & ~(ApiKeyScopes.Read | ApiKeyScopes.Write | ApiKeyScopes.Admin)) != 0)
        {
            throw new AccountException("Give the key at least one scope: read, write or admin.");
        }
        if (request.ExpiresInDays is < 1 or > 3650)
        {
            throw new AccountException("A key expires after 1 to 3650 days, or never when no expiry is given.");
        }
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == request.UserId, ct)
            ?? throw new AccountException($"There is no user {request.UserId}.", ErrorKind.NotFound);

        var (key, prefix) = NewKey();
        var now = clock.GetUtcNow().UtcDateTime;
        var apiKey = new ApiKey
        {
            UserId = user.Id, Name = request.Name.Trim(), Prefix = prefix, SecretHash = Hash(key), Scopes = request.Scopes,
            CreatedAt = now, ExpiresAt = request.ExpiresInDays is { } days ? now.AddDays(days) : null,
        };
        db.ApiKeys.Add(apiKey);
        await db.SaveChangesAsync(ct);
        audit.Add(db, request.Actor, "apikey.created", user.TeamId, "apikey", apiKey.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"'{apiKey.Name}' for {user.Email} with {request.Scopes}");
        await db.SaveChangesAsync(ct);
        return new CreatedApiKey(apiKey.Id, apiKey.Name, key, apiKey.Scopes, apiKey.ExpiresAt);
    }

    /// <summary>gb_PREFIX_SECRET: the prefix finds the row, the whole key is checked against its hash.</summary>
    private static (string Key, string Prefix) NewKey()
    {
        var prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        return ($"gb_{prefix}_{secret}", prefix);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    internal static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The prefix of a presented key, or null when it does not have the shape of one.</summary>
    internal static string? PrefixOf(string presented)
    {
        var parts = presented.Split('_', 3);
        return parts.Length == 3 && parts[0] == "gb" && parts[1].Length == 12 && parts[2].Length >= 40 ? parts[1] : null;
    }
}
