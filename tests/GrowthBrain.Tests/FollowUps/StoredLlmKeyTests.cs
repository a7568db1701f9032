using GrowthBrain.Audit;
using GrowthBrain.FollowUps;
using GrowthBrain.FollowUps.Llm;
using GrowthBrain.Settings;
using GrowthBrain.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging.Abstractions;

namespace GrowthBrain.Tests.FollowUps;

public sealed class StoredLlmKeyTestsOnSqlite(SqliteDatabases databases) : StoredLlmKeyTests(databases);

public sealed class StoredLlmKeyTestsOnPostgres(PostgresDatabases databases) : StoredLlmKeyTests(databases);

/// <summary>
/// A key an admin stores in Settings → Secrets is what the writer sends, without a restart: it wins over
/// Llm:ApiKey, a rotated key is in use from the next call, and with no key anywhere the
/// draft falls back saying where to put one. The fake refuses a wrong key with 401 as OpenAI does.
/// </summary>
public abstract class StoredLlmKeyTests(IDatabaseProvider databases)
{
    private const string StoredKey = "sk-stored-41be07c9aa";
    private const string RotatedKey = "sk-rotated-93d1f2e0cc";
    private readonly IDataProtectionProvider _protection = new EphemeralDataProtectionProvider();
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task StoreAsync(TestDatabase database, string? value)
    {
        await using var db = database.NewContext();
        await new SecretStore(db, _protection, new AuditLog(database.Clock), database.Clock).SetAsync(SecretKind.LlmApiKey, value, "admin@team.example", Ct);
    }

    private Func<CancellationToken, Task<string?>> Reader(TestDatabase database) => async ct =>
    {
        await using var db = database.NewContext();
        return await new SecretStore(db, _protection, new AuditLog(database.Clock), database.Clock).GetAsync(SecretKind.LlmApiKey, ct);
    };

    private IDraftWriter Writer(TestDatabase database, LlmOptions options) =>
        FollowUpServices.CreateWriter(options, new TemplateWriter(), database.Clock, NullLoggerFactory.Instance, Reader(database));

    private async Task<(TestDatabase, long)> AnnaAsync()
    {
        var database = await databases.CreateAsync(Ct);
        return (database, await LlmTestKit.AddAsync(database, (team, now) => LlmTestKit.Anna(team, now), Ct));
    }

    [Fact]
    public async Task A_stored_key_wins_over_the_configured_one_and_a_rotated_key_is_used_from_the_next_call()
    {
        await using var fake = await FakeOpenAiServer.StartAsync(FakeMode.Good);
        var (database, id) = await AnnaAsync();
        await using var _ = database;
        await StoreAsync(database, StoredKey);
        fake.RequiredKey = StoredKey;
        var writer = Writer(database, LlmTestKit.OpenAi(fake));

        var first = await LlmTestKit.DraftAsync(database, writer, id, Ct);

        first.Warnings.ShouldBeEmpty();
        first.WriterLabel.ShouldBe("OpenAI gpt-4o-mini");
        fake.Requests.ShouldHaveSingleItem().Authorization.ShouldBe($"Bearer {StoredKey}");

        // Rotated in the UI: the same writer (a singleton in the app) sends the new key with no restart.
        await StoreAsync(database, RotatedKey);
        fake.RequiredKey = RotatedKey;

        var second = await LlmTestKit.DraftAsync(database, writer, id, Ct);

        second.Warnings.ShouldBeEmpty();
        fake.Requests[^1].Authorization.ShouldBe($"Bearer {RotatedKey}");
    }

    [Fact]
    public async Task Without_a_stored_key_the_configured_one_is_sent_and_a_wrong_key_falls_back_with_the_providers_reason()
    {
        await using var fake = await FakeOpenAiServer.StartAsync(FakeMode.Good);
        var (database, id) = await AnnaAsync();
        await using var _ = database;
        fake.RequiredKey = LlmTestKit.ApiKey;

        var good = await LlmTestKit.DraftAsync(database, Writer(database, LlmTestKit.OpenAi(fake)), id, Ct);

        good.Warnings.ShouldBeEmpty();
        fake.Requests.ShouldHaveSingleItem().Authorization.ShouldBe($"Bearer {LlmTestKit.ApiKey}");

        // A stale key stored in the UI wins, and the provider refuses it: the draft still comes, from the template writer, saying why.
        await StoreAsync(database, "sk-stale-0000");
        var refused = await LlmTestKit.DraftAsync(database, Writer(database, LlmTestKit.OpenAi(fake, maxRetries: 0)), id, Ct);

        refused.WriterLabel.ShouldNotStartWith("OpenAI");
        refused.Warnings.ShouldHaveSingleItem().ShouldContain("401");
        refused.Warnings.Single().ShouldNotContain("sk-stale-0000");
    }

    [Fact]
    public async Task A_provider_error_that_echoes_the_stored_key_shows_it_redacted()
    {
        await using var fake = await FakeOpenAiServer.StartAsync(FakeMode.Good);
        var (database, id) = await AnnaAsync();
        await using var _ = database;
        await StoreAsync(database, StoredKey);
        fake.RequiredKey = RotatedKey;
        fake.EchoKeyInErrors = true;

        var refused = await LlmTestKit.DraftAsync(database, Writer(database, LlmTestKit.OpenAi(fake, maxRetries: 0)), id, Ct);

        var warning = refused.Warnings.ShouldHaveSingleItem();
        warning.ShouldContain("401");
        warning.ShouldNotContain(StoredKey);
        warning.ShouldContain("invalid_api_key ***");
    }

    [Fact]
    public async Task Azure_gets_the_stored_key_in_its_api_key_header()
    {
        await using var fake = await FakeOpenAiServer.StartAsync(FakeMode.Good);
        var (database, id) = await AnnaAsync();
        await using var _ = database;
        await StoreAsync(database, StoredKey);
        fake.RequiredKey = StoredKey;

        var draft = await LlmTestKit.DraftAsync(database,
            Writer(database, new LlmOptions { Provider = "AzureOpenAI", Endpoint = fake.Root, Model = "drafts-4o-mini" }), id, Ct);

        draft.Warnings.ShouldBeEmpty();
        draft.WriterLabel.ShouldBe("Azure OpenAI drafts-4o-mini");
        fake.Requests.ShouldHaveSingleItem().ApiKey.ShouldBe(StoredKey);
    }

    [Fact]
    public async Task With_no_key_anywhere_a_provider_that_needs_one_is_not_called_and_the_warning_says_where_to_store_it()
    {
        var (database, id) = await AnnaAsync();
        await using var _ = database;
        // OpenAI's own service (no endpoint): nothing may leave the machine without a key.
        var options = new LlmOptions { Provider = "OpenAI", Model = "gpt-4o-mini", MaxRetries = 0, TimeoutSeconds = 5 };

        var draft = await LlmTestKit.DraftAsync(database, Writer(database, options), id, Ct);

        draft.WriterLabel.ShouldNotStartWith("OpenAI");
        draft.Warnings.ShouldHaveSingleItem().ShouldContain("Settings → Secrets");
        draft.Body.ShouldNotBeNullOrWhiteSpace();
    }
}
