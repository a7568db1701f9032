using GrowthBrain.Accounts;
using GrowthBrain.Audit;
using GrowthBrain.Insights;
using GrowthBrain.Leads;
using GrowthBrain.Leads.Import;
using GrowthBrain.Scoring;
using GrowthBrain.Synthetic;
using GrowthBrain.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace GrowthBrain.Tests.Insights;

public sealed class LeadStatsTestsOnSqlite(SqliteDatabases databases) : LeadStatsTests(databases);

public sealed class LeadStatsTestsOnPostgres(PostgresDatabases databases) : LeadStatsTests(databases);

/// <summary>
/// The aggregates the triggers keep (Insights/LeadStatsTriggers.cs) must equal a full recomputation from the leads after
/// every kind of write: the bulk import merge (new leads and changed outcomes), edits through EF, activities,
/// rescoring, deletes and a lead moving team.
/// </summary>
public abstract class LeadStatsTests(IDatabaseProvider databases) : IDisposable
{
    private readonly TempFiles _files = new();
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _files.Dispose();

    private sealed record Snapshot(
        List<(long Team, long Leads)> Counts,
        List<(long Team, int Day, LeadOutcome Outcome, long Leads, long CycleDays, long CycleDaysSquared)> Closed,
        List<(long Team, int Month, int CycleDays, long Leads)> Won,
        List<(long Team, string Stage, int ActivityDay, long Leads)> Open,
        List<(long Lead, long Team, int Day, double From, double To, double Change)> Moves,
        List<string> Groups, List<string> OwnerDays, List<string> OwnerMail, List<string> Responses);

    private static async Task<Snapshot> SnapshotAsync(TestDatabase database)
    {
        await using var db = database.NewContext();
        // Rows netted to zero are not wrong, only left behind; compare what they count.
        return new Snapshot(
            (await db.TeamLeadCounts.AsNoTracking().Where(c => c.Leads != 0).ToListAsync()).Select(c => (c.TeamId, c.Leads)).Order().ToList(),
            (await db.ClosedLeadDays.AsNoTracking().Where(c => c.Leads != 0).ToListAsync()).Select(c => (c.TeamId, c.Day, c.Outcome, c.Leads, c.CycleDays, c.CycleDaysSquared)).Order().ToList(),
            (await db.WonCycleMonths.AsNoTracking().Where(c => c.Leads != 0).ToListAsync()).Select(c => (c.TeamId, c.Month, c.CycleDays, c.Leads)).Order().ToList(),
            (await db.OpenLeadStages.AsNoTracking().Where(c => c.Leads != 0).ToListAsync()).Select(c => (c.TeamId, c.Stage, c.ActivityDay, c.Leads)).Order().ToList(),
            (await db.LeadScoreMoves.AsNoTracking().ToListAsync()).Select(m => (m.LeadId, m.TeamId, m.Day, m.FromProbability, m.ToProbability, m.Change)).Order().ToList(),
            (await db.LeadGroupStats.AsNoTracking().Where(g => g.Leads != 0).ToListAsync())
                .Select(g => $"{g.TeamId} {g.Dimension} {g.Named}:{g.Name} {g.Days}: {g.Leads} {g.Won} {g.Lost} {g.Scored} {g.ScoreMicros} {g.TopGraded}").Order().ToList(),
            (await db.OwnerLeadDays.AsNoTracking().Where(o => o.Leads != 0).ToListAsync()).Select(o => $"{o.TeamId} {o.Named}:{o.Owner} {o.Kind} {o.Day}: {o.Leads}").Order().ToList(),
            (await db.OwnerActivityDays.AsNoTracking().Where(o => o.Activities != 0).ToListAsync()).Select(o => $"{o.TeamId} {o.Named}:{o.Owner} {o.Type} {o.Day}: {o.Activities}").Order().ToList(),
            (await db.LeadFirstResponses.AsNoTracking().ToListAsync()).Select(f => $"{f.LeadId} {f.TeamId} {f.CreatedAt:O} {f.Owner} {f.FirstAt:O} {f.Hours}").Order().ToList());
    }

