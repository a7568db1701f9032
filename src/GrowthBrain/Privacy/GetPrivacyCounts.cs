using GrowthBrain.Data;

namespace GrowthBrain.Privacy;

/// <summary>How many leads stand at each consent status, how many addresses are suppressed and how many CRM erasures wait.</summary>
public sealed record GetPrivacyCounts;

public sealed record PrivacyCounts(IReadOnlyList<(ConsentStatus Status, int Count)> Consent, int Suppressions, int PendingErasures);

public sealed class GetPrivacyCountsHandler(GrowthBrainDb db)
{
    public async Task<PrivacyCounts> HandleAsync(GetPrivacyCounts request, CancellationToken ct)
    {
        var consent = await db.Leads.AsNoTracking().GroupBy(l => l.ConsentStatus).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        return new PrivacyCounts(consent.OrderBy(c => c.Key).Select(c => (c.Key, c.Count)).ToList(),
            await db.Suppressions.CountAsync(ct), await db.PendingCrmErasures.CountAsync(ct));
    }
}
