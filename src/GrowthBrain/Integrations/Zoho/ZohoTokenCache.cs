using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace GrowthBrain.Integrations.Zoho;

/// <summary>
/// One access token per set of credentials for the whole process, refreshed by one caller while the others wait.
/// Zoho caps how many access tokens a refresh token may get in ten minutes, so every scoped connector and every
/// concurrent call must share the token rather than each refreshing its own.
/// </summary>
public sealed class ZohoTokenCache(IOptions<ZohoOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new();

    /// <summary>
    /// A token valid for a while yet. <paramref name="rejected"/> is a token Zoho just refused: unless another caller
    /// already replaced it, it is refreshed now.
    /// </summary>
    public async Task<ZohoAccessToken> GetAsync(ZohoAccountsClient accounts, ZohoOptions credentials, string? rejected, CancellationToken ct)
    {
        var entry = _entries.GetOrAdd(KeyOf(credentials), _ => new Entry());
        if (Usable(entry.Token, rejected)) return entry.Token!;
        await entry.Gate.WaitAsync(ct);
        try
        {
            if (Usable(entry.Token, rejected)) return entry.Token!;
            entry.Token = await accounts.RefreshAsync(credentials, ct);
            return entry.Token;
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    /// <summary>Forgets the token of these credentials, so the next call refreshes (the connection test checks the refresh itself).</summary>
    public void Forget(ZohoOptions credentials) => _entries.TryRemove(KeyOf(credentials), out _);

    private bool Usable(ZohoAccessToken? token, string? rejected) =>
        token is not null && token.Value != rejected && token.ExpiresAt - options.Value.TokenRefreshMargin > clock.GetUtcNow();

    /// <summary>A hash, so the cache's keys are no copy of the secrets.</summary>
    private static string KeyOf(ZohoOptions o) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{o.AccountsUrl}\n{o.ClientId}\n{o.ClientSecret}\n{o.RefreshToken}")));

    private sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public ZohoAccessToken? Token { get; set; }
    }
}