    private static async Task ShouldEqualFullRecomputationAsync(TestDatabase database, string after)
    {
        var incremental = await SnapshotAsync(database);
        await using (var db = database.NewContext()) await LeadStatsTriggers.RebuildAsync(db, CancellationToken.None);
        var full = await SnapshotAsync(database);
        incremental.Counts.ShouldBe(full.Counts, $"lead counts after {after}");
        incremental.Closed.ShouldBe(full.Closed, $"closed leads per day after {after}");
        incremental.Won.ShouldBe(full.Won, $"won cycles per month after {after}");
        incremental.Open.ShouldBe(full.Open, $"open leads per stage after {after}");
        incremental.Moves.ShouldBe(full.Moves, $"score moves after {after}");
        incremental.Groups.ShouldBe(full.Groups, $"leads per source, campaign and owner after {after}");
        incremental.OwnerDays.ShouldBe(full.OwnerDays, $"leads per owner and day after {after}");
        incremental.OwnerMail.ShouldBe(full.OwnerMail, $"e-mails per owner and day after {after}");
        incremental.Responses.ShouldBe(full.Responses, $"first responses after {after}");
        full.Responses.ShouldNotBeEmpty();
        full.Groups.ShouldNotBeEmpty();
        full.OwnerMail.ShouldNotBeEmpty();
        full.Closed.ShouldNotBeEmpty();
        full.Open.ShouldNotBeEmpty();
        // And the rebuild itself against reading the leads in C#.
        await using (var db = database.NewContext())
        {
            var perTeam = await db.Leads.GroupBy(l => l.TeamId).Select(g => new { g.Key, Count = (long)g.Count() }).ToListAsync();
            full.Counts.ShouldBe(perTeam.Select(t => (t.Key, t.Count)).Order().ToList());
            // Closed leads per day with their cycle days and squares, as the overview's interval for the average cycle needs them.
            var closed = await db.Leads.AsNoTracking().Where(l => l.Outcome != LeadOutcome.Open && l.ClosedAt != null)
                .Select(l => new { l.TeamId, l.Outcome, ClosedAt = l.ClosedAt!.Value, l.CreatedAt }).ToListAsync();
            full.Closed.ShouldBe(closed.Select(l => (l.TeamId, Day: UtcDays.DayOf(l.ClosedAt), l.Outcome,
                    Cycle: (long)Math.Max(0, ((long)Math.Floor((l.ClosedAt - DateTime.UnixEpoch).TotalSeconds) - (long)Math.Floor((l.CreatedAt - DateTime.UnixEpoch).TotalSeconds)) / 86400)))
                .GroupBy(l => (l.TeamId, l.Day, l.Outcome))
                .Select(g => (g.Key.TeamId, g.Key.Day, g.Key.Outcome, (long)g.Count(), g.Sum(l => l.Cycle), g.Sum(l => l.Cycle * l.Cycle)))
                .Where(g => g.Item4 != 0).Order().ToList());
            var open = await db.Leads.Where(l => l.Outcome == LeadOutcome.Open).Select(l => new { l.TeamId, l.Stage, l.LastActivityAt }).ToListAsync();
            full.Open.ShouldBe(open.GroupBy(l => (l.TeamId, l.Stage ?? LeadStatsSql.NoStage,
                    l.LastActivityAt is { } at ? UtcDays.DayOf(at) : OpenLeadStage.NoActivity))
                .Select(g => (g.Key.TeamId, g.Key.Item2, g.Key.Item3, (long)g.Count())).Order().ToList());
            // Leads per owner and e-mails per owner, against reading the rows.
            var leads = await db.Leads.AsNoTracking().Select(l => new { l.Id, l.TeamId, l.Owner }).ToListAsync();
            (await db.LeadGroupStats.Where(g => g.Dimension == LeadGroupStat.Owner).SumAsync(g => g.Leads))
                .ShouldBe(leads.Count, "every lead is counted once for its owner");
            var mail = await db.Activities.AsNoTracking().Where(a => a.Type == ActivityType.EmailSent || a.Type == ActivityType.EmailReplied).ToListAsync();
            var byId = leads.ToDictionary(l => l.Id);
            (await db.OwnerActivityDays.SumAsync(m => m.Activities)).ShouldBe(mail.Count(a => byId.TryGetValue(a.LeadId, out var l) && l.TeamId == a.TeamId));
            // First responses: the first e-mail, call or meeting at or after creation, in whole hours.
            var outbound = await db.Activities.AsNoTracking()
                .Where(a => a.Type == ActivityType.EmailSent || a.Type == ActivityType.Call || a.Type == ActivityType.Meeting).ToListAsync();
            var created = await db.Leads.AsNoTracking().ToDictionaryAsync(l => l.Id, l => l.CreatedAt);
            var firsts = outbound.Where(a => created.TryGetValue(a.LeadId, out var c) && a.OccurredAt >= c)
                .GroupBy(a => a.LeadId).ToDictionary(g => g.Key, g => g.Min(a => a.OccurredAt));
            var stored = await db.LeadFirstResponses.AsNoTracking().ToListAsync();
            stored.Select(f => (f.LeadId, f.FirstAt)).Order().ShouldBe(firsts.Select(f => (f.Key, f.Value)).Order());
            foreach (var f in stored)
                f.Hours.ShouldBe((int)Math.Floor(((long)Math.Floor((f.FirstAt - DateTime.UnixEpoch).TotalSeconds) - (long)Math.Floor((f.CreatedAt - DateTime.UnixEpoch).TotalSeconds)) / 3600.0));
            // Each scored lead's latest score against its last one before the seven days ending on that score's day.
            var history = await db.LeadScores.AsNoTracking().ToListAsync();
            full.Moves.ShouldBe(history.GroupBy(h => h.LeadId).Select(g =>
            {
                var ordered = g.OrderBy(h => h.ScoredAt).ThenBy(h => h.Id).ToList();
                var last = ordered[^1];
                var day = UtcDays.DayOf(last.ScoredAt);
                var from = (ordered.LastOrDefault(h => h.ScoredAt < DateTime.UnixEpoch.AddDays(day - 6)) ?? ordered[0]).Probability;
                return (g.Key, last.TeamId, day, from, last.Probability, Math.Abs(last.Probability - from));
            }).Order().ToList());
        }
    }

