using System.Text.Json;
using GrowthBrain.Synthetic;
using GrowthBrain.Tests.FollowUps;
using GrowthBrain.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace GrowthBrain.Tests.Cli;

/// <summary>`draft` as a script runs it: the JSON shape from DESIGN.md, and exit code 2 for an unknown lead.</summary>
public sealed class DraftCommandTests(SqliteDatabases databases) : IDisposable
{
    private readonly TempFiles _files = new();
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _files.Dispose();

    private async Task<TestDatabase> SeededAsync()
    {
        var database = await databases.CreateAsync(Ct);
        await using var db = database.NewContext();
        await new SeedSyntheticCrmHandler(db, database.Clock).HandleAsync(new SeedSyntheticCrm(300, Seed: 12), null, Ct);
        return database;
    }

    [Fact]
    public async Task Draft_with_json_prints_exactly_the_documented_keys()
    {
        await using var database = await SeededAsync();
        string email;
        long id;
        await using (var db = database.NewContext())
        {
            var lead = await db.Leads.AsNoTracking().Where(l => l.Email != null).OrderBy(l => l.Id).FirstAsync(Ct);
            (email, id) = (lead.Email!, lead.Id);
        }

        var result = await CliRunner.RunAsync(_files.Folder, CliRunner.EnvironmentFor(database), Ct,
            "draft", "--lead", email, "--goal", "AfterDemo", "--tone", "Brief", "--json");

        result.ExitCode.ShouldBe(0, result.StdErr);
        var json = JsonDocument.Parse(result.StdOut).RootElement;
        json.EnumerateObject().Select(p => p.Name).ShouldBe(["leadId", "writer", "subject", "body", "callToAction", "violations", "sendable",
            "writerLabel", "tokens", "cost", "regenerated", "warnings"]);
        json.GetProperty("leadId").GetString().ShouldBe(id.ToString());
        json.GetProperty("writer").GetString().ShouldBe("template");
        json.GetProperty("writerLabel").GetString().ShouldBe("Built-in template writer (offline)");
        json.GetProperty("tokens").GetProperty("input").GetInt64().ShouldBe(0);
        json.GetProperty("cost").GetDecimal().ShouldBe(0m);
        json.GetProperty("body").GetString()!.ShouldContain(json.GetProperty("callToAction").GetString()!);
        json.GetProperty("violations").GetArrayLength().ShouldBe(0);
        json.GetProperty("sendable").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Draft_for_an_unknown_lead_exits_with_2_and_says_what_to_pass()
    {
        await using var database = await SeededAsync();

        var result = await CliRunner.RunAsync(_files.Folder, CliRunner.EnvironmentFor(database), Ct, "draft", "--lead", "nobody@nowhere.example", "--json");

        result.ExitCode.ShouldBe(2);
        result.StdOut.ShouldBeEmpty();
        result.StdErr.ShouldContain("nobody@nowhere.example");
    }

    [Fact]
    public async Task Draft_with_provider_OpenAI_writes_through_the_configured_server_and_reports_writer_tokens_and_cost()
    {
        await using var fake = await FakeOpenAiServer.StartAsync(FakeMode.Good);
        await using var database = await SeededAsync();
        var id = await LlmTestKit.AddAsync(database, (team, now) => LlmTestKit.Anna(team, now), Ct);
        var environment = CliRunner.EnvironmentFor(database);
        environment["Llm__ApiKey"] = LlmTestKit.ApiKey;
        environment["Llm__InputCostPer1kTokens"] = "0.15";
        environment["Llm__OutputCostPer1kTokens"] = "0.6";

        var result = await CliRunner.RunAsync(_files.Folder, environment, Ct,
            "draft", "--lead", id.ToString(), "--goal", "FirstTouch", "--provider", "OpenAI", "--model", "gpt-4o-mini", "--endpoint", fake.OpenAiEndpoint, "--json");

        result.ExitCode.ShouldBe(0, result.StdErr);
        var json = JsonDocument.Parse(result.StdOut).RootElement;
        json.GetProperty("writer").GetString().ShouldBe("OpenAI");
        json.GetProperty("writerLabel").GetString().ShouldBe("OpenAI gpt-4o-mini");
        json.GetProperty("subject").GetString().ShouldBe(FakeOpenAiServer.GoodSubject);
        json.GetProperty("sendable").GetBoolean().ShouldBeTrue();
        json.GetProperty("tokens").GetProperty("input").GetInt64().ShouldBe(FakeOpenAiServer.PromptTokensPerCall);
        json.GetProperty("tokens").GetProperty("output").GetInt64().ShouldBe(FakeOpenAiServer.CompletionTokensPerCall);
        json.GetProperty("cost").GetDecimal().ShouldBe(0.141m);
        json.GetProperty("warnings").GetArrayLength().ShouldBe(0);
        var request = fake.Requests.ShouldHaveSingleItem();
        request.Model.ShouldBe("gpt-4o-mini");
        request.Authorization.ShouldBe($"Bearer {LlmTestKit.ApiKey}");
        (result.StdOut + result.StdErr).ShouldNotContain(LlmTestKit.ApiKey);
    }

    [Fact]
    public async Task Draft_with_provider_OpenAI_and_no_key_exits_with_2_and_names_the_setting()
    {
        await using var database = await SeededAsync();

        var result = await CliRunner.RunAsync(_files.Folder, CliRunner.EnvironmentFor(database), Ct,
            "draft", "--lead", "1", "--provider", "OpenAI", "--model", "gpt-4o-mini", "--json");

        result.ExitCode.ShouldBe(2);
        result.StdOut.ShouldBeEmpty();
        result.StdErr.ShouldContain("Llm:ApiKey is empty");
    }
}
