using GrowthBrain.Accounts;
using GrowthBrain.Leads;
using GrowthBrain.Scoring;
using GrowthBrain.Synthetic;
using GrowthBrain.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace GrowthBrain.Tests.Scoring;

public sealed class SwitchModelAndRescoreTestsOnSqlite(SqliteDatabases databases) : SwitchModelAndRescoreTests(databases);

public sealed class SwitchModelAndRescoreTestsOnPostgres(PostgresDatabases databases) : SwitchModelAndRescoreTests(databases);

/// <summary>A switch of model is followed by rescoring the same team's open leads, whichever team sorts first.</summary>
public abstract class SwitchModelAndRescoreTests(IDatabaseProvider databases)
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(3);
    private readonly ActiveModels _models = new();
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private SwitchModelAndRescoreHandler Handler(TestDatabase database, GrowthBrain.Data.GrowthBrainDb db) => new(db,
        new TrainModelHandler(db, _models, database.Clock), new PromoteModelHandler(db, database.Clock), new ScoreLeadsHandler(db, _models, database.Clock));

    [Fact]
    public async Task Training_and_rolling_back_for_the_second_team_rescore_that_team_only()
    {
        await using var database = await databases.CreateAsync(Ct);
        long south;
        await using (var db = database.NewContext())
        {
            // Added one after the other, so "North" sorts before "South" whether or not the database came with a team.
            db.Teams.Add(new Team { Name = "North", CreatedAt = database.Clock.GetUtcNow().UtcDateTime });
            await db.SaveChangesAsync(Ct);
            var team = new Team { Name = "South", CreatedAt = database.Clock.GetUtcNow().UtcDateTime };
            db.Teams.Add(team);
            await db.SaveChangesAsync(Ct);
            south = team.Id;
            (await db.Teams.MinAsync(t => t.Id, Ct)).ShouldBeLessThan(south, "the team under test must not be the one that sorts first");
            await new SeedSyntheticCrmHandler(db, database.Clock).HandleAsync(new SeedSyntheticCrm(1_000, Seed: 5, TeamId: south), null, Ct);
        }

        TrainedAndRescored first, second;
        await using (var db = database.NewContext())
            first = await Handler(database, db).HandleAsync(new TrainModel(TeamId: south, RequestedBy: "test", Budget: Budget), null, Ct);
        await using (var db = database.NewContext())
            second = await Handler(database, db).HandleAsync(new TrainModel(TeamId: south, Force: true, RequestedBy: "test", Budget: Budget), null, Ct);
        ModelSwitchRescored rolledBack;
        var steps = new List<string>();
        await using (var db = database.NewContext())
            rolledBack = await Handler(database, db).HandleAsync(new RollbackModel("test", TeamId: south), new SyncProgress(steps), Ct);

        await using var check = database.NewContext();
        var open = await check.Leads.CountAsync(l => l.TeamId == south && l.Outcome == LeadOutcome.Open, Ct);
        open.ShouldBeGreaterThan(0);
        first.Trained.Promoted.ShouldBeTrue();
        first.Rescored!.Scored.ShouldBe(open);
        second.Rescored!.Scored.ShouldBe(open);
        rolledBack.Switch.To.ShouldBe(first.Trained.Version);
        rolledBack.Rescored.Scored.ShouldBe(open);
        rolledBack.Rescored.ModelVersion.ShouldBe($"v{first.Trained.Version}");
        steps.ShouldContain(SwitchModelAndRescoreHandler.RescoringStep);
        (await check.Leads.CountAsync(l => l.TeamId != south && l.ScoredAt != null, Ct)).ShouldBe(0);
    }

    private sealed class SyncProgress(List<string> steps) : IProgress<string>
    {
        public void Report(string value) => steps.Add(value);
    }
}