    [Fact]
    public async Task The_incremental_aggregates_equal_a_full_recomputation_after_imports_edits_activities_rescoring_and_deletes()
    {
        await using var database = await databases.CreateAsync(Ct);
        var now = database.Clock.GetUtcNow().UtcDateTime;
        await using (var db = database.NewContext())
            await new SeedSyntheticCrmHandler(db, database.Clock).HandleAsync(new SeedSyntheticCrm(600, Seed: 3), null, Ct);
        await ShouldEqualFullRecomputationAsync(database, "the first load");

        // Re-import the same CRM with outcomes, stages and dates changed, plus leads it did not have: the merge path.
        var generated = new SyntheticCrm(new SyntheticCrmOptions(600, 3, now)).Generate().ToList();
        var changed = generated.Select((l, i) => i switch
        {
            _ when i % 5 == 0 && l.Outcome == LeadOutcome.Open => l with { Outcome = LeadOutcome.Won, Status = "Won", ClosedAt = now.AddDays(-3) },
            _ when i % 7 == 0 && l.Outcome != LeadOutcome.Open => l with { Outcome = LeadOutcome.Open, Status = "Open", ClosedAt = null },
            _ when i % 3 == 0 => l with { Stage = "Renamed stage", LastActivityAt = now.AddDays(-40) },
            _ => l,
        }).Concat(new SyntheticCrm(new SyntheticCrmOptions(40, 99, now)).Generate()
            .Select(l => l with { ExternalId = "new-" + l.ExternalId, Email = "new-" + l.Email })).ToList();
        var path = _files.PathOf("changed.csv");
        await SyntheticCsvExport.WriteAsync(changed, path, CrmExportStyle.HubSpot, dirtyRowShare: 0, seed: 1, ct: Ct);
        ImportSummary summary;
        await using (var db = database.NewContext())
            summary = await new ImportLeadsHandler(db, new AuditLog(database.Clock), TeamScope.System("cli"), database.Clock).HandleAsync(new ImportLeads(path), null, Ct);
        summary.Imported.ShouldBeGreaterThan(30); // a few of the new ones match existing leads by name key
        summary.Updated.ShouldBeGreaterThan(100);
        await ShouldEqualFullRecomputationAsync(database, "a merging import");

        // Outcome changes and edits through EF, a lead moved to another team, and deletes.
        await using (var db = database.NewContext())
        {
            var other = new Team { Name = "Other", CreatedAt = now };
            db.Teams.Add(other);
            await db.SaveChangesAsync(Ct);
            var open = await db.Leads.Where(l => l.Outcome == LeadOutcome.Open).OrderBy(l => l.Id).Take(6).ToListAsync(Ct);
            open[0].Outcome = LeadOutcome.Lost;
            open[0].ClosedAt = now.AddDays(-1);
            open[1].Outcome = LeadOutcome.Won;
            open[1].ClosedAt = now;
            open[2].Stage = null;
            open[3].TeamId = other.Id;
            open[2].Owner = "Someone new"; // its e-mails now count for the new owner
            db.Leads.RemoveRange(open[4], open[5]);
            var won = await db.Leads.Where(l => l.Outcome == LeadOutcome.Won && l.Id != open[1].Id).OrderBy(l => l.Id).FirstAsync(Ct);
            won.CreatedAt = won.CreatedAt.AddDays(-17); // a corrected creation date lengthens the cycle
            await db.SaveChangesAsync(Ct);
        }
        await ShouldEqualFullRecomputationAsync(database, "edits, a team move and deletes");

        // Activities move the last-activity day of open leads (and of leads never touched before).
        await using (var db = database.NewContext())
        {
            var ids = await db.Leads.Where(l => l.Outcome == LeadOutcome.Open).OrderBy(l => l.LastActivityAt != null).ThenBy(l => l.Id)
                .Select(l => l.Id).Take(5).ToListAsync(Ct);
            foreach (var id in ids)
                (await new AddActivityHandler(db, database.Clock).HandleAsync(new AddActivity(id, ActivityType.Call, now.AddHours(-2)), Ct)).ShouldNotBeNull();
        }
        await using (var db = database.NewContext())
        {
            // A deleted e-mail and a lead whose activities go with it by cascade.
            db.Activities.Remove(await db.Activities.Where(a => a.Type == ActivityType.EmailSent).OrderBy(a => a.Id).FirstAsync(Ct));
            var withMail = await db.Activities.Where(a => a.Type == ActivityType.EmailReplied).OrderByDescending(a => a.Id).Select(a => a.LeadId).FirstAsync(Ct);
            db.Leads.Remove(await db.Leads.SingleAsync(l => l.Id == withMail, Ct));
            await db.SaveChangesAsync(Ct);
        }
        await ShouldEqualFullRecomputationAsync(database, "activities");

        // Training and rescoring write every open lead's score columns, which the aggregates do not count.
        var models = new ActiveModels();
        await using (var db = database.NewContext())
            await new TrainModelHandler(db, models, database.Clock).HandleAsync(new TrainModel(Force: true, RequestedBy: "test", Budget: TimeSpan.FromSeconds(2)), null, Ct);
        ScoreLeadsResult scored;
        await using (var db = database.NewContext())
            scored = await new ScoreLeadsHandler(db, models, database.Clock).HandleAsync(new ScoreLeads(), null, Ct);
        scored.Scored.ShouldBeGreaterThan(0);
        await ShouldEqualFullRecomputationAsync(database, "rescoring");

        // History written out of order (a backfill behind the latest score moves its baseline), and a deleted score.
        await using (var db = database.NewContext())
        {
            var latest = await db.LeadScores.OrderBy(x => x.LeadId).ThenByDescending(x => x.ScoredAt).FirstAsync(Ct);
            db.LeadScores.Add(new LeadScore { TeamId = latest.TeamId, LeadId = latest.LeadId, ModelVersionId = latest.ModelVersionId,
                Probability = 0.123, Grade = "D", ScoredAt = latest.ScoredAt.AddDays(-9), Trigger = "batch" });
            db.LeadScores.Remove(await db.LeadScores.OrderByDescending(x => x.LeadId).FirstAsync(Ct));
            await db.SaveChangesAsync(Ct);
            (await db.LeadScoreMoves.SingleAsync(m => m.LeadId == latest.LeadId, Ct)).FromProbability.ShouldBe(0.123);
        }
        await ShouldEqualFullRecomputationAsync(database, "a backfilled and a deleted score");
    }

