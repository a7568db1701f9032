using GrowthBrain.Data;
using Microsoft.EntityFrameworkCore.Storage;

namespace GrowthBrain.Leads;

/// <summary>An activity keyed by its lead's record id in the CRM, before the lead's local id is known.</summary>
public readonly record struct ExternalActivity(string LeadExternalId, ActivityType Type, DateTime OccurredAt, string? Subject);

/// <summary>
/// Appends activities in bulk: stages them, then inserts them joined to their leads by record id,
/// so a caller never has to look lead ids up one by one.
/// </summary>
public sealed class ActivityBulkWriter : IAsyncDisposable
{
    private static readonly StagingColumn[] StagingColumns =
    [
        new("lead_external_id", StagingType.Text),
        new("type", StagingType.Int),
        new("occurred_at", StagingType.DateTime),
        new("subject", StagingType.Text),
    ];

    private readonly GrowthBrainDb _db;
    private readonly StagingTable _staging;
    private readonly long _teamId;

    private ActivityBulkWriter(GrowthBrainDb db, StagingTable staging, long teamId)
    {
        _db = db;
        _staging = staging;
        _teamId = teamId;
    }

    public static async Task<ActivityBulkWriter> OpenAsync(GrowthBrainDb db, long teamId, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        var staging = await StagingTable.CreateAsync(db.Database.GetDbConnection(), db.Provider, "activity_staging", StagingColumns, ct);
        return new ActivityBulkWriter(db, staging, teamId);
    }

    /// <summary>Writes one batch in its own transaction; returns how many activities matched a lead.</summary>
    public async Task<int> WriteBatchAsync(IReadOnlyCollection<ExternalActivity> batch, CancellationToken ct)
    {
        await using var tx = await _db.Database.BeginTransactionAsync(ct);
        var dbTx = tx.GetDbTransaction();
        await _staging.ClearAsync(dbTx, ct);
        await _staging.LoadAsync(batch.Select(a => new object?[] { a.LeadExternalId, (int)a.Type, a.OccurredAt, a.Subject }), dbTx, ct);
        var inserted = await _staging.ExecuteAsync($"""
            INSERT INTO activities (team_id, lead_id, type, occurred_at, subject)
            SELECT {_teamId}, l.id, s.type, s.occurred_at, s.subject
            FROM activity_staging s JOIN leads l ON l.team_id = {_teamId} AND l.external_id = s.lead_external_id
            ORDER BY l.id, s.occurred_at
            """, ct, dbTx);
        await tx.CommitAsync(ct);
        return inserted;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _staging.DropAsync(CancellationToken.None);
        }
        finally
        {
            await _db.Database.CloseConnectionAsync();
        }
    }
}
