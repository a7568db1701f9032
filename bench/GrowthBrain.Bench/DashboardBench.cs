using System.Diagnostics;
using System.Security.Claims;
using GrowthBrain.Accounts;
using GrowthBrain.Data;
using GrowthBrain.Insights;
using GrowthBrain.Leads;
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
        // The overview and the leads page have p95 targets, so they get enough runs for a 95th percentile.
        var pageRuns = o.Int("page-runs", 20);
        var only = o.Has("pages-only");
        var provider = o.Get("provider").ToLowerInvariant() is "postgres" or "postgresql" ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite;
        var factory = new GrowthBrainDbFactory(new DatabaseSettings(provider, o.Get("connection")));
        var result = new Dictionary<string, object?> { ["provider"] = provider.ToString(), ["leads"] = leads, ["activitiesPerLead"] = perLead };

        long teamId;
        await using (var db = factory.CreateDbContext())
        {
            db.Database.SetCommandTimeout(TimeSpan.FromMinutes(60));
            var migrate = Stopwatch.StartNew();
            teamId = (await new MigrateDatabaseHandler(db, TimeProvider.System).HandleAsync(new MigrateDatabase(), CancellationToken.None)).DefaultTeamId;
            result["migrateSeconds"] = Math.Round(migrate.Elapsed.TotalSeconds, 1);
            // --reuse measures again on a database an earlier run filled (after a change of code or schema),
            // instead of spending most of the run filling it again.
            var filled = o.Has("reuse") && await db.Leads.AnyAsync();
            result["reused"] = filled;
            if (filled) result.Remove("activitiesPerLead"); // as the earlier run filled it
            if (!filled) await FillAsync(db, provider, teamId, leads, perLead, result);
        }

        async Task<double[]> TimeAsync(Func<GrowthBrainDb, Task> report, int count, TeamScope? scope = null)
        {
            var times = new List<double>();
            for (var i = 0; i <= count; i++)
            {
                await using var db = factory.CreateDbContext();
                db.Scope = scope;
                var sw = Stopwatch.StartNew();
                await report(db);
                if (i > 0) times.Add(sw.Elapsed.TotalMilliseconds); // the first run warms caches and the connection pool
            }
            times.Sort();
            // Nearest-rank percentiles: with 20 runs the 95th is the 19th slowest... i.e. the second slowest.
            double Rank(double p) => times[Math.Max(0, (int)Math.Ceiling(p * times.Count) - 1)];
            return [Math.Round(Rank(0.5), 1), Math.Round(Rank(0.95), 1), Math.Round(times[^1], 1)];
        }

        var rep = new TeamScope();
        rep.SetUser(new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Role, nameof(UserRole.Rep)), new Claim(TeamScope.TeamClaim, teamId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
             new Claim(ClaimTypes.Email, "rep@bench")], "bench")));
        // One baseline memory for all runs, as the app's singleton; the warm-up run fills it (timed on its own).
        var baselines = new ReplyBaselines();
        result["overviewFirstMs"] = (await TimeAsync(db => new GetOverviewHandler(db, TimeProvider.System).HandleAsync(new GetOverview(teamId), CancellationToken.None), 1))[0];
        result["overviewMs(p50,p95,max)"] = await TimeAsync(db => new GetOverviewHandler(db, TimeProvider.System, baselines).HandleAsync(new GetOverview(teamId), CancellationToken.None), pageRuns);
        // The leads page's first render asks for page 1 of 25 sorted by score, highest first (LeadsPage.razor).
        var firstPage = new ListLeads(Page: 1, PageSize: 25, SortBy: "score", Descending: true);
        result["leadsFirstPageOwnerMs(p50,p95,max)"] = await TimeAsync(db => new ListLeadsHandler(db).HandleAsync(firstPage, CancellationToken.None), pageRuns);
        result["leadsFirstPageRepMs(p50,p95,max)"] = await TimeAsync(db => new ListLeadsHandler(db).HandleAsync(firstPage, CancellationToken.None), pageRuns, rep);
        // Filtered first pages (as the owner): each counts its matches up to the cap.
        foreach (var (name, filter) in new (string, ListLeads)[]
                 {
                     ("Source", firstPage with { Source = "Source 3" }), ("Owner", firstPage with { Owner = "Rep 7" }),
                     ("GradeA", firstPage with { Grade = "A" }), ("Open", firstPage with { Outcome = LeadOutcome.Open }),
                     ("Search", firstPage with { Search = "Lead 12345" }),
                 })
            result[$"leadsFiltered{name}Ms(p50,p95,max)"] = await TimeAsync(db => new ListLeadsHandler(db).HandleAsync(filter, CancellationToken.None), pageRuns);
        if (only) return result;

        // The reports now have the overview's p95 target, so they get as many runs.
        var reportRuns = Math.Max(runs, pageRuns);
        result["sourcesMs(p50,p95,max)"] = await TimeAsync(db => new GetSourceReportHandler(db).HandleAsync(new GetSourceReport(teamId), CancellationToken.None), reportRuns);
        foreach (var days in GetTeamReport.Periods)
            result[$"team{days}Ms(p50,p95,max)"] = await TimeAsync(db => new GetTeamReportHandler(db, TimeProvider.System).HandleAsync(new GetTeamReport(days, teamId), CancellationToken.None), reportRuns);
        result["modelMs(p50,p95,max)"] = await TimeAsync(db => new GetModelReportHandler(db).HandleAsync(new GetModelReport(teamId), CancellationToken.None), runs);

        if (o.Has("no-rescore")) return result;
        // Two full rescorings of every open lead, nine and two days ago, written as ScoreLeadsHandler writes them: a
        // history row per lead per 20,000-lead chunk statement (the score-move triggers fire per statement), then the
        // leads' score columns (the per-source aggregates follow them). Then the overview again: the case that took
        // seconds when the movers looked up every moved lead's earlier score.
        await using (var db = factory.CreateDbContext())
        {
            db.Database.SetCommandTimeout(TimeSpan.FromMinutes(60));
            var modelId = await db.ModelVersions.Where(m => m.TeamId == teamId).Select(m => m.Id).FirstAsync();
            var maxId = await db.Leads.MaxAsync(l => l.Id);
            foreach (var (daysAgo, shift) in new[] { (9, 0), (2, 137) })
            {
                var history = Stopwatch.StartNew();
                for (long from = 0; from <= maxId; from += 20_000)
                    await db.Database.ExecuteSqlRawAsync(provider == DatabaseProvider.Postgres ? PostgresScores(teamId, modelId, daysAgo, shift, from) : SqliteScores(teamId, modelId, daysAgo, shift, from));
                result[$"rescore{daysAgo}DaysAgoHistorySeconds"] = Math.Round(history.Elapsed.TotalSeconds, 1);
                var leadsUpdate = Stopwatch.StartNew();
                for (long from = 0; from <= maxId; from += 20_000)
                    await db.Database.ExecuteSqlAsync(
                        $"UPDATE leads SET score_probability = ((id + {shift}) % 1000) / 1000.0, model_probability = ((id + {shift}) % 1000) / 1000.0 WHERE outcome = 0 AND id > {from} AND id <= {from + 20_000}");
                result[$"rescore{daysAgo}DaysAgoLeadsUpdateSeconds"] = Math.Round(leadsUpdate.Elapsed.TotalSeconds, 1);
            }
            await db.Database.ExecuteSqlRawAsync(provider == DatabaseProvider.Postgres ? "ANALYZE" : "ANALYZE");
        }
        result["overviewAfterRescoringMs(p50,p95,max)"] = await TimeAsync(db => new GetOverviewHandler(db, TimeProvider.System, baselines).HandleAsync(new GetOverview(teamId), CancellationToken.None), pageRuns);
        result["sourcesAfterRescoringMs(p50,p95,max)"] = await TimeAsync(db => new GetSourceReportHandler(db).HandleAsync(new GetSourceReport(teamId), CancellationToken.None), runs);
        return result;
    }

    private static async Task FillAsync(GrowthBrainDb db, DatabaseProvider provider, long teamId, int leads, int perLead, Dictionary<string, object?> result)
    {
        {
            await db.Database.OpenConnectionAsync(); // the index rebuild works on the context's open connection
            var sw = Stopwatch.StartNew();
            await db.Database.ExecuteSqlRawAsync(provider == DatabaseProvider.Postgres ? PostgresLeads(teamId, leads, perLead) : SqliteLeads(teamId, leads, perLead));
            // Ten million rows: the activity indexes are built once afterwards, as a bulk import does.
            await IndexRebuild.DropSecondaryIndexesAsync(db, "activities", CancellationToken.None);
            await db.Database.ExecuteSqlRawAsync(provider == DatabaseProvider.Postgres ? PostgresActivities(teamId, perLead) : SqliteActivities(teamId, perLead));
            await IndexRebuild.RestoreAsync(db, CancellationToken.None);
            var model = new ModelVersion
            {
                TeamId = teamId, Number = 1, Status = ModelStatus.Active, Kind = "bench", Description = "bench", CreatedAt = DateTime.UtcNow,
                Report = "{}", FeatureSchema = "{}", Model = [],
            };
            db.ModelVersions.Add(model);
            await db.SaveChangesAsync();
            await db.Database.ExecuteSqlRawAsync("UPDATE leads SET score_model_version_id = {0} WHERE outcome = 0", model.Id);
            // A vacuumed table, as autovacuum leaves it, so PostgreSQL can answer from indexes alone.
            await db.Database.ExecuteSqlRawAsync(provider == DatabaseProvider.Postgres ? "VACUUM ANALYZE" : "ANALYZE");
            result["fillSeconds"] = Math.Round(sw.Elapsed.TotalSeconds, 1);
        }
    }

    private static string PostgresScores(long team, long model, int daysAgo, int shift, long from) => $"""
        INSERT INTO lead_scores (team_id, lead_id, model_version_id, probability, grade, scored_at, "trigger")
        SELECT {team}, id, {model}, ((id + {shift}) % 1000) / 1000.0, 'C', now() - interval '{daysAgo} days', 'batch'
        FROM leads WHERE outcome = 0 AND id > {from} AND id <= {from + 20_000}
        """;

    private static string SqliteScores(long team, long model, int daysAgo, int shift, long from) => $"""
        INSERT INTO lead_scores (team_id, lead_id, model_version_id, probability, grade, scored_at, "trigger")
        SELECT {team}, id, {model}, ((id + {shift}) % 1000) / 1000.0, 'C', strftime('%Y-%m-%d %H:%M:%f', 'now', '-{daysAgo} days'), 'batch'
        FROM leads WHERE outcome = 0 AND id > {from} AND id <= {from + 20_000}
        """;

    // 12 sources, 80 campaigns, 25 reps; 30% won, 30% lost, 40% open; created over the last two years.
    private static string PostgresLeads(long team, int n, int perLead) => $"""
        INSERT INTO leads (team_id, first_name, source, campaign, owner, stage, outcome, created_at, closed_at, last_activity_at, score_probability, score_grade,
                           custom_fields, content_hash, imported_at, updated_at)
        SELECT {team}, 'Lead ' || i, 'Source ' || (i % 12), 'Campaign ' || (i % 80), 'Rep ' || (i % 25), 'Stage ' || (i % 7),
               CASE WHEN i % 10 < 3 THEN 1 WHEN i % 10 < 6 THEN 2 ELSE 0 END,
               now() - (i % 730) * interval '1 day',
               CASE WHEN i % 10 < 6 THEN now() - (i % 730) * interval '1 day' + (i % 60) * interval '1 day' END,
               CASE WHEN {perLead} > 0 THEN now() - (i % 730) * interval '1 day' + ({perLead} * 7 + i % 50) * interval '1 hour' END,
               CASE WHEN i % 20 <> 0 THEN (i % 1000) / 1000.0 END, CASE WHEN i % 4 = 0 THEN 'A' WHEN i % 4 = 1 THEN 'B' WHEN i % 4 = 2 THEN 'C' ELSE 'D' END,
               chr(123) || chr(125), i, now(), now()
        FROM generate_series(1, {n}) AS i
        """;

    private static string PostgresActivities(long team, int perLead) => $"""
        INSERT INTO activities (team_id, lead_id, type, occurred_at)
        SELECT {team}, l.id, (l.id + g) % 9, l.created_at + g * interval '7 hours' + (l.id % 50) * interval '1 hour'
        FROM leads l CROSS JOIN generate_series(1, {perLead}) AS g
        """;

    private static string SqliteLeads(long team, int n, int perLead) => $"""
        WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {n})
        INSERT INTO leads (team_id, first_name, source, campaign, owner, stage, outcome, created_at, closed_at, last_activity_at, score_probability, score_grade,
                           custom_fields, content_hash, imported_at, updated_at)
        SELECT {team}, 'Lead ' || i, 'Source ' || (i % 12), 'Campaign ' || (i % 80), 'Rep ' || (i % 25), 'Stage ' || (i % 7),
               CASE WHEN i % 10 < 3 THEN 1 WHEN i % 10 < 6 THEN 2 ELSE 0 END,
               datetime('now', '-' || (i % 730) || ' days'),
               CASE WHEN i % 10 < 6 THEN datetime('now', '-' || (i % 730) || ' days', '+' || (i % 60) || ' days') END,
               CASE WHEN {perLead} > 0 THEN datetime('now', '-' || (i % 730) || ' days', '+' || ({perLead} * 7 + i % 50) || ' hours') END,
               CASE WHEN i % 20 <> 0 THEN (i % 1000) / 1000.0 END, CASE WHEN i % 4 = 0 THEN 'A' WHEN i % 4 = 1 THEN 'B' WHEN i % 4 = 2 THEN 'C' ELSE 'D' END,
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