    [Fact]
    public async Task Migrating_again_keeps_the_triggers_and_the_aggregates_and_a_missing_trigger_is_put_back_with_a_rebuild()
    {
        await using var database = await databases.CreateAsync(Ct);
        await using (var db = database.NewContext())
            await new SeedSyntheticCrmHandler(db, database.Clock).HandleAsync(new SeedSyntheticCrm(200, Seed: 4), null, Ct);
        var before = await SnapshotAsync(database);

        await using (var db = database.NewContext())
        {
            (await GrowthBrain.Data.DatabaseObjects.EnsureAsync(db, LeadStatsTriggers.Set, Ct)).ShouldBeFalse("already installed");
            // As if a table rebuild had dropped one trigger and a lead changed meanwhile.
            await db.Database.ExecuteSqlRawAsync(database.Provider == GrowthBrain.Data.DatabaseProvider.Postgres
                ? $"DROP TRIGGER gb_lead_stats_v{LeadStatsTriggers.Version}_inserted ON leads"
                : $"DROP TRIGGER gb_lead_stats_v{LeadStatsTriggers.Version}_inserted", Ct);
            db.Leads.Add(new Lead { TeamId = await db.Teams.Select(t => t.Id).FirstAsync(Ct), FirstName = "Unseen", CreatedAt = DateTime.UtcNow, ImportedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync(Ct);
        }
        (await SnapshotAsync(database)).Counts.ShouldBe(before.Counts, "no insert trigger, no count");

        await using (var db = database.NewContext())
            await new GrowthBrain.Data.MigrateDatabaseHandler(db, database.Clock).HandleAsync(new GrowthBrain.Data.MigrateDatabase(), Ct);

        var after = await SnapshotAsync(database);
        after.Counts.Single().Leads.ShouldBe(before.Counts.Single().Leads + 1);
        await ShouldEqualFullRecomputationAsync(database, "a migrate that reinstalled the triggers");
    }
}
