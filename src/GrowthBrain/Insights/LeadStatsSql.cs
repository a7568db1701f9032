using System.Data.Common;
using GrowthBrain.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace GrowthBrain.Insights;

/// <summary>
/// Keeps the lead aggregates (<see cref="TeamLeadCount"/>, <see cref="ClosedLeadDay"/>, <see cref="WonCycleMonth"/>,
/// <see cref="OpenLeadStage"/>) in step with the leads table by triggers, so every write path — the import merge,
/// CRM sync, edits, outcome changes, activity writes that move a lead's last activity, erasure, retention — updates
/// them in its own transaction without each having to remember to (docs/adr/0011-dashboard-aggregates-in-triggers.md).
/// PostgreSQL maintains them per statement from transition tables for inserts and deletes (one grouped upsert per
/// import batch, not per row); updates use a row trigger whose WHEN clause skips, in the server, every update that
/// touches none of the counted columns (scoring, consent, notes). SQLite has only row triggers; each is a few
/// indexed upserts. The triggers are installed at migration rather than in a migration file, so that migrations
/// regenerated from the model keep them, and a rebuild follows whenever they were (re)installed.
/// </summary>
public static class LeadStatsSql
{
    /// <summary>Bump when the triggers' arithmetic changes: the next migrate replaces them and rebuilds.</summary>
    public const int Version = 3;

    public const string NoStage = "(no stage)";

    private static readonly string Tag = $"gb_lead_stats_v{Version}";

    // The columns the aggregates depend on: an update that changes none of them costs the triggers nothing.
    private static readonly string[] Counted = ["team_id", "outcome", "closed_at", "created_at", "stage", "last_activity_at"];

    // The columns the per-source, per-campaign and per-owner aggregates depend on (scores included: rescoring changes them).
    private static readonly string[] Grouped = ["id", "team_id", "source", "campaign", "owner", "outcome", "closed_at", "created_at", "score_probability", "score_grade"];

    private static readonly string[] ActivityColumns = ["team_id", "lead_id", "type", "occurred_at"];

    // The team page counts e-mails sent and replies; other activity types cost the triggers nothing.
    private static readonly string Mail = $"{(int)GrowthBrain.Leads.ActivityType.EmailSent}, {(int)GrowthBrain.Leads.ActivityType.EmailReplied}";

    // What counts as a response to a new lead on the team page (GetTeamReport).
    private static readonly string Outbound = string.Join(", ", GetTeamReportHandler.Outbound.Select(t => (int)t));

