using System.Data.Common;
using GrowthBrain.Data;
using Microsoft.EntityFrameworkCore.Storage;

namespace GrowthBrain.Live;

/// <summary>
/// Bumps a team's change marker: one upsert per batch of work (never per row), so marking costs nothing
/// next to the work itself. Call it inside the work's transaction when there is one, so a page never
/// re-reads before the change is visible.
/// </summary>
public static class ChangeMarker
{
    public const int WhatLength = 32;

    // ON CONFLICT ... DO UPDATE is the same on SQLite (3.24+) and PostgreSQL, and atomic on both,
    // so two instances bumping at once both count.
    private const string Upsert = """
        INSERT INTO team_changes (team_id, version, changed_at, what) VALUES (@team, 1, @at, @what)
        ON CONFLICT (team_id) DO UPDATE SET version = team_changes.version + 1, changed_at = excluded.changed_at, what = excluded.what
        """;

    /// <summary>Bumps through the context (joining its current transaction, if any).</summary>
    public static async Task BumpAsync(GrowthBrainDb db, long teamId, string what, DateTime now, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened) await db.Database.OpenConnectionAsync(ct);
        try
        {
            await BumpAsync(connection, db.Database.CurrentTransaction?.GetDbTransaction(), teamId, what, now, ct);
        }
        finally
        {
            if (opened) await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Bumps on a connection the caller holds open, for hand-written bulk paths.</summary>
    public static async Task BumpAsync(DbConnection connection, DbTransaction? tx, long teamId, string what, DateTime now, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = Upsert;
        Add(cmd, "@team", teamId);
        Add(cmd, "@at", DateTime.SpecifyKind(now, DateTimeKind.Utc));
        Add(cmd, "@what", what.Length <= WhatLength ? what : what[..WhatLength]);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Every team's current version: the one cheap query the change poller runs.</summary>
    public static async Task<Dictionary<long, long>> ReadAllAsync(DbConnection connection, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        // Plain SQL, not the DbSet: the poller serves every team, and team query filters must not hide any.
        cmd.CommandText = "SELECT team_id, version FROM team_changes";
        var versions = new Dictionary<long, long>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) versions[reader.GetInt64(0)] = reader.GetInt64(1);
        return versions;
    }

    private static void Add(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }
}
