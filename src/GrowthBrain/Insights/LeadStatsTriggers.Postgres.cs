using static GrowthBrain.Insights.LeadStatsSql;

namespace GrowthBrain.Insights;

// PostgreSQL keeps the aggregates per statement from transition tables for inserts and deletes (one grouped upsert per
// import batch, not per row); updates of the counted columns use a row trigger whose WHEN clause skips, in the
// server, every update that touches none of them (scoring, consent, notes).
public static partial class LeadStatsTriggers
{
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
}
