using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GrowthBrain.Tests.FollowUps;

namespace GrowthBrain.Web.Tests;

/// <summary>An app whose writer talks to a loopback OpenAI-compatible fake that wants a key, with none in configuration.</summary>
public sealed class StoredLlmKeySqliteWebAppFixture : SqliteWebAppFixture
{
    public FakeOpenAiServer Llm { get; } = FakeOpenAiServer.StartAsync(FakeMode.Good).GetAwaiter().GetResult();

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Llm:Provider", "OpenAI"),
        new("Llm:Model", "gpt-4o-mini"),
        new("Llm:Endpoint", Llm.OpenAiEndpoint),
        new("Llm:TimeoutSeconds", "5"),
        new("Llm:MaxRetries", "0"),
    ];

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Llm.DisposeAsync();
    }
}

/// <summary>The running app's writer picks up a key stored through the Settings API, without a restart.</summary>
public sealed class StoredLlmKeyWebTests(StoredLlmKeySqliteWebAppFixture app) : IClassFixture<StoredLlmKeySqliteWebAppFixture>
{
    private const string StoredKey = "sk-ui-entered-6c02d9e4f1";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> DraftAsync(HttpClient client, long lead)
    {
        using var drafted = await client.PostAsJsonAsync($"/api/leads/{lead}/drafts", new { }, Ct);
        var text = await drafted.Content.ReadAsStringAsync(Ct);
        drafted.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task A_key_stored_in_settings_is_sent_by_the_running_writer_from_the_next_draft()
    {
        using var client = app.CreateClient();
        app.Llm.RequiredKey = StoredKey;
        var lead = (await FollowUpsClient.LeadIdsAsync(client, 1, 0, Ct)).Single();

        var before = await DraftAsync(client, lead);
        before.GetProperty("writerLabel").GetString().ShouldNotStartWith("OpenAI");
        before.GetProperty("warnings").EnumerateArray().ShouldHaveSingleItem().GetString()!.ShouldContain("401");

        using (var put = await client.PutAsJsonAsync("/api/settings/secrets/LlmApiKey", new { value = StoredKey }, Ct))
            put.StatusCode.ShouldBe(HttpStatusCode.NoContent, await put.Content.ReadAsStringAsync(Ct));

        var after = await DraftAsync(client, lead);
        after.GetProperty("writerLabel").GetString().ShouldBe("OpenAI gpt-4o-mini");
        after.GetProperty("warnings").EnumerateArray().ShouldBeEmpty();
        app.Llm.Requests[^1].Authorization.ShouldBe($"Bearer {StoredKey}");
    }
}
