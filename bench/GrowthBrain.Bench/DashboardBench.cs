using System.Diagnostics;
using GrowthBrain.Data;
using GrowthBrain.Insights;
using GrowthBrain.Scoring;
using Microsoft.EntityFrameworkCore;

/// <summary>
/// Server time of the dashboard reports (sources, team, model) on a large database. The leads and activities are
/// written by one INSERT ... SELECT each (no CSV), because what is measured is the reports' queries, not the import.
/// </summary>
internal static class DashboardBench
{
    public static async Task<Dictionary<string, object?>> RunAsync(Options o)
    {
        var leads = o.Int("leads", 1_000_000);
        var perLead = o.Int("activities", 5);
        var runs = o.Int("runs", 5);
        var provider = o.Get("provider").ToLowerInvariant() is "postgres" or "postgresql" ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite;
        var factory = new GrowthBrainDbFactory(new DatabaseSettings(provider, o.Get("connection")));
        var result = new Dictionary<string, object?> { ["provider"] = provider.ToString(), ["leads"] = leads, ["activitiesPerLead"] = perLead };

        long teamId;
        await using (var db = factory.CreateDbContext())
        {
            teamId = (await new MigrateDatabaseHandler(db, TimeProvider.System).HandleAsync(new MigrateDatabase(), CancellationToken.None)).DefaultTeamId;
            db.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));
            var sw = Stopwatch.StartNew();
            await db.Database.ExecuteSqlRawAsync(provider == DatabaseProvider.Postgres ? PostgresLeads(teamId, leads) : SqliteLeads(teamId, leads));
            await db.Database.ExecuteSqlRawAsync(provider == DatabaseProvider.Postgres ? PostgresActivities(teamId, perLead) : SqliteActivities(teamId, perLead));
            await db.Database.ExecuteSqlRawAsync("ANALYZE");
            result["fillSeconds"] = Math.Round(sw.Elapsed.TotalSeconds, 1);
            var model = new ModelVersion
            {
                TeamId = teamId, Number = 1, Status = ModelStatus.Active, Kind = "bench", Description = "bench", CreatedAt = DateTime.UtcNow,
                Report = "{}", FeatureSchema = "{}", Model = [],
            };
            db.ModelVersions.Add(model);
            await db.SaveChangesAsync();
            await db.Database.ExecuteSqlRawAsync("UPDATE leads SET score_model_version_id = {0} WHERE outcome = 0", model.Id);
        }

        async Task<double[]> TimeAsync(Func<GrowthBrainDb, Task> report)
        {
            var times = new List<double>();
            for (var i = 0; i <= runs; i++)
            {
                await using var db = factory.CreateDbContext();
                var sw = Stopwatch.StartNew();
                await report(db);
                if (i > 0) times.Add(sw.Elapsed.TotalMilliseconds); // the first run warms caches and the connection pool
            }
            times.Sort();
            return [Math.Round(times[times.Count / 2], 1), Math.Round(times[^1], 1)];
        }

        result["sourcesMs(median,max)"] = await TimeAsync(db => new GetSourceReportHandler(db).HandleAsync(new GetSourceReport(teamId), CancellationToken.None));
        foreach (var days in GetTeamReport.Periods)
            result[$"team{days}Ms(median,max)"] = await TimeAsync(db => new GetTeamReportHandler(db, TimeProvider.System).HandleAsync(new GetTeamReport(days, teamId), CancellationToken.None));
        result["modelMs(median,max)"] = await TimeAsync(db => new GetModelReportHandler(db).HandleAsync(new GetModelReport(teamId), CancellationToken.None));
        return result;
    }

    // 12 sources, 80 campaigns, 25 reps; 30% won, 30% lost, 40% open; created over the last two years.
    private static string PostgresLeads(long team, int n) => $"""
        INSERT INTO leads (team_id, first_name, source, campaign, owner, outcome, created_at, closed_at, score_probability, score_grade,
                           custom_fields, content_hash, imported_at, updated_at)
        SELECT {team}, 'Lead ' || i, 'Source ' || (i % 12), 'Campaign ' || (i % 80), 'Rep ' || (i % 25),
               CASE WHEN i % 10 < 3 THEN 1 WHEN i % 10 < 6 THEN 2 ELSE 0 END,
               now() - (i % 730) * interval '1 day',
               CASE WHEN i % 10 < 6 THEN now() - (i % 730) * interval '1 day' + (i % 60) * interval '1 day' END,
               (i % 1000) / 1000.0, CASE WHEN i % 4 = 0 THEN 'A' WHEN i % 4 = 1 THEN 'B' WHEN i % 4 = 2 THEN 'C' ELSE 'D' END,
               chr(123) || chr(125), i, now(), now()
        FROM generate_series(1, {n}) AS i
        """;

    private static string PostgresActivities(long team, int perLead) => $"""
        INSERT INTO activities (team_id, lead_id, type, occurred_at)
        SELECT {team}, l.id, (l.id + g) % 9, l.created_at + g * interval '7 hours' + (l.id % 50) * interval '1 hour'
        FROM leads l CROSS JOIN generate_series(1, {perLead}) AS g
        """;

    private static string SqliteLeads(long team, int n) => $"""
        WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {n})
        INSERT INTO leads (team_id, first_name, source, campaign, owner, outcome, created_at, closed_at, score_probability, score_grade,
                           custom_fields, content_hash, imported_at, updated_at)
        SELECT {team}, 'Lead ' || i, 'Source ' || (i % 12), 'Campaign ' || (i % 80), 'Rep ' || (i % 25),
               CASE WHEN i % 10 < 3 THEN 1 WHEN i % 10 < 6 THEN 2 ELSE 0 END,
               datetime('now', '-' || (i % 730) || ' days'),
               CASE WHEN i % 10 < 6 THEN datetime('now', '-' || (i % 730) || ' days', '+' || (i % 60) || ' days') END,
               (i % 1000) / 1000.0, CASE WHEN i % 4 = 0 THEN 'A' WHEN i % 4 = 1 THEN 'B' WHEN i % 4 = 2 THEN 'C' ELSE 'D' END,
               char(123, 125), i, datetime('now'), datetime('now')
        FROM s
        """;

    private static string SqliteActivities(long team, int perLead) => $"""
        WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < {perLead})
        INSERT INTO activities (team_id, lead_id, type, occurred_at)
        SELECT {team}, l.id, (l.id + g.i) % 9, datetime(l.created_at, '+' || (g.i * 7 + l.id % 50) || ' hours')
        FROM leads l CROSS JOIN g
        """;
}
