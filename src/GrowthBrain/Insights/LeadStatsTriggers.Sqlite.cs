using static GrowthBrain.Insights.LeadStatsSql;

namespace GrowthBrain.Insights;

// SQLite has only row triggers: each is a few indexed upserts, and a WHEN clause skips the updates that change
// nothing counted.
public static partial class LeadStatsTriggers
{
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
}
