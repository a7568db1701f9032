using GrowthBrain.Audit;
using GrowthBrain.Leads;
using GrowthBrain.Scoring;
using GrowthBrain.Synthetic;
using GrowthBrain.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace GrowthBrain.Tests.Scoring;

public sealed class OverrideScoreTestsOnSqlite(SqliteDatabases databases) : OverrideScoreTests(databases);

public sealed class OverrideScoreTestsOnPostgres(PostgresDatabases databases) : OverrideScoreTests(databases);

/// <summary>A person's grade in place of the model's: kept through rescoring, used by the queue, audited, clearable.</summary>
public abstract class OverrideScoreTests(IDatabaseProvider databases)
{
    private readonly ActiveModels _models = new();
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<TestDatabase> ScoredAsync()
    {
        var database = await databases.CreateAsync(Ct);
        await using var db = database.NewContext();
        await new SeedSyntheticCrmHandler(db, database.Clock).HandleAsync(new SeedSyntheticCrm(1_500, Seed: 11), null, Ct);
        await new TrainModelHandler(db, _models, database.Clock).HandleAsync(new TrainModel(RequestedBy: "test", Budget: TimeSpan.FromSeconds(3)), null, Ct);
        await RescoreAsync(database);
        return database;
    }

    private async Task RescoreAsync(TestDatabase database)
    {
        await using var db = database.NewContext();
        await new ScoreLeadsHandler(db, _models, database.Clock).HandleAsync(new ScoreLeads(), null, Ct);
    }

    private OverrideScoreHandler Handler(GrowthBrain.Data.GrowthBrainDb db, TestDatabase database) =>
        new(db, _models, new AuditLog(database.Clock), database.Clock);

    private async Task<ScoreOverrideView?> OverrideAsync(TestDatabase database, long leadId, string? grade, double? probability, string? reason, string by = "rep@example.com")
    {
        await using var db = database.NewContext();
        return await Handler(db, database).HandleAsync(new OverrideScore(leadId, grade, probability, reason, by), Ct);
    }

    private static async Task<Lead> LeadAsync(TestDatabase database, long id)
    {
        await using var db = database.NewContext();
        return await db.Leads.AsNoTracking().SingleAsync(l => l.Id == id, TestContext.Current.CancellationToken);
    }

