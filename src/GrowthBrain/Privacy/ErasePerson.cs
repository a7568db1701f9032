using GrowthBrain.Audit;
using GrowthBrain.Data;

namespace GrowthBrain.Privacy;

/// <param name="Actor">Who asked: a user's e-mail, "cli", "api-key:NAME".</param>
public sealed record ErasePerson(string Email, string Actor);

/// <param name="EmailHash">The address's suppression hash: what the audit log and the suppression list keep instead of the address.</param>
/// <param name="NothingHeld">No lead had this address (the address is blocked from future imports all the same).</param>
/// <param name="SourceRecordIds">Record ids the anonymised leads had in the CRM they were imported from by file: erase them there
/// too. Shown once, to whoever asked, and not stored.</param>
/// <param name="StorageScrubbed">False when SQLite could not fold its WAL back because other readers held it: run the erasure again.</param>
public sealed record ErasureResult(string EmailHash, bool NothingHeld, int Leads, IReadOnlyList<long> TeamIds, int Activities,
    int CrmLinks, int AuditEntriesRewritten, bool NewlySuppressed, IReadOnlyList<PendingCrmErasureView> PendingCrmErasures,
    IReadOnlyList<string> SourceRecordIds, bool StorageScrubbed);

public sealed record PendingCrmErasureView(long TeamId, string Crm, string RecordKind, string ExternalId, string? Status);

/// <summary>
/// Erases a person everywhere in the installation (every team): their leads are anonymised (see
/// <see cref="PersonalDataScrubber"/> for what is kept and why), the address goes on the suppression list
/// as Erased so no import or sync brings them back, their records in connected CRMs are queued for erasure
/// there, and the storage is scrubbed so the old rows are not left in the file. Running it again is harmless.
/// </summary>
/// <remarks>
/// An address nobody holds is still put on the suppression list: the person asked not to be held, and a
/// later CRM import must not start holding them. The result then says "nothing held" and it is a success
/// (exit code 0): the state the person asked for is the state the database is in.
/// </remarks>
public sealed class ErasePersonHandler(GrowthBrainDb db, SuppressionList suppressions, AuditLog audit,
    PropagateCrmErasuresHandler propagate, TimeProvider clock)
{
    public async Task<ErasureResult> HandleAsync(ErasePerson request, CancellationToken ct)
    {
        var email = PersonAddress.Normalize(request.Email);
        var hash = Suppression.HashEmail(email);
        var now = clock.GetUtcNow().UtcDateTime;

        var restore = await StorageScrub.BeginAsync(db, ct);
        ScrubCounts counts;
        List<(long Id, long TeamId, string? ExternalId)> leads;
        bool newlySuppressed;
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            // Every team: the request is the person's, not one team's. (Team query filters must not hide any row here.)
            leads = (await db.Leads.IgnoreQueryFilters().Where(l => l.EmailNormalized == email)
                    .Select(l => new { l.Id, l.TeamId, l.ExternalId }).ToListAsync(ct))
                .Select(l => (l.Id, l.TeamId, l.ExternalId)).ToList();
            counts = await PersonalDataScrubber.ScrubAsync(db, leads.Select(l => l.Id).ToList(), hash, now, ct);
            newlySuppressed = await suppressions.AddAsync(db, null, email, SuppressionReason.Erased, "privacy-erase", ct);
            audit.Add(db, request.Actor, "privacy.erased", null, "person", hash,
                leads.Count == 0
                    ? "nothing held; address blocked from future imports"
                    : $"{counts.Leads} lead(s) anonymised in team(s) {string.Join(", ", leads.Select(l => l.TeamId).Distinct())}; " +
                      $"{counts.Activities} activities, {counts.AuditEntries} audit entries rewritten; " +
                      $"{counts.PendingCrmErasures.Count} CRM record(s) queued for erasure");
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch
        {
            await StorageScrub.AbandonAsync(db, restore);
            throw;
        }
        var scrubbed = await StorageScrub.FinishAsync(db, restore, StorageScrub.ScrubbedTables, ct);

        // Also the erasures an earlier run left pending: asking again is how an operator retries them.
        var pending = await propagate.HandleAsync(new PropagateCrmErasures(hash, request.Actor), ct);
        return new ErasureResult(hash, leads.Count == 0, counts.Leads, leads.Select(l => l.TeamId).Distinct().Order().ToList(),
            counts.Activities, counts.CrmLinks, counts.AuditEntries, newlySuppressed, pending,
            leads.Where(l => l.ExternalId is not null).Select(l => l.ExternalId!).Distinct().ToList(), scrubbed);
    }
}
