using GrowthBrain.Audit;
using GrowthBrain.FollowUps;
using GrowthBrain.Leads;
using GrowthBrain.Scoring;
using GrowthBrain.Synthetic;
using GrowthBrain.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace GrowthBrain.Tests.Leads;

public sealed class CallNextTestsOnSqlite(SqliteDatabases databases) : CallNextTests(databases);

public sealed class CallNextTestsOnPostgres(PostgresDatabases databases) : CallNextTests(databases);

/// <summary>The "call next" queue: the best open leads, why, and the step that would raise each; a person's override and a waiting draft show.</summary>
public abstract class CallNextTests(IDatabaseProvider databases)
{
    private readonly ActiveModels _models = new();
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<TestDatabase> ScoredAsync()
    {
        var database = await databases.CreateAsync(Ct);
        await using var db = database.NewContext();
        await new SeedSyntheticCrmHandler(db, database.Clock).HandleAsync(new SeedSyntheticCrm(1_500, Seed: 5), null, Ct);
        await new TrainModelHandler(db, _models, database.Clock).HandleAsync(new TrainModel(RequestedBy: "test", Budget: TimeSpan.FromSeconds(3)), null, Ct);
        await new ScoreLeadsHandler(db, _models, database.Clock).HandleAsync(new ScoreLeads(), null, Ct);
        return database;
    }

    private async Task<IReadOnlyList<CallNextLead>> QueueAsync(TestDatabase database, int count = GetCallNext.DefaultCount)
    {
        await using var db = database.NewContext();
        return await new GetCallNextHandler(db, _models, database.Clock).HandleAsync(new GetCallNext(count), Ct);
    }

    [Fact]
    public async Task The_queue_is_the_best_open_leads_in_score_order_each_with_reasons_and_a_next_step_that_raises_it()
    {
        await using var database = await ScoredAsync();

        var queue = await QueueAsync(database, 10);

        await using var db = database.NewContext();
        var expected = await db.Leads.AsNoTracking().Where(l => l.Outcome == LeadOutcome.Open && l.ScoreProbability != null)
            .OrderByDescending(l => l.ScoreProbability).ThenBy(l => l.Id).Select(l => l.Id).Take(10).ToListAsync(Ct);
        queue.Select(l => l.Id).ShouldBe(expected);
        queue.Select(l => l.Probability).ShouldBeInOrder(SortDirection.Descending);
        queue.ShouldAllBe(l => l.Why.Count > 0 && l.Why.Count <= GetCallNextHandler.ReasonsShown && l.Why.All(f => f.Points > 0 && f.Text.Length > 0));
        // Top leads are already likely to convert, but most still have something a rep can do.
        var withStep = queue.Where(l => l.NextStep is not null).ToList();
        withStep.ShouldNotBeEmpty();
        withStep.ShouldAllBe(l => l.NextStep!.Probability > l.Probability - 0.02 && l.NextStep.Points > 0);
        queue.ShouldAllBe(l => l.Name.Length > 0 && "ABCD".Contains(l.Grade) && l.OverrideReason == null && l.DraftWaiting == null);
        // The reasons and the step are the lead page's own, lead by lead.
        foreach (var lead in queue)
        {
            var page = (await new ScoreLeadHandler(db, _models, database.Clock).HandleAsync(new ScoreLead(lead.Id, "view", Store: false), Ct))!;
            lead.Why.ShouldBe(page.For.Take(GetCallNextHandler.ReasonsShown).ToList());
            lead.NextStep.ShouldBe(page.WhatWouldRaiseIt.FirstOrDefault());
        }
    }

    [Fact]
    public async Task A_persons_override_shows_who_and_why_instead_of_the_models_reasons_and_a_waiting_draft_is_offered()
    {
        await using var database = await ScoredAsync();
        long lowest;
        await using (var db = database.NewContext())
        {
            lowest = await db.Leads.Where(l => l.Outcome == LeadOutcome.Open && l.ScoreProbability != null)
                .OrderBy(l => l.ScoreProbability).ThenBy(l => l.Id).Select(l => l.Id).FirstAsync(Ct);
            await new OverrideScoreHandler(db, _models, new AuditLog(database.Clock), database.Clock)
                .HandleAsync(new OverrideScore(lowest, "A", 0.99, "Signed a letter of intent", "rep@example.com"), Ct);
        }
        long draftId;
        await using (var db = database.NewContext())
        {
            var lead = await db.Leads.SingleAsync(l => l.Id == lowest, Ct);
            var draft = new FollowUpDraft
            {
                TeamId = lead.TeamId, LeadId = lead.Id, Writer = "template", Language = "en", Subject = "Next steps", Body = "Hi",
                CallToAction = "Call?", Status = DraftStatus.Pending, CreatedAt = database.Clock.GetUtcNow().UtcDateTime, CreatedBy = "test",
                OriginalSubject = "Next steps", OriginalBody = "Hi",
            };
            db.FollowUpDrafts.Add(draft);
            await db.SaveChangesAsync(Ct);
            draftId = draft.Id;
        }

        var first = (await QueueAsync(database)).First();

        first.Id.ShouldBe(lowest, "the override ranks it first");
        first.Grade.ShouldBe("A");
        first.OverrideReason.ShouldBe("Grade A set by rep@example.com: Signed a letter of intent");
        first.Why.ShouldBeEmpty();
        first.DraftWaiting.ShouldBe(draftId);
    }

    [Fact]
    public async Task Closed_and_unscored_leads_never_appear_and_bad_counts_are_refused()
    {
        await using var database = await databases.CreateAsync(Ct);
        await using (var db = database.NewContext())
            await new SeedSyntheticCrmHandler(db, database.Clock).HandleAsync(new SeedSyntheticCrm(200, Seed: 2), null, Ct);

        (await QueueAsync(database)).ShouldBeEmpty("nothing is scored before a model is trained");

        await using var check = database.NewContext();
        var handler = new GetCallNextHandler(check, _models, database.Clock);
        (await Should.ThrowAsync<ArgumentException>(() => handler.HandleAsync(new GetCallNext(0), Ct))).Message.ShouldContain("1 to 25");
        await Should.ThrowAsync<ArgumentException>(() => handler.HandleAsync(new GetCallNext(GetCallNext.MaxCount + 1), Ct));
    }
}