    private static async Task<Lead> LowestOpenLeadAsync(TestDatabase database)
    {
        await using var db = database.NewContext();
        return await db.Leads.AsNoTracking().Where(l => l.Outcome == LeadOutcome.Open && l.ScoreGrade == "D")
            .OrderBy(l => l.ScoreProbability).ThenBy(l => l.Id).FirstAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task An_override_is_kept_through_batch_rescoring_with_the_model_score_recorded_beneath()
    {
        await using var database = await ScoredAsync();
        var lead = await LowestOpenLeadAsync(database);
        var modelProbability = lead.ScoreProbability!.Value;

        var set = await OverrideAsync(database, lead.Id, "a", null, "  Signed a letter of intent yesterday ");
        set.ShouldNotBeNull();
        set.Grade.ShouldBe("A");
        set.Reason.ShouldBe("Signed a letter of intent yesterday");
        set.ModelGrade.ShouldBe("D");

        // A day later every open lead is rescored, including this one.
        database.Clock.Advance(TimeSpan.FromDays(1));
        await RescoreAsync(database);

        var after = await LeadAsync(database, lead.Id);
        after.ScoreGrade.ShouldBe("A");
        after.ScoreOverrideId.ShouldBe(set.Id);
        after.ModelGrade.ShouldBe("D", "the model's own score is still recorded beneath the override");
        after.ModelProbability!.Value.ShouldBe(modelProbability, 0.05);
        after.ScoredAt!.Value.ShouldBe(database.Clock.GetUtcNow().UtcDateTime, TimeSpan.FromSeconds(1));
        await using (var db = database.NewContext())
        {
            // The history behind the chart is the model's: no row claims the model said A.
            (await db.LeadScores.AnyAsync(s => s.LeadId == lead.Id && s.Grade == "A", Ct)).ShouldBeFalse();
        }
    }

    [Fact]
    public async Task The_call_next_queue_ranks_an_overridden_lead_by_the_persons_grade_and_marks_it()
    {
        await using var database = await ScoredAsync();
        var lead = await LowestOpenLeadAsync(database);
        GradeBands bands;
        await using (var db = database.NewContext()) bands = (await _models.GetAsync(db, lead.TeamId, Ct))!.Value.Scorer.Grades;

        await OverrideAsync(database, lead.Id, "A", null, "Budget approved, wants a demo");

        var ranked = (await LeadAsync(database, lead.Id)).ScoreProbability!.Value;
        ranked.ShouldBeGreaterThanOrEqualTo(bands.A, "a grade alone ranks the lead inside that grade's band");
        await using (var db = database.NewContext())
        {
            var queue = await new ListLeadsHandler(db).HandleAsync(
                new ListLeads(PageSize: ListLeads.MaxPageSize, SortBy: "score", Descending: true, Outcome: LeadOutcome.Open, Grade: "A"), Ct);
            var row = queue.Items.Where(r => r.Id == lead.Id).ShouldHaveSingleItem();
            row.Overridden.ShouldBeTrue();
            queue.Items.Where(r => r.Id != lead.Id).ShouldAllBe(r => !r.Overridden);
            // Everything ranked below it is no more likely than it, whatever the model says about this one lead.
            queue.Items.SkipWhile(r => r.Id != lead.Id).Skip(1).ShouldAllBe(r => r.Probability <= ranked);
        }
    }

    [Fact]
    public async Task Overrides_are_audited_kept_in_history_and_clearing_restores_the_models_latest_score()
    {
        await using var database = await ScoredAsync();
        var lead = await LowestOpenLeadAsync(database);
        var first = await OverrideAsync(database, lead.Id, "B", null, "Met at the trade fair", by: "ann@example.com");
        var bPlus = (await LeadAsync(database, lead.Id)).ScoreProbability;
        var second = await OverrideAsync(database, lead.Id, "C", null, "Trade fair interest cooled", by: "bob@example.com");

        await using (var db = database.NewContext())
        {
            (await Handler(db, database).ClearAsync(new ClearScoreOverride(lead.Id, "carol@example.com", "Model knows best"), Ct)).ShouldBeTrue();
        }
        var cleared = await LeadAsync(database, lead.Id);
        cleared.ScoreOverrideId.ShouldBeNull();
        cleared.ScoreGrade.ShouldBe(cleared.ModelGrade);
        cleared.ScoreProbability.ShouldBe(cleared.ModelProbability);
        cleared.ScoreGrade.ShouldBe("D");
        bPlus.ShouldNotBe(cleared.ScoreProbability);

        await using (var db = database.NewContext())
        {
            var history = (await new GetScoreHistoryHandler(db).HandleAsync(new GetScoreHistory(lead.Id), Ct))!;
            history.ActiveOverride.ShouldBeNull();
            history.Overrides.Select(o => (o.Id, o.SetBy, o.Reason)).ShouldBe(
                [(second!.Id, "bob@example.com", "Trade fair interest cooled"), (first!.Id, "ann@example.com", "Met at the trade fair")]);
            history.Overrides[0].ClearedBy.ShouldBe("carol@example.com");
            history.Overrides[0].ClearReason.ShouldBe("Model knows best");
            history.Overrides[1].ClearedBy.ShouldBe("bob@example.com", "a new override replaces the one in force");
            history.Points.ShouldNotBeEmpty();

            var audit = await db.AuditEntries.AsNoTracking().Where(a => a.SubjectKind == "lead" && a.SubjectId == lead.Id.ToString())
                .OrderBy(a => a.Id).Select(a => new { a.Actor, a.Action, a.Detail }).ToListAsync(Ct);
            audit.Select(a => (a.Actor, a.Action)).ShouldBe(
                [("ann@example.com", "score.override"), ("bob@example.com", "score.override"), ("carol@example.com", "score.override.clear")]);
            audit[0].Detail!.ShouldContain("Met at the trade fair");
            audit[0].Detail!.ShouldContain("over the model's D");
        }
    }

    [Fact]
    public async Task Bad_overrides_are_refused_with_what_to_send_instead()
    {
        await using var database = await ScoredAsync();
        var lead = await LowestOpenLeadAsync(database);
        (string? Grade, double? Probability, string? Reason, string Message)[] cases =
        [
            ("E", null, "Good reason here", "grade is 'E'; use A, B, C or D."),
            (null, null, "Good reason here", "grade is ''; use A, B, C or D."),
            ("A", null, null, "reason is required"),
            ("A", null, "ok", "reason is required"),
            ("A", 1.5, "Good reason here", "probability is 1.5; give a number from 0 to 1"),
            ("A", 0.01, "Good reason here", "is grade D for the active model, not A"),
        ];
        foreach (var c in cases)
        {
            var e = await Should.ThrowAsync<ArgumentException>(() => OverrideAsync(database, lead.Id, c.Grade, c.Probability, c.Reason));
            e.Message.ShouldContain(c.Message);
        }
        (await LeadAsync(database, lead.Id)).ScoreOverrideId.ShouldBeNull();
    }

    [Fact]
    public async Task Without_an_active_model_a_grade_needs_a_probability_and_an_unknown_lead_is_null()
    {
        await using var database = await databases.CreateAsync(Ct);
        long id;
        await using (var db = database.NewContext())
        {
            await new SeedSyntheticCrmHandler(db, database.Clock).HandleAsync(new SeedSyntheticCrm(20, Seed: 2), null, Ct);
            id = await db.Leads.OrderBy(l => l.Id).Select(l => l.Id).FirstAsync(Ct);
        }
        (await Should.ThrowAsync<ArgumentException>(() => OverrideAsync(database, id, "B", null, "Known customer")))
            .Message.ShouldContain("give a probability too");
        var set = await OverrideAsync(database, id, "B", 0.4, "Known customer");
        set!.RankProbability.ShouldBe(0.4);
        (await LeadAsync(database, id)).ScoreGrade.ShouldBe("B");
        (await OverrideAsync(database, 999_999, "B", 0.4, "Known customer")).ShouldBeNull();
    }
}
