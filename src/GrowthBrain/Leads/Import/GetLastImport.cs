using GrowthBrain.Audit;
using GrowthBrain.Data;

namespace GrowthBrain.Leads.Import;

/// <summary>The most recent import the caller's teams can see: when, by whom and what it did.</summary>
public sealed record GetLastImport;

/// <summary>Read from the audit log, which keeps every import's outcome anyway: no second record of imports to keep in step.</summary>
public sealed class GetLastImportHandler(GrowthBrainDb db)
{
    public Task<AuditEntry?> HandleAsync(GetLastImport request, CancellationToken ct) =>
        db.AuditEntries.AsNoTracking().Where(a => a.Action == ImportLeadsHandler.AuditAction).OrderByDescending(a => a.Id).FirstOrDefaultAsync(ct);
}
