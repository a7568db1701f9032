using GrowthBrain.FollowUps;
using GrowthBrain.FollowUps.Llm;
using GrowthBrain.Tests.Infrastructure;

namespace GrowthBrain.Tests.FollowUps;

/// <summary>
/// One retry policy (LlmResilience) for every provider: Azure OpenAI's SDK does not retry on top of it, and Ollama's
/// calls get it too. OpenAI's own cases are in <see cref="LlmWriterTests"/>.
/// </summary>
public sealed class LlmRetryTests(SqliteDatabases databases)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(TestDatabase Database, long LeadId)> AnnaAsync()
    {
        var database = await databases.CreateAsync(Ct);
        return (database, await LlmTestKit.AddAsync(database, (team, now) => LlmTestKit.Anna(team, now), Ct));
    }

    [Fact]
    public async Task Azure_OpenAI_with_no_retries_configured_calls_once_after_a_429_so_the_SDK_does_not_retry_on_its_own()
    {
        await using var fake = await FakeOpenAiServer.StartAsync(FakeMode.RateLimitedThenGood);
        var (database, id) = await AnnaAsync();
        await using var _ = database;
        var options = new LlmOptions { Provider = "AzureOpenAI", Endpoint = fake.Root, Model = "drafts-4o-mini", ApiKey = LlmTestKit.ApiKey, MaxRetries = 0, TimeoutSeconds = 5 };

        var draft = await LlmTestKit.DraftAsync(database, LlmTestKit.Writer(options), id, Ct);

        fake.Requests.Count.ShouldBe(1);
        draft.Writer.ShouldBe(TemplateWriter.Name);
        draft.Warnings.ShouldHaveSingleItem().ShouldStartWith("Azure OpenAI drafts-4o-mini answered HTTP 429");
    }

    [Fact]
    public async Task An_Ollama_call_that_meets_a_500_is_retried_once_with_backoff_and_the_retry_is_logged()
    {
        await using var fake = await FakeOpenAiServer.StartAsync(FakeMode.ServerErrorThenGood);
        var (database, id) = await AnnaAsync();
        await using var _ = database;
        var logs = new ListLoggerProvider();
        var options = new LlmOptions { Provider = "Ollama", Endpoint = fake.Root, Model = "llama3.1", MaxRetries = 2, TimeoutSeconds = 5 };

        var draft = await LlmTestKit.DraftAsync(database, LlmTestKit.Writer(options, logs), id, Ct);

        draft.WriterLabel.ShouldBe("Ollama llama3.1");
        draft.Warnings.ShouldBeEmpty();
        var requests = fake.Requests;
        requests.Count.ShouldBe(2);
        requests.ShouldAllBe(r => r.Path == "/api/chat");
        (requests[1].At - requests[0].At).ShouldBeGreaterThan(TimeSpan.FromMilliseconds(450));
        logs.Lines.ShouldContain(line => line.Contains(nameof(LlmResilience)) && line.Contains("answered 500; retry 1 of 2"));
    }
}
