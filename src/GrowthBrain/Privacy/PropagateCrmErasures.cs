using GrowthBrain.Audit;
using GrowthBrain.Data;

namespace GrowthBrain.Privacy;

/// <param name="EmailHash">Only the erasures of this person; null for every pending one (what a job would run).</param>
public sealed record PropagateCrmErasures(string? EmailHash, string Actor);

/// <summary>
/// Pushes pending erasures to the CRMs they belong to, through each CRM's connector. A CRM that is not connected
/// leaves its rows pending, saying so: nobody is told a person was erased in a CRM that was never asked.
/// </summary>
public sealed class PropagateCrmErasuresHandler(GrowthBrainDb db, IEnumerable<GrowthBrain.Integrations.ICrmConnector> connectors, AuditLog audit, TimeProvider clock)
{
    /// <returns>The erasures still pending afterwards, each with why.</returns>
    public async Task<IReadOnlyList<PendingCrmErasureView>> HandleAsync(PropagateCrmErasures request, CancellationToken ct)
    {
        var byCrm = connectors.ToDictionary(p => p.Crm, StringComparer.OrdinalIgnoreCase);
        var rows = await db.PendingCrmErasures.IgnoreQueryFilters()
            .Where(p => request.EmailHash == null || p.EmailHash == request.EmailHash).OrderBy(p => p.Id).ToListAsync(ct);
        var left = new List<PendingCrmErasureView>();
        foreach (var row in rows)
        {
            row.Attempts++;
            row.LastAttemptAt = clock.GetUtcNow().UtcDateTime;
            if (!byCrm.TryGetValue(row.Crm, out var connector) || !await connector.IsConfiguredAsync(ct))
            {
                row.LastError = $"{row.Crm} is not connected; the record is still in {row.Crm} (connect it on the Integrations page and it is erased there on the next sync)";
            }
            else
            {
                try
                {
                    await connector.EraseAsync(row.CrmObject ?? connector.Objects[0], row.ExternalId, ct);
                    db.PendingCrmErasures.Remove(row);
                    audit.Add(db, request.Actor, "privacy.crm-erased", row.TeamId, "person", row.EmailHash, $"{row.Crm} {row.RecordKind} erased");
                    await db.SaveChangesAsync(ct);
                    continue;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    row.LastError = e.Message.Length > 1000 ? e.Message[..1000] : e.Message;
                }
            }
            left.Add(new PendingCrmErasureView(row.TeamId, row.Crm, row.RecordKind, row.ExternalId, row.LastError));
            await db.SaveChangesAsync(ct);
        }
        return left;
    }
}
