using System.Text.Json;
using GrowthBrain.Leads;
using GrowthBrain.Scoring;
using GrowthBrain.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace GrowthBrain.Tests.Scoring;

public sealed class GetModelReportTestsOnSqlite(SqliteDatabases databases) : GetModelReportTests(databases);

public sealed class GetModelReportTestsOnPostgres(PostgresDatabases databases) : GetModelReportTests(databases);

/// <summary>The model page's data: the stored evaluation read back, versions listed, and drift counted in the database.</summary>
public abstract class GetModelReportTests(IDatabaseProvider databases)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Report(double rocAuc, IReadOnlyList<Metrics.ReliabilityBin> reliability, string decision)
    {
        var training = new TrainingReport(ScorerKind.Gbdt, "test trees", 80, 20, 40, 60, ["company_size"], [], ["few rows"], [], "Platt", 1.5);
        var evaluation = new EvaluationReport(100, 40, rocAuc, 0.6, 0.2, 0.5, 0.03, reliability,
            [new DecileLift(1, 10, 0.8, 2.0, 0.2)], [new GradeRate("A", 10, 0.8, 0.7)], new Confusion(0.5, 30, 10, 50, 10),
            [new Importance("company_size", 0.7), new Importance("source", 0.3)],
            [new FairnessReport("gender", [new GroupFairness("f", 50, 0.4, 0.4, 0.7), new GroupFairness("m", 50, 0.5, 0.4, 0.8)], 0.1, 0.1)],
            rocAuc < 0.55 ? ["No real signal on these leads"] : []);
        return JsonSerializer.Serialize(new ModelReport(training, evaluation, decision), ModelReport.Json);
    }

    [Fact]
    public async Task The_active_version_shows_its_evaluation_and_the_score_drift_of_open_leads_against_its_holdout()
    {
        await using var database = await databases.CreateAsync(Ct);
        var now = database.Clock.GetUtcNow().UtcDateTime;
        await using (var db = database.NewContext())
        {
            var teamId = await db.Teams.Select(t => t.Id).FirstAsync(Ct);
            // Holdout: half the leads scored 0-0.1, half 0.5-0.6.
            var old = new ModelVersion
            {
                TeamId = teamId, Number = 1, Status = ModelStatus.Retired, Kind = "ColdStart", Description = "naive Bayes", IsColdStart = true,
                CreatedAt = now.AddDays(-30), PromotedAt = now.AddDays(-30), Report = "{}", FeatureSchema = "{}", Model = [],
            };
            var active = new ModelVersion
            {
                TeamId = teamId, Number = 2, Status = ModelStatus.Active, Kind = "Gbdt", Description = "test trees", CreatedAt = now,
                PromotedAt = now, PromotedBy = "tests", HoldoutRocAuc = 0.8, HoldoutRows = 100, TrainingRows = 400, FeatureSchema = "{}", Model = [],
                Report = Report(0.8, [new(0.0, 0.1, 50, 0.05, 0.04), new(0.5, 0.6, 50, 0.55, 0.5)], "First model"),
            };
            db.ModelVersions.AddRange(old, active);
            await db.SaveChangesAsync(Ct);
            Lead Open(double p, long? version) => new()
            {
                TeamId = teamId, Outcome = LeadOutcome.Open, CreatedAt = now, ImportedAt = now, UpdatedAt = now,
                ScoreProbability = p, ScoreGrade = "C", ScoreModelVersionId = version,
            };
            // Open leads now: 1 in 0-0.1, 3 in 0.5-0.6 (one exactly on the 0.5 edge); one scored by the old model and one closed don't count.
            db.Leads.AddRange(Open(0.05, active.Id), Open(0.5, active.Id), Open(0.55, active.Id), Open(0.59, active.Id), Open(0.95, old.Id));
            var closed = Open(0.95, active.Id);
            closed.Outcome = LeadOutcome.Won;
            closed.ClosedAt = now;
            db.Leads.Add(closed);
            await db.SaveChangesAsync(Ct);
        }

        ModelReportView view;
        await using (var db = database.NewContext())
            view = await new GetModelReportHandler(db).HandleAsync(new GetModelReport(), Ct);

        view.Versions.Select(v => (v.Version, v.Status)).ShouldBe([(2, "Active"), (1, "Retired")]);
        view.ClosedLeads.ShouldBeNull(); // only counted for the empty page
        var a = view.Active.ShouldNotBeNull();
        a.Version.Version.ShouldBe(2);
        a.Decision.ShouldBe("First model");
        a.ColdStart.ShouldBeFalse();
        a.NoSignal.ShouldBeFalse();
        a.Warnings.ShouldBe(["few rows"]);
        var e = a.Evaluation.ShouldNotBeNull();
        e.Importance.Select(i => i.Feature).ShouldBe(["company_size", "source"]);
        e.Fairness.Single().TruePositiveRateGap.ShouldBe(0.1);
        e.Lift.Single().Lift.ShouldBe(2.0);

        var drift = a.Drift;
        (drift.HoldoutLeads, drift.OpenLeads).ShouldBe((100, 4));
        drift.Bins.Count.ShouldBe(10);
        drift.Bins[0].ShouldBe(new DriftBin(0, 0.1, 0.5, 0.25));
        drift.Bins[5].HoldoutShare.ShouldBe(0.5);
        drift.Bins[5].OpenShare.ShouldBe(0.75);
        // PSI = (0.25-0.5)ln(0.25/0.5) + (0.75-0.5)ln(0.75/0.5) = 0.1733 + 0.1014 = 0.2747 (empty bins add nothing).
        drift.Psi!.Value.ShouldBe(0.25 * Math.Log(2) + 0.25 * Math.Log(1.5), 1e-9);
        drift.Verdict.ShouldStartWith("Large shift");
    }

    [Fact]
    public async Task A_model_with_no_signal_says_so_and_no_models_gives_an_empty_report()
    {
        await using var database = await databases.CreateAsync(Ct);
        var now = database.Clock.GetUtcNow().UtcDateTime;
        await using (var db = database.NewContext())
        {
            var empty = await new GetModelReportHandler(db).HandleAsync(new GetModelReport(), Ct);
            (empty.Active, empty.HasModels, empty.ClosedLeads).ShouldBe((null, false, (int?)0));
            var teamId = await db.Teams.Select(t => t.Id).FirstAsync(Ct);
            db.ModelVersions.Add(new ModelVersion
            {
                TeamId = teamId, Number = 1, Status = ModelStatus.Active, Kind = "Gbdt", Description = "flat", CreatedAt = now, HoldoutRocAuc = 0.51,
                FeatureSchema = "{}", Model = [], Report = Report(0.51, [new(0.3, 0.4, 20, 0.35, 0.3)], "First model"),
            });
            await db.SaveChangesAsync(Ct);
        }

        ModelReportView view;
        await using (var db = database.NewContext())
            view = await new GetModelReportHandler(db).HandleAsync(new GetModelReport(), Ct);

        var a = view.Active.ShouldNotBeNull();
        a.NoSignal.ShouldBeTrue();
        a.Warnings.ShouldContain("No real signal on these leads");
        a.Drift.Psi.ShouldBeNull();
        a.Drift.Verdict.ShouldContain("./growthbrain score");
    }
}
