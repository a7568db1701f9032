using GrowthBrain.Data;

namespace GrowthBrain.Privacy;

/// <summary>
/// Makes removed data gone from the storage, not only from query results. An UPDATE leaves the old row
/// behind: in SQLite in the page's free space, in freed pages and in the WAL; in PostgreSQL as a dead tuple
/// (and its index entries) until VACUUM.
/// </summary>
internal static class StorageScrub
{
    /// <summary>Before the scrubbing transaction: on SQLite, zero what it deletes (secure_delete), on this connection only.</summary>
    public static async Task<string?> BeginAsync(GrowthBrainDb db, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        if (db.Provider != DatabaseProvider.Sqlite) return null;
        var before = await ScalarAsync(db, "PRAGMA secure_delete", ct);
        await db.Database.ExecuteSqlRawAsync("PRAGMA secure_delete=ON;", ct);
        return $"PRAGMA secure_delete={before};";
    }

    /// <summary>After the commit, outside any transaction. False when the storage could not be compacted now (SQLite's lock or
    /// WAL held by others, a failed VACUUM): the rows are gone from every query, their old bytes may not be yet.</summary>
    public static async Task<bool> FinishAsync(GrowthBrainDb db, string? restore, IReadOnlyList<string> tables, CancellationToken ct)
    {
        try
        {
            if (db.Provider == DatabaseProvider.Sqlite)
            {
                // secure_delete only zeroes what this transaction freed. Copies left in free space by earlier writes
                // without it (an import that updated this lead wrote a new cell and left the old one) are only gone
                // once the file is rebuilt. VACUUM takes seconds per GB; erasures are rare, and the rule is "no trace".
                await using (var vacuum = db.Database.GetDbConnection().CreateCommand())
                {
                    vacuum.CommandText = "VACUUM;";
                    vacuum.CommandTimeout = 0;
                    await vacuum.ExecuteNonQueryAsync(ct);
                }
                // The WAL holds page images from before the erasure: copy the pages back and cut the WAL to zero bytes.
                await using var cmd = db.Database.GetDbConnection().CreateCommand();
                cmd.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
                await using var reader = await cmd.ExecuteReaderAsync(ct);
                return !await reader.ReadAsync(ct) || reader.GetInt64(0) == 0;
            }
            // Dead tuples (the rows before the UPDATE) and their index entries are removed by VACUUM; it cannot run in
            // a transaction. A plain VACUUM takes no lock that blocks readers or writers (VACUUM FULL would).
            foreach (var table in tables)
            {
                await using var vacuum = db.Database.GetDbConnection().CreateCommand();
                vacuum.CommandText = "VACUUM (ANALYZE) " + table;
                vacuum.CommandTimeout = 0;
                await vacuum.ExecuteNonQueryAsync(ct);
            }
            return true;
        }
        catch (System.Data.Common.DbException)
        {
            // The data is already removed and committed; only the compaction waits (a long import holding SQLite's lock).
            // The caller reports it and running the request again finishes it.
            return false;
        }
        finally
        {
            if (restore is not null) await db.Database.ExecuteSqlRawAsync(restore, CancellationToken.None);
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The scrubbing transaction failed: give the pooled connection back as it was.</summary>
    public static async Task AbandonAsync(GrowthBrainDb db, string? restore)
    {
        if (restore is not null) await db.Database.ExecuteSqlRawAsync(restore, CancellationToken.None);
        await db.Database.CloseConnectionAsync();
    }

    private static async Task<long> ScalarAsync(GrowthBrainDb db, string sql, CancellationToken ct)
    {
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The tables a scrub rewrites (see <see cref="PersonalDataScrubber"/>).</summary>
    public static readonly string[] ScrubbedTables = ["leads", "activities", "crm_links", "audit_entries"];
}
