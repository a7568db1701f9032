using GrowthBrain.Audit;
using GrowthBrain.Data;

namespace GrowthBrain.Privacy;

/// <param name="EmailHash">Only the erasures of this person; null for every pending one (what a job would run).</param>
public sealed record PropagateCrmErasures(string? EmailHash, string Actor);

/// <summary>
/// Pushes pending erasures to the CRMs they belong to. A CRM with no registered <see cref="IErasurePropagator"/>
/// leaves its rows pending, saying so: nobody is told a person was erased in a CRM that was never asked.
/// </summary>
public sealed class PropagateCrmErasuresHandler(GrowthBrainDb db, IEnumerable<IErasurePropagator> propagators, AuditLog audit, TimeProvider clock)
{
    /// <returns>The erasures still pending afterwards, each with why.</returns>
    public async Task<IReadOnlyList<PendingCrmErasureView>> HandleAsync(PropagateCrmErasures request, CancellationToken ct)
    {
        var byCrm = propagators.ToDictionary(p => p.Crm, StringComparer.OrdinalIgnoreCase);
        var rows = await db.PendingCrmErasures.IgnoreQueryFilters()
            .Where(p => request.EmailHash == null || p.EmailHash == request.EmailHash).OrderBy(p => p.Id).ToListAsync(ct);
        var left = new List<PendingCrmErasureView>();
        foreach (var row in rows)
        {
            row.Attempts++;
            row.LastAttemptAt = clock.GetUtcNow().UtcDateTime;
            if (!byCrm.TryGetValue(row.Crm, out var propagator))
            {
                row.LastError = $"no {row.Crm} connector is configured; the record is still in {row.Crm}";
            }
            else
            {
                try
                {
                    await propagator.EraseAsync(row, ct);
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
