using GrowthBrain.Insights;
using GrowthBrain.Leads;
using GrowthBrain.Scoring;
using GrowthBrain.Synthetic;
using GrowthBrain.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace GrowthBrain.Tests.Insights;

public sealed class GetOverviewTestsOnSqlite(SqliteDatabases databases) : GetOverviewTests(databases);

public sealed class GetOverviewTestsOnPostgres(PostgresDatabases databases) : GetOverviewTests(databases);

/// <summary>The overview dashboard's numbers, computed in a real database of each provider.</summary>
public abstract class GetOverviewTests(IDatabaseProvider databases)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<Overview> OverviewAsync(TestDatabase database)
    {
        await using var db = database.NewContext();
        return await new GetOverviewHandler(db, database.Clock).HandleAsync(new GetOverview(), Ct);
    }

    [Fact]
    public async Task A_small_known_CRM_gives_the_exact_conversion_rates_cycle_days_funnel_and_lead_health()
    {
        await using var database = await databases.CreateAsync(Ct);
        var now = database.Clock.GetUtcNow().UtcDateTime;
        long teamId, movedLead, staleLead;
        await using (var db = database.NewContext())
        {
            teamId = await db.Teams.Select(t => t.Id).FirstAsync(Ct);
            var n = 0;
            Lead Closed(LeadOutcome outcome, int closedDaysAgo, int cycleDays) => new()
            {
                TeamId = teamId, FirstName = "Closed", LastName = $"{++n}", Outcome = outcome, Stage = "Closed",
                CreatedAt = now.AddDays(-closedDaysAgo - cycleDays), ClosedAt = now.AddDays(-closedDaysAgo),
                LastActivityAt = now.AddDays(-closedDaysAgo), ImportedAt = now, UpdatedAt = now,
            };
            Lead Open(string name, string stage, int? lastActivityDaysAgo) => new()
            {
                TeamId = teamId, FirstName = name, LastName = "Open", Outcome = LeadOutcome.Open, Stage = stage,
                CreatedAt = now.AddDays(-60), LastActivityAt = lastActivityDaysAgo is { } d ? now.AddDays(-d) : null,
                ImportedAt = now, UpdatedAt = now,
            };
            // Last 90 days: 3 won (10, 20 and 30 days from created to won) and 1 lost: 75%, 20 days.
            db.Leads.AddRange(Closed(LeadOutcome.Won, 10, 10), Closed(LeadOutcome.Won, 20, 20), Closed(LeadOutcome.Won, 30, 30), Closed(LeadOutcome.Lost, 40, 5));
            // The 90 days before: 1 won in 40 days and 3 lost: 25%, 40 days.
            db.Leads.AddRange(Closed(LeadOutcome.Won, 100, 40), Closed(LeadOutcome.Lost, 110, 5), Closed(LeadOutcome.Lost, 120, 5), Closed(LeadOutcome.Lost, 130, 5));
            // Older than both windows and the year: counts nowhere.
            db.Leads.Add(Closed(LeadOutcome.Won, 400, 10));
            var stale = Open("Stale", "Qualified", 45);
            var fresh = Open("Fresh", "Qualified", 5);
            var untouched = Open("Untouched", "New", null);
            db.Leads.AddRange(stale, fresh, untouched);
            var model = new ModelVersion
            {
                TeamId = teamId, Number = 3, Status = ModelStatus.Active, Kind = "test", Description = "test", CreatedAt = now,
                HoldoutRocAuc = 0.81, FeatureSchema = "{}", Model = [],
                Report = """{"training":{},"evaluation":{"rocAuc":0.81,"byGrade":[{"grade":"A","count":40,"conversionRate":0.5,"meanProbability":0.5},{"grade":"D","count":60,"conversionRate":0.05,"meanProbability":0.06}]},"decision":"promoted"}""",
            };
            db.ModelVersions.Add(model);
            await db.SaveChangesAsync(Ct);
            movedLead = fresh.Id;
            staleLead = stale.Id;
            db.LeadScores.AddRange(
                new LeadScore { TeamId = teamId, LeadId = fresh.Id, ModelVersionId = model.Id, Probability = 0.2, Grade = "C", ScoredAt = now.AddDays(-10), Trigger = "batch" },
                new LeadScore { TeamId = teamId, LeadId = fresh.Id, ModelVersionId = model.Id, Probability = 0.6, Grade = "A", ScoredAt = now.AddDays(-1), Trigger = "activity" },
                // Scored once this week: nothing moved.
                new LeadScore { TeamId = teamId, LeadId = stale.Id, ModelVersionId = model.Id, Probability = 0.4, Grade = "B", ScoredAt = now.AddDays(-2), Trigger = "batch" });
            await db.SaveChangesAsync(Ct);
        }

        var overview = await OverviewAsync(database);

        var c = overview.Conversion;
        (c.Recent.Won, c.Recent.Lost, c.Previous.Won, c.Previous.Lost).ShouldBe((3, 1, 1, 3));
        c.Recent.Rate.ShouldBe(0.75);
        c.Previous.Rate.ShouldBe(0.25);
        c.Difference!.Value.ShouldBe(0.5, 1e-9);
        // The published Wilson 95% interval for 3 of 4 is 30.06% to 95.44%.
        c.Recent.Low!.Value.ShouldBe(0.3006, 1e-3);
        c.Recent.High!.Value.ShouldBe(0.9544, 1e-3);
        c.DifferenceLow!.Value.ShouldBeLessThan(0.5);
        c.DifferenceHigh!.Value.ShouldBeGreaterThan(0.5);
        overview.SalesCycle.Recent.AverageDays!.Value.ShouldBe(20, 1e-6);
        overview.SalesCycle.Previous.AverageDays!.Value.ShouldBe(40, 1e-6);
        overview.SalesCycle.DifferenceDays!.Value.ShouldBe(-20, 1e-6);
        // Cycles of 10, 20 and 30 days: mean 20, standard deviation 10, t(2) = 4.303, so 20 ± 24.84 (floored at 0 days).
        overview.SalesCycle.Recent.Low!.Value.ShouldBe(0);
        overview.SalesCycle.Recent.High!.Value.ShouldBe(20 + 4.303 * 10 / Math.Sqrt(3), 1e-6);
        overview.SalesCycle.Previous.Low.ShouldBeNull("one won lead has no spread");
        overview.SalesCycle.DifferenceLow.ShouldBeNull();
        // GrowthBrain arrived today (the model was trained now): nothing has closed since; before is the last 90 days.
        var since = overview.SinceGrowthBrain.ShouldNotBeNull();
        since.Adoption.Since.ShouldBe(now);
        (since.Conversion.Recent.Won + since.Conversion.Recent.Lost).ShouldBe(0);
        since.Conversion.Recent.Rate.ShouldBeNull();
        (since.Conversion.Previous.Won, since.Conversion.Previous.Lost).ShouldBe((3, 1));
        since.SalesCycle.Recent.WonLeads.ShouldBe(0);
        since.SalesCycle.Previous.AverageDays!.Value.ShouldBe(20, 1e-6);

        overview.Monthly.Count.ShouldBe(12);
        overview.Monthly.Sum(m => m.Won).ShouldBe(4);
        overview.Monthly.Sum(m => m.Lost).ShouldBe(4);
        overview.Monthly[^1].ShouldBe(new MonthPoint(2026, 11, 2, 0, 1.0, 15.0)); // won 10 and 20 days ago, both in November

        overview.Funnel.ShouldBe([new StageCount("Qualified", 2), new StageCount("New", 1)]);
        overview.Health.StaleLeads.ShouldBe(1);
        overview.Health.OldestStale.ShouldBe([new StaleLead(staleLead, "Stale Open", 45)]);
        overview.Health.NoNextStep.ShouldBe(1);
        overview.Health.ScoreMovers.ShouldBe([new ScoreMover(movedLead, "Fresh Open", 0.2, 0.6)]);

        overview.Model.ShouldNotBeNull();
        overview.Model.Version.ShouldBe("v3");
        overview.Model.HoldoutRocAuc.ShouldBe(0.81);
        overview.Model.ByGrade.ShouldBe([new GradeConversion("A", 40, 0.5), new GradeConversion("D", 60, 0.05)]);

        // Nothing sent, nobody signed in: empty proportions, not zeros.
        overview.ReplyRate.Adoption.ShouldBe(new Adoption(now, "first model version"));
        (overview.ReplyRate.Since.Trials, overview.ReplyRate.Before.Trials).ShouldBe((0, 0));
        overview.ReplyRate.Since.Rate.ShouldBeNull();
        overview.ReplyRate.Difference.ShouldBeNull();
        (overview.ActiveUsers.Recent.Users, overview.ActiveUsers.Recent.Teams).ShouldBe((0, 0));
        overview.HasClosedLeads.ShouldBeTrue();
    }

    [Fact]
    public async Task A_synthetic_CRM_gives_the_same_counts_as_reading_every_lead()
    {
        await using var database = await databases.CreateAsync(Ct);
        await using (var db = database.NewContext())
            await new SeedSyntheticCrmHandler(db, database.Clock).HandleAsync(new SeedSyntheticCrm(800), null, Ct);
        var now = database.Clock.GetUtcNow().UtcDateTime;

        var overview = await OverviewAsync(database);

        List<Lead> all;
        await using (var db = database.NewContext()) all = await db.Leads.AsNoTracking().ToListAsync(Ct);
        // Windows are whole UTC days (the last 90 include today); cycles are whole days, as the aggregates keep them.
        var today = UtcDays.DayOf(now);
        static int Day(DateTime t) => UtcDays.DayOf(t);
        static long Seconds(DateTime t) => (long)Math.Floor((t - DateTime.UnixEpoch).TotalSeconds);
        static long CycleDays(Lead l) => Math.Max(0, (Seconds(l.ClosedAt!.Value) - Seconds(l.CreatedAt)) / 86400);
        int Closed(LeadOutcome o, int fromDay, int toDay) =>
            all.Count(l => l.Outcome == o && l.ClosedAt is { } at && Day(at) >= fromDay && Day(at) < toDay);
        var c = overview.Conversion;
        (c.Recent.Won, c.Recent.Lost).ShouldBe((Closed(LeadOutcome.Won, today - 89, today + 1), Closed(LeadOutcome.Lost, today - 89, today + 1)));
        (c.Previous.Won, c.Previous.Lost).ShouldBe((Closed(LeadOutcome.Won, today - 179, today - 89), Closed(LeadOutcome.Lost, today - 179, today - 89)));
        (c.Recent.Won + c.Recent.Lost).ShouldBeGreaterThan(0, "the generator closes leads every month");
        foreach (var w in new[] { c.Recent, c.Previous }.Where(w => w.Rate is not null))
        {
            w.Rate!.Value.ShouldBeInRange(w.Low!.Value, w.High!.Value);
            w.Low.Value.ShouldBeGreaterThanOrEqualTo(0);
            w.High.Value.ShouldBeLessThanOrEqualTo(1);
        }
        var recentWon = all.Where(l => l.Outcome == LeadOutcome.Won && l.ClosedAt is { } at && Day(at) >= today - 89 && Day(at) <= today).ToList();
        recentWon.ShouldNotBeEmpty();
        overview.SalesCycle.Recent.AverageDays!.Value.ShouldBe(recentWon.Average(l => (double)CycleDays(l)), 1e-9);

        // Every month's counts and median cycle, against reading every lead.
        foreach (var m in overview.Monthly)
        {
            var inMonth = all.Where(l => l.ClosedAt is { } at && at.Year == m.Year && at.Month == m.Month && Day(at) <= today).ToList();
            var won = inMonth.Where(l => l.Outcome == LeadOutcome.Won).Select(l => (double)CycleDays(l)).Order().ToList();
            (m.Won, m.Lost).ShouldBe((won.Count, inMonth.Count(l => l.Outcome == LeadOutcome.Lost)), $"{m.Year}-{m.Month}");
            double? median = won.Count == 0 ? null : won.Count % 2 == 1 ? won[won.Count / 2] : (won[won.Count / 2 - 1] + won[won.Count / 2]) / 2;
            m.MedianCycleDays.ShouldBe(median, $"{m.Year}-{m.Month}");
        }

        var open = all.Where(l => l.Outcome == LeadOutcome.Open).ToList();
        overview.Funnel.ShouldBe(open.GroupBy(l => l.Stage ?? "(no stage)").Select(g => new StageCount(g.Key, g.Count()))
            .OrderByDescending(f => f.Leads).ThenBy(f => f.Stage, StringComparer.Ordinal).Take(8).ToList());
        overview.Health.StaleLeads.ShouldBe(open.Count(l => l.LastActivityAt is { } at && Day(at) < today - 30));
        overview.Health.StaleLeads.ShouldBeGreaterThan(0, "the generator leaves some open leads untouched for months");
        overview.Health.NoNextStep.ShouldBe(open.Count(l => l.LastActivityAt is null));
        overview.Health.OldestStale.Count.ShouldBe(Math.Min(10, overview.Health.StaleLeads));
        overview.Health.OldestStale.Select(s => s.DaysSinceActivity).ShouldBeInOrder(SortDirection.Descending);
        overview.Model.ShouldBeNull(); // nothing trained
    }

    [Fact]
    public async Task Score_movers_after_repeated_full_rescorings_compare_the_latest_score_with_the_one_before_the_week()
    {
        await using var database = await databases.CreateAsync(Ct);
        var now = database.Clock.GetUtcNow();
        await using (var db = database.NewContext())
            await new SeedSyntheticCrmHandler(db, database.Clock).HandleAsync(new SeedSyntheticCrm(600, Seed: 5), null, Ct);
        var models = new ActiveModels();
        await using (var db = database.NewContext())
            await new TrainModelHandler(db, models, database.Clock).HandleAsync(new TrainModel(Force: true, RequestedBy: "test", Budget: TimeSpan.FromSeconds(2)), null, Ct);
        // Three full rescorings: ten days ago (before the week), three days ago and now. Lead ages and activity recency
        // move with the clock, so scores change from one to the next.
        var scoringClock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(now.AddDays(-10));
        foreach (var daysAgo in new[] { 10, 3, 0 })
        {
            scoringClock.SetUtcNow(now.AddDays(-daysAgo));
            await using var db = database.NewContext();
            (await new ScoreLeadsHandler(db, models, scoringClock).HandleAsync(new ScoreLeads(), null, Ct)).Scored.ShouldBeGreaterThan(0);
        }

        var overview = await OverviewAsync(database);

        // Expected, from every history row: the latest score against the last one before the week (the one of ten days ago).
        List<LeadScore> history;
        await using (var db = database.NewContext()) history = await db.LeadScores.AsNoTracking().ToListAsync(Ct);
        var weekStart = DateTime.UnixEpoch.AddDays(UtcDays.DayOf(now.UtcDateTime) - GetOverview.MoverDays + 1);
        var expected = history.GroupBy(s => s.LeadId)
            .Where(g => g.Any(s => s.ScoredAt >= weekStart))
            .Select(g =>
            {
                var ordered = g.OrderBy(s => s.ScoredAt).ThenBy(s => s.Id).ToList();
                var before = ordered.LastOrDefault(s => s.ScoredAt < weekStart) ?? ordered[0];
                return (Lead: g.Key, From: before.Probability, To: ordered[^1].Probability);
            })
            .Where(m => m.From != m.To)
            .OrderByDescending(m => Math.Abs(m.To - m.From)).ThenBy(m => m.Lead)
            .Take(GetOverview.MoversListed).ToList();
        expected.Count.ShouldBe(GetOverview.MoversListed, "the rescorings moved scores");
        var twiceThisWeek = history.Where(s => s.ScoredAt >= weekStart).GroupBy(s => s.LeadId).Count(g => g.Count() == 2);
        twiceThisWeek.ShouldBeGreaterThan(10, "leads whose score moved at both rescorings of the week, where the first score of the week is not the baseline");
        overview.Health.ScoreMovers.Select(m => (m.LeadId, m.From, m.To)).ShouldBe(expected);
    }

    [Fact]
    public async Task An_empty_CRM_has_no_rates_rather_than_zeros()
    {
        await using var database = await databases.CreateAsync(Ct);

        var overview = await OverviewAsync(database);

        overview.HasClosedLeads.ShouldBeFalse();
        overview.Conversion.Recent.Rate.ShouldBeNull();
        overview.Conversion.Difference.ShouldBeNull();
        overview.SalesCycle.Recent.AverageDays.ShouldBeNull();
        overview.Monthly.Count.ShouldBe(12);
        overview.Funnel.ShouldBeEmpty();
        overview.Health.ScoreMovers.ShouldBeEmpty();
        overview.Model.ShouldBeNull();
    }

    [Fact]
    public async Task Before_and_since_GrowthBrain_compare_conversion_and_cycle_with_intervals_from_the_adoption_day()
    {
        await using var database = await databases.CreateAsync(Ct);
        var now = database.Clock.GetUtcNow().UtcDateTime;
        await using (var db = database.NewContext())
        {
            var teamId = await db.Teams.Select(t => t.Id).FirstAsync(Ct);
            var n = 0;
            Lead Closed(LeadOutcome outcome, int closedDaysAgo, int cycleDays) => new()
            {
                TeamId = teamId, FirstName = "Closed", LastName = $"{++n}", Outcome = outcome, Stage = "Closed",
                CreatedAt = now.AddDays(-closedDaysAgo - cycleDays), ClosedAt = now.AddDays(-closedDaysAgo),
                LastActivityAt = now.AddDays(-closedDaysAgo), ImportedAt = now, UpdatedAt = now,
            };
            // Since GrowthBrain (60 days ago): won in 10, 20 and 30 days, one lost: 75%, 20 days.
            db.Leads.AddRange(Closed(LeadOutcome.Won, 5, 10), Closed(LeadOutcome.Won, 15, 20), Closed(LeadOutcome.Won, 25, 30), Closed(LeadOutcome.Lost, 35, 5));
            // The 90 days before it: won in 40 and 50 days, three lost: 40%, 45 days.
            db.Leads.AddRange(Closed(LeadOutcome.Won, 70, 40), Closed(LeadOutcome.Won, 80, 50),
                Closed(LeadOutcome.Lost, 90, 5), Closed(LeadOutcome.Lost, 100, 5), Closed(LeadOutcome.Lost, 140, 5));
            // Before the before window: counts in neither.
            db.Leads.Add(Closed(LeadOutcome.Won, 200, 99));
            db.ModelVersions.Add(new ModelVersion
            {
                TeamId = teamId, Number = 1, Status = ModelStatus.Active, Kind = "test", Description = "test", CreatedAt = now.AddDays(-60).AddHours(3),
                FeatureSchema = "{}", Model = [], Report = "{}",
            });
            await db.SaveChangesAsync(Ct);
        }

        var since = (await OverviewAsync(database)).SinceGrowthBrain.ShouldNotBeNull();

        since.Adoption.Basis.ShouldBe("first model version");
        var c = since.Conversion;
        c.Recent.From.ShouldBe(now.Date.AddDays(-60), "windows are whole days from the adoption day");
        (c.Recent.Won, c.Recent.Lost, c.Previous.Won, c.Previous.Lost).ShouldBe((3, 1, 2, 3));
        c.Difference!.Value.ShouldBe(0.75 - 0.4, 1e-9);
        c.DifferenceLow!.Value.ShouldBeLessThan(0.35);
        c.DifferenceHigh!.Value.ShouldBeGreaterThan(0.35);
        var cycle = since.SalesCycle;
        cycle.Recent.AverageDays!.Value.ShouldBe(20, 1e-9);
        cycle.Previous.AverageDays!.Value.ShouldBe(45, 1e-9);
        cycle.DifferenceDays!.Value.ShouldBe(-25, 1e-9);
        // Welch: variances 100/3 and 50/2, Welch–Satterthwaite df = 2.88, so the half-width is t(2.88) × √(58.33).
        var half = Statistics.StudentT(58.3333 * 58.3333 / (33.3333 * 33.3333 / 2 + 25.0 * 25.0 / 1)) * Math.Sqrt(100.0 / 3 + 25);
        half.ShouldBeInRange(23.5, 25.5);
        cycle.DifferenceLow!.Value.ShouldBe(-25 - half, 1e-2);
        cycle.DifferenceHigh!.Value.ShouldBe(-25 + half, 1e-2);
    }

    [Theory]
    [InlineData(1, 12.706)]
    [InlineData(2, 4.303)]
    [InlineData(3, 3.182)]
    [InlineData(5, 2.571)]
    [InlineData(10, 2.228)]
    [InlineData(30, 2.042)]
    [InlineData(120, 1.980)]
    public void The_t_quantile_matches_the_published_table(double df, double expected) =>
        Statistics.StudentT(df).ShouldBe(expected, 0.003);
}
