using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace GrowthBrain.Integrations.Salesforce;

/// <summary>
/// One session per set of credentials for the whole process, refreshed by one caller while the others wait: every
/// scoped connector and concurrent call shares it rather than each asking the login server (which also counts
/// logins and may lock a user out of too many).
/// </summary>
public sealed class SalesforceTokenCache
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new();

    /// <summary>A session; <paramref name="rejected"/> is an access token the API just refused: unless another caller already replaced it, it is refreshed now.</summary>
    public async Task<SalesforceSession> GetAsync(SalesforceTokenClient client, SalesforceOptions credentials, string? rejected, CancellationToken ct)
    {
        var entry = _entries.GetOrAdd(KeyOf(credentials), _ => new Entry());
        if (Usable(entry.Session, rejected)) return entry.Session!;
        await entry.Gate.WaitAsync(ct);
        try
        {
            if (Usable(entry.Session, rejected)) return entry.Session!;
            entry.Session = await client.RefreshAsync(credentials, ct);
            return entry.Session;
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    /// <summary>Forgets the session of these credentials, so the next call refreshes (the connection test checks the refresh itself).</summary>
    public void Forget(SalesforceOptions credentials) => _entries.TryRemove(KeyOf(credentials), out _);

    private static bool Usable(SalesforceSession? session, string? rejected) => session is not null && session.AccessToken != rejected;

    /// <summary>A hash, so the cache's keys are no copy of the secrets.</summary>
    private static string KeyOf(SalesforceOptions o) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{o.LoginUrl}\n{o.ClientId}\n{o.ClientSecret}\n{o.RefreshToken}")));

    private sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public SalesforceSession? Session { get; set; }
    }
}