    /// <summary>Installs the triggers when they are missing (fresh database, older version, a table rebuilt) and rebuilds the aggregates then.</summary>
    public static async Task<bool> EnsureAsync(GrowthBrainDb db, CancellationToken ct)
    {
        var postgres = db.Provider == DatabaseProvider.Postgres;
        var count = postgres
            ? $"SELECT COUNT(*) FROM pg_trigger WHERE tgname LIKE '{Tag}\\_%' AND tgrelid IN ('leads'::regclass, 'lead_scores'::regclass, 'activities'::regclass)"
            : $"SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE '{Tag}\\_%' ESCAPE '\\' AND tbl_name IN ('leads', 'lead_scores', 'activities')";
        var expected = (postgres ? PostgresTriggers() : SqliteTriggers()).Count(sql => sql.StartsWith("CREATE TRIGGER", StringComparison.Ordinal));
        var connection = db.Database.GetDbConnection();
        // Looked at outside any transaction first, so a start-up while an import writes does not wait for the import
        // when there is nothing to do (the usual case).
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            if (await ScalarAsync(connection, null, count, ct) == expected) return false;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var dbTx = tx.GetDbTransaction();
        if (postgres) await ExecAsync(connection, dbTx, "LOCK TABLE leads, lead_scores, activities IN SHARE ROW EXCLUSIVE MODE", ct);
        if (await ScalarAsync(connection, dbTx, count, ct) == expected) // another instance installed them meanwhile
        {
            await tx.RollbackAsync(ct);
            return false;
        }
        foreach (var old in await NamesAsync(connection, dbTx, postgres
                     ? "SELECT tgname || ' ON ' || tgrelid::regclass::text FROM pg_trigger WHERE tgname LIKE 'gb\\_lead\\_stats\\_%'"
                     : "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'gb\\_lead\\_stats\\_%' ESCAPE '\\'", ct))
            await ExecAsync(connection, dbTx, $"DROP TRIGGER {old}", ct);
        foreach (var sql in postgres ? PostgresTriggers() : SqliteTriggers()) await ExecAsync(connection, dbTx, sql, ct);
        await RebuildInAsync(db, connection, dbTx, ct);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>
    /// Drops the triggers on the leads table for a first load into an empty table, where per-row upkeep would cost more
    /// than one set-based rebuild at the end (on SQLite it cut the 1M-lead load from ~51k to ~20k rows/s). Nothing is
    /// lost if the load stops half way: <see cref="EnsureAsync"/> finds triggers missing at the load's end, the next
    /// import or the next migrate, puts them back and rebuilds every aggregate from the rows.
    /// </summary>
    public static async Task SuspendLeadTriggersAsync(GrowthBrainDb db, CancellationToken ct)
    {
        var postgres = db.Provider == DatabaseProvider.Postgres;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var connection = db.Database.GetDbConnection();
        var dbTx = tx.GetDbTransaction();
        foreach (var name in await NamesAsync(connection, dbTx, postgres
                     ? "SELECT tgname FROM pg_trigger WHERE tgname LIKE 'gb\\_lead\\_stats\\_%' AND tgrelid = 'leads'::regclass"
                     : "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'leads' AND name LIKE 'gb\\_lead\\_stats\\_%' ESCAPE '\\'", ct))
            await ExecAsync(connection, dbTx, postgres ? $"DROP TRIGGER {name} ON leads" : $"DROP TRIGGER {name}", ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// Recomputes every aggregate from the leads in one transaction that holds off writers (readers go on), so the
    /// result is exactly a full recomputation at that moment.
    /// </summary>
    public static async Task RebuildAsync(GrowthBrainDb db, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var connection = db.Database.GetDbConnection();
        var dbTx = tx.GetDbTransaction();
        if (db.Provider == DatabaseProvider.Postgres) await ExecAsync(connection, dbTx, "LOCK TABLE leads, lead_scores, activities IN SHARE ROW EXCLUSIVE MODE", ct);
        await RebuildInAsync(db, connection, dbTx, ct);
        await tx.CommitAsync(ct);
    }

    private static async Task RebuildInAsync(GrowthBrainDb db, DbConnection connection, DbTransaction tx, CancellationToken ct)
    {
        foreach (var table in new[] { "team_lead_counts", "closed_lead_days", "won_cycle_months", "open_lead_stages", "lead_score_moves", "lead_group_stats", "owner_lead_days", "owner_activity_days", "lead_first_responses" })
            await ExecAsync(connection, tx, $"DELETE FROM {table}", ct);
        var dialect = db.Provider == DatabaseProvider.Postgres ? Postgres : Sqlite;
        var all = $"(SELECT {string.Join(", ", Counted)}, 1 AS sign FROM leads)";
        foreach (var sql in SetStatements(dialect, all)) await ExecAsync(connection, tx, sql, ct);
        foreach (var sql in MoveStatements(dialect, "lead_scores")) await ExecAsync(connection, tx, sql, ct);
        foreach (var sql in GroupStatements(dialect, $"(SELECT {string.Join(", ", Grouped)}, 1 AS sign FROM leads)")) await ExecAsync(connection, tx, sql, ct);
        await ExecAsync(connection, tx, ActivityStatement(dialect, $"(SELECT {string.Join(", ", ActivityColumns)}, 1 AS sign FROM activities)"), ct);
        await ExecAsync(connection, tx, ResponseInsertStatement(dialect, "activities"), ct);
    }

    private sealed record Dialect(Func<string, string> Day, Func<string, string> Cycle, Func<string, string> Month, Func<string, string> DayStart,
        Func<string, string> CloseDays, Func<string, string> Micros, Func<string, string> Hours);

    // Whole seconds first, then whole days, on both providers alike, so a rebuild on either gives the same numbers.
    private static readonly Dialect Sqlite = new(
        c => $"(unixepoch({c}) / 86400)",
        r => $"max(0, (unixepoch({r}.closed_at) - unixepoch({r}.created_at)) / 86400)",
        r => $"(CAST(strftime('%Y', {r}.closed_at) AS INTEGER) * 12 + CAST(strftime('%m', {r}.closed_at) AS INTEGER) - 1)",
        // The text EF stores ('yyyy-MM-dd HH:mm:ss.FFFFFFF') sorts after this for every instant of the day.
        day => $"datetime(({day}) * 86400, 'unixepoch')",
        // Days to close exactly as the sources report has always counted them on this provider.
        r => $"max(0, (unixepoch({r}.closed_at) - unixepoch({r}.created_at)) / 86400)",
        p => $"CAST(round({p} * 1000000) AS INTEGER)",
        f => $"((unixepoch({f}.first_at) - unixepoch({f}.created_at)) / 3600)");

    private static readonly Dialect Postgres = new(
        c => $"(floor(extract(epoch FROM {c}))::bigint / 86400)::int",
        r => $"greatest(0, (floor(extract(epoch FROM {r}.closed_at))::bigint - floor(extract(epoch FROM {r}.created_at))::bigint) / 86400)::int",
        r => $"(extract(year FROM {r}.closed_at AT TIME ZONE 'UTC')::int * 12 + extract(month FROM {r}.closed_at AT TIME ZONE 'UTC')::int - 1)",
        day => $"to_timestamp(({day})::bigint * 86400)",
        r => $"greatest(0, CAST(floor(extract(epoch from ({r}.closed_at - {r}.created_at)) / 86400) AS integer))",
        p => $"CAST(round({p} * 1000000) AS bigint)",
        f => $"CAST(floor(extract(epoch from ({f}.first_at - {f}.created_at)) / 3600) AS integer)");

    /// <summary>The aggregates of a set of rows (a source with the counted columns and a sign of +1 or −1), grouped, added in.</summary>
    private static IEnumerable<string> SetStatements(Dialect d, string source)
    {
        // team_lead_counts first in every statement list: its row is a per-team lock taken in the same order by
        // every writer, so two PostgreSQL imports into one team serialise instead of deadlocking on the day rows.
        yield return $"""
            INSERT INTO team_lead_counts (team_id, leads) SELECT r.team_id, SUM(r.sign) FROM {source} r WHERE true GROUP BY r.team_id ORDER BY 1
            ON CONFLICT (team_id) DO UPDATE SET leads = team_lead_counts.leads + excluded.leads
            """;
        yield return $"""
            INSERT INTO closed_lead_days (team_id, day, outcome, leads, cycle_days, cycle_days_squared)
            SELECT r.team_id, {d.Day("r.closed_at")}, r.outcome, SUM(r.sign), SUM(r.sign * {d.Cycle("r")}),
                SUM(r.sign * {d.Cycle("r")} * {d.Cycle("r")}) FROM {source} r
            WHERE r.outcome <> 0 AND r.closed_at IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            ON CONFLICT (team_id, day, outcome) DO UPDATE SET leads = closed_lead_days.leads + excluded.leads,
                cycle_days = closed_lead_days.cycle_days + excluded.cycle_days,
                cycle_days_squared = closed_lead_days.cycle_days_squared + excluded.cycle_days_squared
            """;
        yield return $"""
            INSERT INTO won_cycle_months (team_id, month, cycle_days, leads)
            SELECT r.team_id, {d.Month("r")}, {d.Cycle("r")}, SUM(r.sign) FROM {source} r
            WHERE r.outcome = 1 AND r.closed_at IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            ON CONFLICT (team_id, month, cycle_days) DO UPDATE SET leads = won_cycle_months.leads + excluded.leads
            """;
        yield return $"""
            INSERT INTO open_lead_stages (team_id, stage, activity_day, leads)
            SELECT r.team_id, COALESCE(r.stage, '{NoStage}'), COALESCE({d.Day("r.last_activity_at")}, {OpenLeadStage.NoActivity}), SUM(r.sign) FROM {source} r
            WHERE r.outcome = 0 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            ON CONFLICT (team_id, stage, activity_day) DO UPDATE SET leads = open_lead_stages.leads + excluded.leads
            """;
    }

    /// <summary>The same aggregates for one row (NEW or OLD inside a row trigger) with sign +1 or −1: no grouping, no scan.</summary>
    private static IEnumerable<string> RowStatements(Dialect d, string row, int sign)
    {
        yield return $"""
            INSERT INTO team_lead_counts (team_id, leads) SELECT {row}.team_id, {sign} WHERE true
            ON CONFLICT (team_id) DO UPDATE SET leads = team_lead_counts.leads + excluded.leads
            """;
        yield return $"""
            INSERT INTO closed_lead_days (team_id, day, outcome, leads, cycle_days, cycle_days_squared)
            SELECT {row}.team_id, {d.Day($"{row}.closed_at")}, {row}.outcome, {sign}, {sign} * {d.Cycle(row)}, {sign} * {d.Cycle(row)} * {d.Cycle(row)}
            WHERE {row}.outcome <> 0 AND {row}.closed_at IS NOT NULL
            ON CONFLICT (team_id, day, outcome) DO UPDATE SET leads = closed_lead_days.leads + excluded.leads,
                cycle_days = closed_lead_days.cycle_days + excluded.cycle_days,
                cycle_days_squared = closed_lead_days.cycle_days_squared + excluded.cycle_days_squared
            """;
        yield return $"""
            INSERT INTO won_cycle_months (team_id, month, cycle_days, leads)
            SELECT {row}.team_id, {d.Month(row)}, {d.Cycle(row)}, {sign} WHERE {row}.outcome = 1 AND {row}.closed_at IS NOT NULL
            ON CONFLICT (team_id, month, cycle_days) DO UPDATE SET leads = won_cycle_months.leads + excluded.leads
            """;
        yield return $"""
            INSERT INTO open_lead_stages (team_id, stage, activity_day, leads)
            SELECT {row}.team_id, COALESCE({row}.stage, '{NoStage}'), COALESCE({d.Day($"{row}.last_activity_at")}, {OpenLeadStage.NoActivity}), {sign}
            WHERE {row}.outcome = 0
            ON CONFLICT (team_id, stage, activity_day) DO UPDATE SET leads = open_lead_stages.leads + excluded.leads
            """;
    }

    /// <summary>
    /// Per-source, per-campaign and per-owner aggregates of a set of lead rows (the <see cref="Grouped"/> columns and a
    /// sign), grouped, added in; groups that net to nothing (an update that changed none of their numbers) are skipped.
    /// </summary>
    private static IEnumerable<string> GroupStatements(Dialect d, string source)
    {
        yield return $"""
            INSERT INTO lead_group_stats (team_id, dimension, named, name, days, leads, won, lost, scored, score_micros, top_graded)
            SELECT g.team_id, g.dimension, CASE WHEN g.v IS NULL THEN 0 ELSE 1 END, COALESCE(g.v, ''), g.days,
                SUM(g.sign), SUM(CASE WHEN g.outcome = 1 THEN g.sign ELSE 0 END), SUM(CASE WHEN g.outcome = 2 THEN g.sign ELSE 0 END),
                SUM(CASE WHEN g.score_probability IS NULL THEN 0 ELSE g.sign END), SUM(g.sign * COALESCE({d.Micros("g.score_probability")}, 0)),
                SUM(CASE WHEN g.score_grade IN ('A', 'B') THEN g.sign ELSE 0 END)
            FROM (
                SELECT r.team_id, r.outcome, r.score_probability, r.score_grade, r.sign, k.dimension,
                    CASE k.dimension WHEN 1 THEN r.source WHEN 2 THEN r.campaign ELSE r.owner END AS v,
                    CASE WHEN r.outcome <> 0 AND r.closed_at IS NOT NULL THEN {d.CloseDays("r")} ELSE {LeadGroupStat.NotClosed} END AS days
                FROM {source} r CROSS JOIN (SELECT 1 AS dimension UNION ALL SELECT 2 UNION ALL SELECT 3) k
            ) g
            WHERE true GROUP BY 1, 2, 3, 4, 5
            HAVING SUM(g.sign) <> 0 OR SUM(CASE WHEN g.outcome = 1 THEN g.sign ELSE 0 END) <> 0 OR SUM(CASE WHEN g.outcome = 2 THEN g.sign ELSE 0 END) <> 0
                OR SUM(CASE WHEN g.score_probability IS NULL THEN 0 ELSE g.sign END) <> 0 OR SUM(g.sign * COALESCE({d.Micros("g.score_probability")}, 0)) <> 0
                OR SUM(CASE WHEN g.score_grade IN ('A', 'B') THEN g.sign ELSE 0 END) <> 0
            ORDER BY 1, 2, 3, 4, 5
            ON CONFLICT (team_id, dimension, named, name, days) DO UPDATE SET leads = lead_group_stats.leads + excluded.leads,
                won = lead_group_stats.won + excluded.won, lost = lead_group_stats.lost + excluded.lost, scored = lead_group_stats.scored + excluded.scored,
                score_micros = lead_group_stats.score_micros + excluded.score_micros, top_graded = lead_group_stats.top_graded + excluded.top_graded
            """;
        yield return $"""
            INSERT INTO owner_lead_days (team_id, kind, day, named, owner, leads)
            SELECT r.team_id, k.kind, CASE WHEN k.kind = {OwnerLeadDay.Created} THEN {d.Day("r.created_at")} ELSE {d.Day("r.closed_at")} END,
                CASE WHEN r.owner IS NULL THEN 0 ELSE 1 END, COALESCE(r.owner, ''), SUM(r.sign)
            FROM {source} r CROSS JOIN (SELECT 0 AS kind UNION ALL SELECT 1 UNION ALL SELECT 2) k
            WHERE k.kind = {OwnerLeadDay.Created} OR (r.outcome = k.kind AND r.closed_at IS NOT NULL)
            GROUP BY 1, 2, 3, 4, 5 HAVING SUM(r.sign) <> 0 ORDER BY 1, 2, 3, 4, 5
            ON CONFLICT (team_id, kind, day, named, owner) DO UPDATE SET leads = owner_lead_days.leads + excluded.leads
            """;
    }

    /// <summary>E-mails sent and replies of a set of activity rows (<see cref="ActivityColumns"/> and a sign), counted for their lead's owner.</summary>
    private static string ActivityStatement(Dialect d, string activities) => $"""
        INSERT INTO owner_activity_days (team_id, type, day, named, owner, activities)
        SELECT l.team_id, a.type, {d.Day("a.occurred_at")}, CASE WHEN l.owner IS NULL THEN 0 ELSE 1 END, COALESCE(l.owner, ''), SUM(a.sign)
        FROM {activities} a JOIN leads l ON l.id = a.lead_id AND l.team_id = a.team_id
        WHERE a.type IN ({Mail}) GROUP BY 1, 2, 3, 4, 5 HAVING SUM(a.sign) <> 0 ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (team_id, type, day, named, owner) DO UPDATE SET activities = owner_activity_days.activities + excluded.activities
        """;

    /// <summary>
    /// A lead's e-mails counted again for another owner or team (a source of lead rows: id, team_id, owner and a sign),
    /// when its owner or team changes, and taken away before it is deleted (its activities go with it by cascade, when
    /// the lead they would be counted for is no longer there to say whose they were).
    /// </summary>
    private static string OwnerMoveStatement(Dialect d, string leads) => $"""
        INSERT INTO owner_activity_days (team_id, type, day, named, owner, activities)
        SELECT o.team_id, a.type, {d.Day("a.occurred_at")}, CASE WHEN o.owner IS NULL THEN 0 ELSE 1 END, COALESCE(o.owner, ''), SUM(o.sign)
        FROM {leads} o JOIN activities a ON a.lead_id = o.id AND a.team_id = o.team_id
        WHERE a.type IN ({Mail}) GROUP BY 1, 2, 3, 4, 5 HAVING SUM(o.sign) <> 0 ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (team_id, type, day, named, owner) DO UPDATE SET activities = owner_activity_days.activities + excluded.activities
        """;

    /// <summary>Recomputes the first response of the leads in a source with a lead_id column (after deletes, updates, an owner or date change).</summary>
    private static IEnumerable<string> ResponseStatements(Dialect d, string leads)
    {
        yield return $"DELETE FROM lead_first_responses WHERE lead_id IN (SELECT a.lead_id FROM {leads} a)";
        yield return $"""
            INSERT INTO lead_first_responses (lead_id, team_id, created_at, owner, first_at, hours)
            SELECT f.id, f.team_id, f.created_at, f.owner, f.first_at, {d.Hours("f")} FROM (
                SELECT l.id, l.team_id, l.created_at, l.owner,
                    (SELECT MIN(x.occurred_at) FROM activities x WHERE x.lead_id = l.id AND x.occurred_at >= l.created_at AND x.type IN ({Outbound})) AS first_at
                FROM leads l WHERE l.id IN (SELECT a.lead_id FROM {leads} a)
            ) f
            WHERE f.first_at IS NOT NULL
            """;
    }

    /// <summary>New activities can only make a first response earlier: one upsert that keeps the earlier time.</summary>
    private static string ResponseInsertStatement(Dialect d, string activities) => $"""
        INSERT INTO lead_first_responses (lead_id, team_id, created_at, owner, first_at, hours)
        SELECT f.id, f.team_id, f.created_at, f.owner, f.first_at, {d.Hours("f")} FROM (
            SELECT l.id, l.team_id, l.created_at, l.owner, MIN(a.occurred_at) AS first_at
            FROM {activities} a JOIN leads l ON l.id = a.lead_id
            WHERE a.type IN ({Outbound}) AND a.occurred_at >= l.created_at
            GROUP BY l.id, l.team_id, l.created_at, l.owner
        ) f
        WHERE true ORDER BY 1
        ON CONFLICT (lead_id) DO UPDATE SET first_at = excluded.first_at, hours = excluded.hours
            WHERE excluded.first_at < lead_first_responses.first_at
        """;

    private static string RowSource(string row, IEnumerable<string> columns, int sign) =>
        $"(SELECT {string.Join(", ", columns.Select(c => $"{row}.{c} AS {c}"))}, {sign} AS sign)";

    private static string BothRows(IEnumerable<string> columns) =>
        $"(SELECT * FROM {RowSource("OLD", columns, -1)} o UNION ALL SELECT * FROM {RowSource("NEW", columns, 1)} n)";

    /// <summary>
    /// Recomputes the <see cref="LeadScoreMove"/> row of every lead in <paramref name="leads"/> (a source with a
    /// lead_id column) from its score history: idempotent and independent of the order rows arrive in, so inserts,
    /// deletes and updates of lead_scores all use it. Three probes of the (lead_id, scored_at) index per lead.
    /// </summary>
    private static IEnumerable<string> MoveStatements(Dialect d, string leads)
    {
        yield return $"""
            DELETE FROM lead_score_moves WHERE lead_id IN (SELECT a.lead_id FROM {leads} a)
                AND NOT EXISTS (SELECT 1 FROM lead_scores s WHERE s.lead_id = lead_score_moves.lead_id)
            """;
        yield return $"""
            INSERT INTO lead_score_moves (lead_id, team_id, day, from_probability, to_probability, change, scored_at)
            SELECT x.lead_id, x.team_id, x.day, x.from_p, x.to_p, abs(x.to_p - x.from_p), x.scored_at FROM (
                SELECT t.lead_id, t.team_id, t.day, t.probability AS to_p, t.scored_at,
                    COALESCE(
                        (SELECT p.probability FROM lead_scores p WHERE p.lead_id = t.lead_id AND p.scored_at < {d.DayStart("t.day - 6")}
                         ORDER BY p.scored_at DESC, p.id DESC LIMIT 1),
                        (SELECT p.probability FROM lead_scores p WHERE p.lead_id = t.lead_id ORDER BY p.scored_at, p.id LIMIT 1)) AS from_p
                FROM (
                    SELECT s.lead_id, s.team_id, s.probability, s.scored_at, {d.Day("s.scored_at")} AS day
                    FROM (SELECT DISTINCT a.lead_id FROM {leads} a) a
                    JOIN lead_scores s ON s.id = (SELECT l.id FROM lead_scores l WHERE l.lead_id = a.lead_id ORDER BY l.scored_at DESC, l.id DESC LIMIT 1)
                ) t
            ) x WHERE true ORDER BY 1
            ON CONFLICT (lead_id) DO UPDATE SET team_id = excluded.team_id, day = excluded.day, from_probability = excluded.from_probability,
                to_probability = excluded.to_probability, change = excluded.change, scored_at = excluded.scored_at
            """;
    }

    // A history row later than row r of the same lead (ties on the time go to the higher id, as the readers order them).
    private static string LaterThan(string r) =>
        $"EXISTS (SELECT 1 FROM lead_scores l WHERE l.lead_id = {r}.lead_id AND (l.scored_at > {r}.scored_at OR (l.scored_at = {r}.scored_at AND l.id > {r}.id)))";

    /// <summary>
    /// The usual insert: new history rows that are their lead's latest (a rescoring, an activity), given as a source
    /// with at most one row per lead. Their move is computed from the row itself and one probe for the baseline,
    /// without looking the latest row up again: on SQLite 20 times cheaper than the general recomputation.
    /// </summary>
    private static string LatestMoveStatement(Dialect d, string latest) => $"""
        INSERT INTO lead_score_moves (lead_id, team_id, day, from_probability, to_probability, change, scored_at)
        SELECT x.lead_id, x.team_id, x.day, x.from_p, x.probability, abs(x.probability - x.from_p), x.scored_at FROM (
            SELECT n.lead_id, n.team_id, n.day, n.probability, n.scored_at,
                COALESCE(
                    (SELECT p.probability FROM lead_scores p WHERE p.lead_id = n.lead_id AND p.scored_at < {d.DayStart("n.day - 6")}
                     ORDER BY p.scored_at DESC, p.id DESC LIMIT 1),
                    (SELECT p.probability FROM lead_scores p WHERE p.lead_id = n.lead_id ORDER BY p.scored_at, p.id LIMIT 1)) AS from_p
            FROM (SELECT r.lead_id, r.team_id, r.probability, r.scored_at, {d.Day("r.scored_at")} AS day FROM {latest} r) n
        ) x WHERE true ORDER BY 1
        ON CONFLICT (lead_id) DO UPDATE SET team_id = excluded.team_id, day = excluded.day, from_probability = excluded.from_probability,
            to_probability = excluded.to_probability, change = excluded.change, scored_at = excluded.scored_at
        """;

    private static string Changed(IEnumerable<string> columns, string distinct) =>
        string.Join(" OR ", columns.Select(c => $"OLD.{c} {distinct} NEW.{c}"));

    private static IEnumerable<string> SqliteTriggers()
    {
        static string Body(IEnumerable<string> statements) => string.Concat(statements.Select(s => s + ";\n"));
        yield return $"CREATE TRIGGER {Tag}_inserted AFTER INSERT ON leads BEGIN\n"
                     + $"{Body(RowStatements(Sqlite, "NEW", 1).Concat(GroupStatements(Sqlite, RowSource("NEW", Grouped, 1))))}END";
        yield return $"CREATE TRIGGER {Tag}_deleted AFTER DELETE ON leads BEGIN\n"
                     + $"{Body(RowStatements(Sqlite, "OLD", -1).Concat(GroupStatements(Sqlite, RowSource("OLD", Grouped, -1))))}END";
        var grouped = Grouped.Where(c => c != "id").ToList();
        yield return $"CREATE TRIGGER {Tag}_groups_updated AFTER UPDATE OF {string.Join(", ", grouped)} ON leads WHEN {Changed(grouped, "IS NOT")} BEGIN\n"
                     + $"{Body(GroupStatements(Sqlite, BothRows(Grouped)))}END";
        yield return $"CREATE TRIGGER {Tag}_owner_moved AFTER UPDATE OF owner, team_id ON leads WHEN {Changed(["owner", "team_id"], "IS NOT")} BEGIN\n"
                     + $"{OwnerMoveStatement(Sqlite, BothRows(["id", "team_id", "owner"]))};\nEND";
        yield return $"CREATE TRIGGER {Tag}_leaving BEFORE DELETE ON leads BEGIN\n{OwnerMoveStatement(Sqlite, RowSource("OLD", ["id", "team_id", "owner"], -1))};\nEND";
        yield return $"CREATE TRIGGER {Tag}_activities_inserted AFTER INSERT ON activities WHEN NEW.type IN ({Mail}) BEGIN\n"
                     + $"{ActivityStatement(Sqlite, RowSource("NEW", ActivityColumns, 1))};\nEND";
        yield return $"CREATE TRIGGER {Tag}_activities_deleted AFTER DELETE ON activities WHEN OLD.type IN ({Mail}) BEGIN\n"
                     + $"{ActivityStatement(Sqlite, RowSource("OLD", ActivityColumns, -1))};\nEND";
        yield return $"CREATE TRIGGER {Tag}_activities_updated AFTER UPDATE OF {string.Join(", ", ActivityColumns)} ON activities "
                     + $"WHEN {Changed(ActivityColumns, "IS NOT")} BEGIN\n{ActivityStatement(Sqlite, BothRows(ActivityColumns))};\n"
                     + $"{Body(ResponseStatements(Sqlite, "(SELECT OLD.lead_id AS lead_id UNION SELECT NEW.lead_id)"))}END";
        yield return $"CREATE TRIGGER {Tag}_responses_inserted AFTER INSERT ON activities WHEN NEW.type IN ({Outbound}) BEGIN\n"
                     + $"{ResponseInsertStatement(Sqlite, RowSource("NEW", ActivityColumns, 1))};\nEND";
        yield return $"CREATE TRIGGER {Tag}_responses_deleted AFTER DELETE ON activities WHEN OLD.type IN ({Outbound}) BEGIN\n"
                     + $"{Body(ResponseStatements(Sqlite, "(SELECT OLD.lead_id AS lead_id)"))}END";
        yield return $"CREATE TRIGGER {Tag}_responses_moved AFTER UPDATE OF owner, team_id, created_at ON leads "
                     + $"WHEN {Changed(["owner", "team_id", "created_at"], "IS NOT")} BEGIN\n{Body(ResponseStatements(Sqlite, "(SELECT NEW.id AS lead_id)"))}END";
        yield return $"CREATE TRIGGER {Tag}_updated AFTER UPDATE OF {string.Join(", ", Counted)} ON leads WHEN {Changed(Counted, "IS NOT")} BEGIN\n"
                     + $"{Body(RowStatements(Sqlite, "OLD", -1).Concat(RowStatements(Sqlite, "NEW", 1)))}END";
        var newRow = RowSource("NEW", ["id", "lead_id", "team_id", "probability", "scored_at"], 1);
        yield return $"CREATE TRIGGER {Tag}_scores_inserted AFTER INSERT ON lead_scores WHEN NOT {LaterThan("NEW")} BEGIN\n"
                     + $"{LatestMoveStatement(Sqlite, newRow)};\nEND";
        // A row inserted behind a later one (a backfill) can change the baseline of the latest: recompute the lead.
        yield return $"CREATE TRIGGER {Tag}_scores_inserted_late AFTER INSERT ON lead_scores WHEN {LaterThan("NEW")} BEGIN\n"
                     + $"{Body(MoveStatements(Sqlite, "(SELECT NEW.lead_id AS lead_id)"))}END";
        yield return $"CREATE TRIGGER {Tag}_scores_deleted AFTER DELETE ON lead_scores BEGIN\n{Body(MoveStatements(Sqlite, "(SELECT OLD.lead_id AS lead_id)"))}END";
        yield return $"CREATE TRIGGER {Tag}_scores_updated AFTER UPDATE ON lead_scores BEGIN\n"
                     + $"{Body(MoveStatements(Sqlite, "(SELECT OLD.lead_id AS lead_id UNION SELECT NEW.lead_id)"))}END";
    }

    private static IEnumerable<string> PostgresTriggers()
    {
        static string Function(string name, IEnumerable<string> statements, string returns = "NULL") =>
            $"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $gb$\nBEGIN\n{string.Concat(statements.Select(s => s + ";\n"))}RETURN {returns};\nEND\n$gb$";
        var columns = string.Join(", ", Counted);
        var grouped = string.Join(", ", Grouped);
        yield return Function($"{Tag}_inserted", SetStatements(Postgres, $"(SELECT {columns}, 1 AS sign FROM gb_new_leads)")
            .Concat(GroupStatements(Postgres, $"(SELECT {grouped}, 1 AS sign FROM gb_new_leads)")));
        yield return Function($"{Tag}_deleted", SetStatements(Postgres, $"(SELECT {columns}, -1 AS sign FROM gb_old_leads)")
            .Concat(GroupStatements(Postgres, $"(SELECT {grouped}, -1 AS sign FROM gb_old_leads)")));
        yield return Function($"{Tag}_updated", RowStatements(Postgres, "OLD", -1).Concat(RowStatements(Postgres, "NEW", 1)));
        // Per statement with both transition tables: a rescoring chunk changes every lead's score, and one grouped
        // upsert per chunk costs far less than a row trigger per lead.
        yield return Function($"{Tag}_groups_updated", GroupStatements(Postgres,
            $"(SELECT {grouped}, -1 AS sign FROM gb_old_leads UNION ALL SELECT {grouped}, 1 AS sign FROM gb_new_leads)"));
        yield return Function($"{Tag}_owner_moved", [OwnerMoveStatement(Postgres, BothRows(["id", "team_id", "owner"]))]);
        yield return Function($"{Tag}_leaving", [OwnerMoveStatement(Postgres, RowSource("OLD", ["id", "team_id", "owner"], -1))], "OLD");
        var activityColumns = string.Join(", ", ActivityColumns);
        yield return Function($"{Tag}_activities_inserted", [ActivityStatement(Postgres, $"(SELECT {activityColumns}, 1 AS sign FROM gb_new_activities)"),
            ResponseInsertStatement(Postgres, "gb_new_activities")]);
        yield return Function($"{Tag}_activities_deleted", [ActivityStatement(Postgres, $"(SELECT {activityColumns}, -1 AS sign FROM gb_old_activities)"),
            ..ResponseStatements(Postgres, $"(SELECT DISTINCT lead_id FROM gb_old_activities WHERE type IN ({Outbound}))")]);
        yield return Function($"{Tag}_activities_updated", [ActivityStatement(Postgres,
            $"(SELECT {activityColumns}, -1 AS sign FROM gb_old_activities UNION ALL SELECT {activityColumns}, 1 AS sign FROM gb_new_activities)"),
            ..ResponseStatements(Postgres, "(SELECT lead_id FROM gb_old_activities UNION SELECT lead_id FROM gb_new_activities)")]);
        yield return Function($"{Tag}_responses_moved", ResponseStatements(Postgres, "(SELECT NEW.id AS lead_id)"));
        yield return $"CREATE TRIGGER {Tag}_inserted AFTER INSERT ON leads REFERENCING NEW TABLE AS gb_new_leads FOR EACH STATEMENT EXECUTE FUNCTION {Tag}_inserted()";
        yield return $"CREATE TRIGGER {Tag}_deleted AFTER DELETE ON leads REFERENCING OLD TABLE AS gb_old_leads FOR EACH STATEMENT EXECUTE FUNCTION {Tag}_deleted()";
        yield return $"CREATE TRIGGER {Tag}_updated AFTER UPDATE ON leads FOR EACH ROW WHEN ({Changed(Counted, "IS DISTINCT FROM")}) EXECUTE FUNCTION {Tag}_updated()";
        yield return $"CREATE TRIGGER {Tag}_groups_updated AFTER UPDATE ON leads REFERENCING OLD TABLE AS gb_old_leads NEW TABLE AS gb_new_leads FOR EACH STATEMENT EXECUTE FUNCTION {Tag}_groups_updated()";
        yield return $"CREATE TRIGGER {Tag}_owner_moved AFTER UPDATE OF owner, team_id ON leads FOR EACH ROW WHEN ({Changed(["owner", "team_id"], "IS DISTINCT FROM")}) EXECUTE FUNCTION {Tag}_owner_moved()";
        yield return $"CREATE TRIGGER {Tag}_leaving BEFORE DELETE ON leads FOR EACH ROW EXECUTE FUNCTION {Tag}_leaving()";
        yield return $"CREATE TRIGGER {Tag}_responses_moved AFTER UPDATE OF owner, team_id, created_at ON leads FOR EACH ROW "
                     + $"WHEN ({Changed(["owner", "team_id", "created_at"], "IS DISTINCT FROM")}) EXECUTE FUNCTION {Tag}_responses_moved()";
        yield return $"CREATE TRIGGER {Tag}_activities_inserted AFTER INSERT ON activities REFERENCING NEW TABLE AS gb_new_activities FOR EACH STATEMENT EXECUTE FUNCTION {Tag}_activities_inserted()";
        yield return $"CREATE TRIGGER {Tag}_activities_deleted AFTER DELETE ON activities REFERENCING OLD TABLE AS gb_old_activities FOR EACH STATEMENT EXECUTE FUNCTION {Tag}_activities_deleted()";
        yield return $"CREATE TRIGGER {Tag}_activities_updated AFTER UPDATE ON activities REFERENCING OLD TABLE AS gb_old_activities NEW TABLE AS gb_new_activities FOR EACH STATEMENT EXECUTE FUNCTION {Tag}_activities_updated()";
        // Score history: per statement, so a rescoring chunk of 20,000 rows recomputes its leads in one set-based upsert.
        // Each lead's latest new row, when nothing later is stored, takes the short way; any other lead of the
        // statement (a backfill behind later rows, several rows of one lead) is recomputed from its history.
        yield return Function($"{Tag}_scores_inserted", [
            LatestMoveStatement(Postgres, $"""
                (SELECT * FROM (SELECT DISTINCT ON (s.lead_id) s.id, s.lead_id, s.team_id, s.probability, s.scored_at FROM gb_new_scores s
                 ORDER BY s.lead_id, s.scored_at DESC, s.id DESC) s WHERE NOT {LaterThan("s")})
                """),
            ..MoveStatements(Postgres, $"(SELECT s.lead_id FROM gb_new_scores s WHERE {LaterThan("s")})")]);
        yield return Function($"{Tag}_scores_deleted", MoveStatements(Postgres, "gb_old_scores"));
        yield return Function($"{Tag}_scores_updated", MoveStatements(Postgres, "(SELECT lead_id FROM gb_old_scores UNION SELECT lead_id FROM gb_new_scores)"));
        yield return $"CREATE TRIGGER {Tag}_scores_inserted AFTER INSERT ON lead_scores REFERENCING NEW TABLE AS gb_new_scores FOR EACH STATEMENT EXECUTE FUNCTION {Tag}_scores_inserted()";
        yield return $"CREATE TRIGGER {Tag}_scores_deleted AFTER DELETE ON lead_scores REFERENCING OLD TABLE AS gb_old_scores FOR EACH STATEMENT EXECUTE FUNCTION {Tag}_scores_deleted()";
        yield return $"CREATE TRIGGER {Tag}_scores_updated AFTER UPDATE ON lead_scores REFERENCING OLD TABLE AS gb_old_scores NEW TABLE AS gb_new_scores FOR EACH STATEMENT EXECUTE FUNCTION {Tag}_scores_updated()";
    }

    private static async Task ExecAsync(DbConnection connection, DbTransaction tx, string sql, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.CommandTimeout = 0;
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task<long> ScalarAsync(DbConnection connection, DbTransaction? tx, string sql, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<List<string>> NamesAsync(DbConnection connection, DbTransaction tx, string sql, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        var names = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) names.Add(reader.GetString(0));
        return names;
    }
}
