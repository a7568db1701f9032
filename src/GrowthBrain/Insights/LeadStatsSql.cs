using GrowthBrain.Leads;

namespace GrowthBrain.Insights;

/// <summary>
/// The SQL that computes the lead aggregates (<see cref="TeamLeadCount"/>, <see cref="ClosedLeadDay"/>,
/// <see cref="WonCycleMonth"/>, <see cref="OpenLeadStage"/> and the rest of LeadStats.cs) for a set of rows, in each
/// provider's dialect: the triggers (<see cref="LeadStatsTriggers"/>) add in the rows a statement wrote or took away,
/// the rebuild adds in every row. One text for both, so incremental and full recomputation cannot drift apart.
/// </summary>
public static class LeadStatsSql
{
    public const string NoStage = "(no stage)";

    // The columns the aggregates depend on: an update that changes none of them costs the triggers nothing.
    internal static readonly string[] Counted = ["team_id", "outcome", "closed_at", "created_at", "stage", "last_activity_at"];

    // The columns the per-source, per-campaign and per-owner aggregates depend on (scores included: rescoring changes them).
    internal static readonly string[] Grouped = ["id", "team_id", "source", "campaign", "owner", "outcome", "closed_at", "created_at", "score_probability", "score_grade"];

    internal static readonly string[] ActivityColumns = ["team_id", "lead_id", "type", "occurred_at"];

    // The team page counts e-mails sent and replies; other activity types cost the triggers nothing.
    internal static readonly string Mail = $"{(int)ActivityType.EmailSent}, {(int)ActivityType.EmailReplied}";

    // What counts as a response to a new lead on the team page (GetTeamReport).
    internal static readonly string Outbound = string.Join(", ", GetTeamReportHandler.Outbound.Select(t => (int)t));

    internal sealed record Dialect(Func<string, string> Day, Func<string, string> Cycle, Func<string, string> Month, Func<string, string> DayStart,
        Func<string, string> CloseDays, Func<string, string> Micros, Func<string, string> Hours);

    // Whole seconds first, then whole days, on both providers alike, so a rebuild on either gives the same numbers.
    internal static readonly Dialect Sqlite = new(
        c => $"(unixepoch({c}) / 86400)",
        r => $"max(0, (unixepoch({r}.closed_at) - unixepoch({r}.created_at)) / 86400)",
        r => $"(CAST(strftime('%Y', {r}.closed_at) AS INTEGER) * 12 + CAST(strftime('%m', {r}.closed_at) AS INTEGER) - 1)",
        // The text EF stores ('yyyy-MM-dd HH:mm:ss.FFFFFFF') sorts after this for every instant of the day.
        day => $"datetime(({day}) * 86400, 'unixepoch')",
        // Days to close exactly as the sources report has always counted them on this provider.
        r => $"max(0, (unixepoch({r}.closed_at) - unixepoch({r}.created_at)) / 86400)",
        p => $"CAST(round({p} * 1000000) AS INTEGER)",
        f => $"((unixepoch({f}.first_at) - unixepoch({f}.created_at)) / 3600)");

    internal static readonly Dialect Postgres = new(
        c => $"(floor(extract(epoch FROM {c}))::bigint / 86400)::int",
        r => $"greatest(0, (floor(extract(epoch FROM {r}.closed_at))::bigint - floor(extract(epoch FROM {r}.created_at))::bigint) / 86400)::int",
        r => $"(extract(year FROM {r}.closed_at AT TIME ZONE 'UTC')::int * 12 + extract(month FROM {r}.closed_at AT TIME ZONE 'UTC')::int - 1)",
        day => $"to_timestamp(({day})::bigint * 86400)",
        r => $"greatest(0, CAST(floor(extract(epoch from ({r}.closed_at - {r}.created_at)) / 86400) AS integer))",
        p => $"CAST(round({p} * 1000000) AS bigint)",
        f => $"CAST(floor(extract(epoch from ({f}.first_at - {f}.created_at)) / 3600) AS integer)");

    /// <summary>The aggregates of a set of rows (a source with the counted columns and a sign of +1 or −1), grouped, added in.</summary>
    internal static IEnumerable<string> SetStatements(Dialect d, string source)
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
    internal static IEnumerable<string> RowStatements(Dialect d, string row, int sign)
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
    internal static IEnumerable<string> GroupStatements(Dialect d, string source)
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
    internal static string ActivityStatement(Dialect d, string activities) => $"""
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
    internal static string OwnerMoveStatement(Dialect d, string leads) => $"""
        INSERT INTO owner_activity_days (team_id, type, day, named, owner, activities)
        SELECT o.team_id, a.type, {d.Day("a.occurred_at")}, CASE WHEN o.owner IS NULL THEN 0 ELSE 1 END, COALESCE(o.owner, ''), SUM(o.sign)
        FROM {leads} o JOIN activities a ON a.lead_id = o.id AND a.team_id = o.team_id
        WHERE a.type IN ({Mail}) GROUP BY 1, 2, 3, 4, 5 HAVING SUM(o.sign) <> 0 ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (team_id, type, day, named, owner) DO UPDATE SET activities = owner_activity_days.activities + excluded.activities
        """;

    /// <summary>Recomputes the first response of the leads in a source with a lead_id column (after deletes, updates, an owner or date change).</summary>
    internal static IEnumerable<string> ResponseStatements(Dialect d, string leads)
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
    internal static string ResponseInsertStatement(Dialect d, string activities) => $"""
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

    internal static string RowSource(string row, IEnumerable<string> columns, int sign) =>
        $"(SELECT {string.Join(", ", columns.Select(c => $"{row}.{c} AS {c}"))}, {sign} AS sign)";

    internal static string BothRows(IEnumerable<string> columns) =>
        $"(SELECT * FROM {RowSource("OLD", columns, -1)} o UNION ALL SELECT * FROM {RowSource("NEW", columns, 1)} n)";

    /// <summary>
    /// Recomputes the <see cref="LeadScoreMove"/> row of every lead in <paramref name="leads"/> (a source with a
    /// lead_id column) from its score history: idempotent and independent of the order rows arrive in, so inserts,
    /// deletes and updates of lead_scores all use it. Three probes of the (lead_id, scored_at) index per lead.
    /// </summary>
    internal static IEnumerable<string> MoveStatements(Dialect d, string leads)
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
    internal static string LaterThan(string r) =>
        $"EXISTS (SELECT 1 FROM lead_scores l WHERE l.lead_id = {r}.lead_id AND (l.scored_at > {r}.scored_at OR (l.scored_at = {r}.scored_at AND l.id > {r}.id)))";

    /// <summary>
    /// The usual insert: new history rows that are their lead's latest (a rescoring, an activity), given as a source
    /// with at most one row per lead. Their move is computed from the row itself and one probe for the baseline,
    /// without looking the latest row up again: on SQLite 20 times cheaper than the general recomputation.
    /// </summary>
    internal static string LatestMoveStatement(Dialect d, string latest) => $"""
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

    internal static string Changed(IEnumerable<string> columns, string distinct) =>
        string.Join(" OR ", columns.Select(c => $"OLD.{c} {distinct} NEW.{c}"));
}
