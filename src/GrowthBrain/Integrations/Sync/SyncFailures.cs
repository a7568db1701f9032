using GrowthBrain.Data;

namespace GrowthBrain.Integrations.Sync;

/// <summary>Keeps one failure row per record and direction, with the latest reason; clears it once the record syncs.</summary>
internal static class SyncFailures
{
    public static async Task RecordAsync(GrowthBrainDb db, long teamId, string crm, CrmSyncDirection direction, string crmObject, string key,
        long? leadId, string error, DateTime now, CancellationToken ct)
    {
        var failure = db.CrmSyncFailures.Local.FirstOrDefault(f => f.Crm == crm && f.Direction == direction && f.RecordKey == key)
            ?? await db.CrmSyncFailures.FirstOrDefaultAsync(f => f.Crm == crm && f.Direction == direction && f.RecordKey == key, ct)
            ?? db.CrmSyncFailures.Add(new CrmSyncFailure
            {
                TeamId = teamId, Crm = crm, Direction = direction, CrmObject = crmObject, RecordKey = key, LeadId = leadId, Error = "", FirstFailedAt = now,
            }).Entity;
        failure.Error = error.Length > 2000 ? error[..2000] : error;
        failure.Attempts++;
        failure.LastFailedAt = now;
    }

    public static async Task ClearAsync(GrowthBrainDb db, string crm, CrmSyncDirection direction, IReadOnlyList<string> keys, CancellationToken ct)
    {
        if (keys.Count == 0) return;
        await db.CrmSyncFailures.Where(f => f.Crm == crm && f.Direction == direction && keys.Contains(f.RecordKey)).ExecuteDeleteAsync(ct);
    }
}
