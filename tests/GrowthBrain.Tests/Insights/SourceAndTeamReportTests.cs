using GrowthBrain.Insights;
using GrowthBrain.Leads;
using GrowthBrain.Synthetic;
using GrowthBrain.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace GrowthBrain.Tests.Insights;

public sealed class SourceAndTeamReportTestsOnSqlite(SqliteDatabases databases) : SourceAndTeamReportTests(databases);

public sealed class SourceAndTeamReportTestsOnPostgres(PostgresDatabases databases) : SourceAndTeamReportTests(databases);

/// <summary>The sources and team pages' numbers, aggregated in a real database of each provider, checked against hand-counted data.</summary>
public abstract class SourceAndTeamReportTests(IDatabaseProvider databases)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Source "Web" (campaign "Spring"): won after 10 and 20 days, lost after 31, one open lead graded A (0.8) and one
    /// graded C (0.2). Source "Event" (no campaign): one won after 4 days, one open lead graded B (0.5).
    /// One lead with no source and no owner, open and unscored.
    /// Owners: Ann has the three Web leads closed in the last 30 days and the two open Web leads; Bob has the Event leads.
    /// </summary>
    private static async Task<(long AnnFresh, long BobFresh)> SeedAsync(TestDatabase database, CancellationToken ct)
    {
        var now = database.Clock.GetUtcNow().UtcDateTime;
        await using var db = database.NewContext();
        var teamId = await db.Teams.Select(t => t.Id).FirstAsync(ct);
        Lead L(string? source, string? campaign, string? owner, LeadOutcome outcome, int createdDaysAgo, int? closedAfterDays = null,
            double? score = null, string? grade = null) => new()
        {
            TeamId = teamId, FirstName = owner ?? "Nobody", LastName = source ?? "none", Source = source, Campaign = campaign, Owner = owner,
            Outcome = outcome, CreatedAt = now.AddDays(-createdDaysAgo),
            ClosedAt = closedAfterDays is { } d ? now.AddDays(-createdDaysAgo + d) : null,
            ScoreProbability = score, ScoreGrade = grade, ImportedAt = now, UpdatedAt = now,
        };
        var annFresh = L("Web", "Spring", "Ann", LeadOutcome.Open, 10, score: 0.8, grade: "A");
        var bobFresh = L("Event", null, "Bob", LeadOutcome.Open, 5, score: 0.5, grade: "B");
        db.Leads.AddRange(
            L("Web", "Spring", "Ann", LeadOutcome.Won, 20, 10),   // closed 10 days ago
            L("Web", "Spring", "Ann", LeadOutcome.Won, 40, 20),   // closed 20 days ago
            L("Web", "Spring", "Ann", LeadOutcome.Lost, 60, 31),  // closed 29 days ago
            annFresh,
            L("Web", "Spring", "Ann", LeadOutcome.Open, 200, score: 0.2, grade: "C"),
            L("Event", null, "Bob", LeadOutcome.Won, 100, 4),     // closed 96 days ago: outside 30 and 90, inside 365
            bobFresh,
            L(null, null, null, LeadOutcome.Open, 3));
        await db.SaveChangesAsync(ct);

        Activity A(Lead lead, ActivityType type, double daysAfterCreation) =>
            new() { TeamId = teamId, LeadId = lead.Id, Type = type, OccurredAt = lead.CreatedAt.AddDays(daysAfterCreation) };
        db.Activities.AddRange(
            // Ann's fresh lead: a page view does not count as a response; the first e-mail 6 hours after creation does.
            A(annFresh, ActivityType.PageView, 0.1), A(annFresh, ActivityType.EmailSent, 0.25), A(annFresh, ActivityType.EmailSent, 2),
            A(annFresh, ActivityType.EmailReplied, 3), A(annFresh, ActivityType.Call, 4),
            // Bob's fresh lead: a call 30 hours after creation, no e-mails.
            A(bobFresh, ActivityType.Call, 1.25), A(bobFresh, ActivityType.Note, 2));
        await db.SaveChangesAsync(ct);
        return (annFresh.Id, bobFresh.Id);
    }

    [Fact]
    public async Task Sources_and_campaigns_show_the_hand_counted_leads_conversion_scores_and_days_to_close()
    {
        await using var database = await databases.CreateAsync(Ct);
        await SeedAsync(database, Ct);

        SourceReport report;
        await using (var db = database.NewContext())
            report = await new GetSourceReportHandler(db).HandleAsync(new GetSourceReport(), Ct);

        report.TotalLeads.ShouldBe(8);
        report.Sources.Select(s => s.Name).ShouldBe(["Web", "Event", "(none)"]);
        var web = report.Sources[0];
        (web.Leads, web.Won, web.Lost, web.Open, web.Scored).ShouldBe((5, 2, 1, 2, 2));
        web.ConversionRate!.Value.ShouldBe(2 / 3.0, 1e-9);
        // Wilson 95% for 2 of 3: 20.77% to 93.85%.
        web.ConversionLow!.Value.ShouldBe(0.2077, 1e-3);
        web.ConversionHigh!.Value.ShouldBe(0.9385, 1e-3);
        web.MeanScore!.Value.ShouldBe(0.5, 1e-9);
        web.ShareAB!.Value.ShouldBe(0.5, 1e-9);
        web.MedianDaysToClose.ShouldBe(20); // 10, 20, 31

        var evt = report.Sources[1];
        (evt.Leads, evt.Won, evt.Lost, evt.Open).ShouldBe((2, 1, 0, 1));
        evt.ConversionRate.ShouldBe(1.0);
        evt.MeanScore!.Value.ShouldBe(0.5, 1e-9);
        evt.ShareAB.ShouldBe(1.0);
        evt.MedianDaysToClose.ShouldBe(4);

        var none = report.Sources[2];
        (none.Leads, none.Open, none.Scored).ShouldBe((1, 1, 0));
        none.ConversionRate.ShouldBeNull();
        none.MeanScore.ShouldBeNull();
        none.ShareAB.ShouldBeNull();
        none.MedianDaysToClose.ShouldBeNull();

        report.Campaigns.Select(c => (c.Name, c.Leads, c.Won, c.Lost)).ShouldBe([("Spring", 5, 2, 1), ("(none)", 3, 1, 0)]);
        report.Campaigns[1].MedianDaysToClose.ShouldBe(4);
    }

    [Fact]
    public async Task Each_rep_gets_first_response_follow_ups_reply_rate_and_conversion_for_the_period()
    {
        await using var database = await databases.CreateAsync(Ct);
        await SeedAsync(database, Ct);

        async Task<TeamReport> ReportAsync(int days)
        {
            await using var db = database.NewContext();
            return await new GetTeamReportHandler(db, database.Clock).HandleAsync(new GetTeamReport(days), Ct);
        }

        var month = await ReportAsync(30);
        month.Reps.Select(r => r.Owner).ShouldBe(["Ann", "Bob", "(unassigned)"]);
        var ann = month.Reps[0];
        (ann.LeadsOwned, ann.Open, ann.NewLeads, ann.Responded).ShouldBe((5, 2, 2, 1)); // created 10 and 20 days ago; only the fresh one was touched
        ann.MedianFirstResponseHours.ShouldBe(6);
        (ann.FollowUpsSent, ann.Replies).ShouldBe((2, 1));
        ann.ReplyRate.ShouldBe(0.5);
        ann.ReplyRateNote.ShouldBeNull();
        (ann.Won, ann.Lost).ShouldBe((2, 1));
        ann.ConversionRate!.Value.ShouldBe(2 / 3.0, 1e-9);
        ann.ConversionLow!.Value.ShouldBe(0.2077, 1e-3);

        var bob = month.Reps[1];
        (bob.LeadsOwned, bob.Open, bob.NewLeads, bob.Responded).ShouldBe((2, 1, 1, 1));
        bob.MedianFirstResponseHours.ShouldBe(30);
        bob.FollowUpsSent.ShouldBe(0);
        bob.ReplyRate.ShouldBeNull();
        bob.ReplyRateNote.ShouldBe("No e-mails sent in the last 30 days");
        (bob.Won, bob.Lost).ShouldBe((0, 0));
        bob.ConversionRate.ShouldBeNull();

        var nobody = month.Reps[2];
        (nobody.LeadsOwned, nobody.NewLeads, nobody.Responded).ShouldBe((1, 1, 0));
        nobody.MedianFirstResponseHours.ShouldBeNull();

        var year = await ReportAsync(365);
        var bobYear = year.Reps.Single(r => r.Owner == "Bob");
        (bobYear.NewLeads, bobYear.Won, bobYear.ConversionRate).ShouldBe((2, 1, 1.0));
        year.Reps.Single(r => r.Owner == "Ann").NewLeads.ShouldBe(5);
    }

    [Fact]
    public async Task A_period_other_than_30_90_or_365_days_is_refused_with_the_choices()
    {
        await using var database = await databases.CreateAsync(Ct);
        await using var db = database.NewContext();
        var e = await Should.ThrowAsync<ArgumentException>(() => new GetTeamReportHandler(db, database.Clock).HandleAsync(new GetTeamReport(7), Ct));
        e.Message.ShouldBe("'days' is 7; use one of 30, 90, 365.");
    }

    [Fact]
    public async Task A_synthetic_CRM_gives_the_same_counts_as_reading_every_lead()
    {
        await using var database = await databases.CreateAsync(Ct);
        await using (var db = database.NewContext())
            await new SeedSyntheticCrmHandler(db, database.Clock).HandleAsync(new SeedSyntheticCrm(600), null, Ct);
        var now = database.Clock.GetUtcNow().UtcDateTime;

        List<Lead> all;
        List<Activity> activities;
        SourceReport sources;
        TeamReport team;
        await using (var db = database.NewContext())
        {
            all = await db.Leads.AsNoTracking().ToListAsync(Ct);
            activities = await db.Activities.AsNoTracking().ToListAsync(Ct);
            sources = await new GetSourceReportHandler(db).HandleAsync(new GetSourceReport(), Ct);
            team = await new GetTeamReportHandler(db, database.Clock).HandleAsync(new GetTeamReport(90), Ct);
        }

        sources.Sources.Sum(s => s.Leads).ShouldBe(all.Count);
        foreach (var g in all.GroupBy(l => l.Source ?? "(none)"))
        {
            var row = sources.Sources.Single(s => s.Name == g.Key);
            (row.Leads, row.Won, row.Lost).ShouldBe((g.Count(), g.Count(l => l.Outcome == LeadOutcome.Won), g.Count(l => l.Outcome == LeadOutcome.Lost)));
            var days = g.Where(l => l.Outcome != LeadOutcome.Open && l.ClosedAt != null)
                .Select(l => Math.Max(0, (int)Math.Floor((l.ClosedAt!.Value - l.CreatedAt).TotalDays))).OrderBy(d => d).ToList();
            if (days.Count > 0)
            {
                var median = days.Count % 2 == 1 ? days[days.Count / 2] : (days[days.Count / 2 - 1] + days[days.Count / 2]) / 2.0;
                row.MedianDaysToClose.ShouldBe(median);
            }
        }

        var from = now.AddDays(-90);
        var owners = all.ToDictionary(l => l.Id, l => l.Owner ?? "(unassigned)");
        foreach (var rep in team.Reps)
        {
            var sent = activities.Count(a => a.Type == ActivityType.EmailSent && a.OccurredAt >= from && a.OccurredAt < now && owners[a.LeadId] == rep.Owner);
            rep.FollowUpsSent.ShouldBe(sent);
            rep.LeadsOwned.ShouldBe(all.Count(l => (l.Owner ?? "(unassigned)") == rep.Owner));
        }
        team.Reps.Sum(r => r.LeadsOwned).ShouldBe(all.Count);
    }
}
