using GrowthBrain.Data;

namespace GrowthBrain.Accounts;

/// <summary>A person's API keys, oldest first: names, prefixes, scopes and use, never the secrets (only their hashes are stored).</summary>
public sealed record ListApiKeys(long UserId);

public sealed class ListApiKeysHandler(GrowthBrainDb db)
{
    public async Task<IReadOnlyList<ApiKey>> HandleAsync(ListApiKeys request, CancellationToken ct) =>
        await db.ApiKeys.AsNoTracking().Where(k => k.UserId == request.UserId).OrderBy(k => k.Id).ToListAsync(ct);
}
