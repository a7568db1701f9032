using System.Text.Json;
using GrowthBrain.Leads;
using GrowthBrain.Scoring;
using GrowthBrain.Synthetic;
using GrowthBrain.Tests.Infrastructure;
using GrowthBrain.Tests.Scoring;
using Microsoft.EntityFrameworkCore;

namespace GrowthBrain.Tests.Cli;

/// <summary>`backtest`, `train`, `score` and `model` as a script runs them: JSON on standard output, exit codes, messages.</summary>
public sealed class ScoringCommandTests(SqliteDatabases databases) : IDisposable
{
    private readonly TempFiles _files = new();
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _files.Dispose();


    private async Task<TestDatabase> SeededAsync(int leads = 1_500)
    {
        var database = await databases.CreateAsync(Ct);
        await using var db = database.NewContext();
        await new SeedSyntheticCrmHandler(db, database.Clock).HandleAsync(new SeedSyntheticCrm(leads, Seed: 8), null, Ct);
        return database;
    }

    [Fact]
    public async Task Backtest_with_json_prints_one_object_with_training_evaluation_and_scored()
    {
        var train = _files.Write("train.csv", SyntheticCsv.Csv(SyntheticCsv.Leads(1_200, seed: 1).Where(l => l.Outcome != LeadOutcome.Open)));
        var testLeads = SyntheticCsv.Leads(300, seed: 2).Where(l => l.Outcome != LeadOutcome.Open).ToList();
        var test = _files.Write("test.csv", SyntheticCsv.Csv(testLeads));
        var output = _files.PathOf("scores.csv");

        var result = await CliRunner.RunAsync(_files.Folder, new Dictionary<string, string>(), Ct,
            "backtest", "--train", train, "--test", test, "--out", output, "--budget", "5", "--json");

        result.ExitCode.ShouldBe(0, result.StdErr);
        var json = JsonDocument.Parse(result.StdOut).RootElement; // one document: parsing fails on anything else
        json.ValueKind.ShouldBe(JsonValueKind.Object);
        json.GetProperty("training").GetProperty("features").GetArrayLength().ShouldBeGreaterThan(0);
        json.GetProperty("evaluation").GetProperty("rocAuc").GetDouble().ShouldBeInRange(0.5, 1.0);
        json.GetProperty("scored").GetInt32().ShouldBe(testLeads.Count);
        File.ReadAllLines(output).Length.ShouldBe(testLeads.Count + 1);
    }

    [Fact]
    public async Task Backtest_without_train_exits_with_2_and_names_the_option()
    {
        var result = await CliRunner.RunAsync(_files.Folder, new Dictionary<string, string>(), Ct,
            "backtest", "--test", "test.csv", "--out", "out.csv", "--json");

        result.ExitCode.ShouldBe(2);
        result.StdOut.ShouldBeEmpty();
        result.StdErr.ShouldContain("--train");
    }

    [Fact]
    public async Task Backtest_with_a_bad_label_exits_with_2_and_says_what_to_fix()
    {
        var train = _files.Write("train.csv", "id,source,converted\n1,Web,1\n2,Web,maybe\n");

        var result = await CliRunner.RunAsync(_files.Folder, new Dictionary<string, string>(), Ct,
            "backtest", "--train", train, "--test", train, "--out", _files.PathOf("out.csv"), "--json");

        result.ExitCode.ShouldBe(2);
        result.StdOut.ShouldBeEmpty();
        result.StdErr.ShouldContain("'maybe'");
    }

    [Fact]
    public async Task Train_then_score_with_json_print_the_version_and_how_many_open_leads_were_scored()
    {
        await using var database = await SeededAsync();
        int open;
        await using (var db = database.NewContext()) open = await db.Leads.CountAsync(l => l.Outcome == LeadOutcome.Open, Ct);

        var train = await CliRunner.RunAsync(_files.Folder, CliRunner.EnvironmentFor(database), Ct, "train", "--budget", "5", "--json");
        var score = await CliRunner.RunAsync(_files.Folder, CliRunner.EnvironmentFor(database), Ct, "score", "--json");

        train.ExitCode.ShouldBe(0, train.StdErr);
        var trained = JsonDocument.Parse(train.StdOut).RootElement;
        trained.GetProperty("version").GetInt32().ShouldBe(1);
        trained.GetProperty("promoted").GetBoolean().ShouldBeTrue();
        score.ExitCode.ShouldBe(0, score.StdErr);
        score.StdOut.Trim().ShouldBe($$"""{"scored":{{open}},"modelVersion":"v1"}""");
    }

    [Fact]
    public async Task Score_before_any_model_exits_with_2_and_says_to_train()
    {
        await using var database = await SeededAsync(200);

        var result = await CliRunner.RunAsync(_files.Folder, CliRunner.EnvironmentFor(database), Ct, "score", "--json");

        result.ExitCode.ShouldBe(2);
        result.StdOut.ShouldBeEmpty();
        result.StdErr.ShouldContain("run `./growthbrain train`");
    }

    [Fact]
    public async Task Model_list_shows_v1_active_and_rollback_with_one_version_exits_with_2()
    {
        await using var database = await SeededAsync();
        await using (var db = database.NewContext())
        {
            await new TrainModelHandler(db, new ActiveModels(), database.Clock)
                .HandleAsync(new TrainModel(Budget: TimeSpan.FromSeconds(3)), null, Ct);
        }

        var list = await CliRunner.RunAsync(_files.Folder, CliRunner.EnvironmentFor(database), Ct, "model", "list", "--json");
        var rollback = await CliRunner.RunAsync(_files.Folder, CliRunner.EnvironmentFor(database), Ct, "model", "rollback");

        list.ExitCode.ShouldBe(0, list.StdErr);
        var version = JsonDocument.Parse(list.StdOut).RootElement.GetProperty("versions").EnumerateArray().ShouldHaveSingleItem();
        version.GetProperty("version").GetInt32().ShouldBe(1);
        version.GetProperty("status").GetString().ShouldBe("Active");
        rollback.ExitCode.ShouldBe(2);
        rollback.StdErr.ShouldContain("v1 is the only model that was ever active");
    }
}
