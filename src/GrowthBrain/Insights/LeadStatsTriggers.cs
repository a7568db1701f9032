using System.Data.Common;
using GrowthBrain.Data;
using Microsoft.EntityFrameworkCore.Storage;
using static GrowthBrain.Insights.LeadStatsSql;

namespace GrowthBrain.Insights;

/// <summary>
/// Keeps the lead aggregates (LeadStats.cs) in step with the leads, their score history and their activities by
/// triggers, so every write path — the import merge, CRM sync, edits, outcome changes, activity writes that move a
/// lead's last activity, erasure, retention — updates them in its own transaction without each having to remember to
/// (docs/adr/0011-dashboard-aggregates-in-triggers.md). The trigger text is in LeadStatsTriggers.Sqlite.cs and
/// LeadStatsTriggers.Postgres.cs, the arithmetic they share with the rebuild in <see cref="LeadStatsSql"/>;
/// <see cref="DatabaseObjects"/> installs them at migrate and rebuilds whenever it (re)installs them.
/// </summary>
public static partial class LeadStatsTriggers
{
    /// <summary>
    /// Bump when the triggers' SQL changes (TriggerVersionTests fails until you do): the next migrate replaces them
    /// and rebuilds every aggregate.
    /// </summary>
    public const int Version = 3;

    public static TriggerSet Set { get; } = new("gb_lead_stats", Version, ["leads", "lead_scores", "activities"],
        provider => provider == DatabaseProvider.Postgres ? [.. PostgresTriggers()] : [.. SqliteTriggers()], RebuildInAsync);

    private static string Tag => Set.Tag;

    /// <summary>
    /// Recomputes every aggregate from the leads in one transaction that holds off writers (readers go on), so the
    /// result is exactly a full recomputation at that moment.
    /// </summary>
    public static async Task RebuildAsync(GrowthBrainDb db, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var dbTx = tx.GetDbTransaction();
        if (db.Provider == DatabaseProvider.Postgres) await DatabaseObjects.LockAsync(db, Set, dbTx, ct);
        await RebuildInAsync(db, dbTx, ct);
        await tx.CommitAsync(ct);
    }

    private static async Task RebuildInAsync(GrowthBrainDb db, DbTransaction tx, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        foreach (var table in new[] { "team_lead_counts", "closed_lead_days", "won_cycle_months", "open_lead_stages", "lead_score_moves", "lead_group_stats", "owner_lead_days", "owner_activity_days", "lead_first_responses" })
            await DatabaseObjects.ExecAsync(connection, tx, $"DELETE FROM {table}", ct);
        var dialect = db.Provider == DatabaseProvider.Postgres ? Postgres : Sqlite;
        var all = $"(SELECT {string.Join(", ", Counted)}, 1 AS sign FROM leads)";
        foreach (var sql in SetStatements(dialect, all)) await DatabaseObjects.ExecAsync(connection, tx, sql, ct);
        foreach (var sql in MoveStatements(dialect, "lead_scores")) await DatabaseObjects.ExecAsync(connection, tx, sql, ct);
        foreach (var sql in GroupStatements(dialect, $"(SELECT {string.Join(", ", Grouped)}, 1 AS sign FROM leads)")) await DatabaseObjects.ExecAsync(connection, tx, sql, ct);
        await DatabaseObjects.ExecAsync(connection, tx, ActivityStatement(dialect, $"(SELECT {string.Join(", ", ActivityColumns)}, 1 AS sign FROM activities)"), ct);
        await DatabaseObjects.ExecAsync(connection, tx, ResponseInsertStatement(dialect, "activities"), ct);
    }
}
