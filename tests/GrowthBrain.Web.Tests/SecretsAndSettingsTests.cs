using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GrowthBrain.Data;
using GrowthBrain.Settings;
using GrowthBrain.Tests.FollowUps;
using GrowthBrain.Web.Accounts;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GrowthBrain.Web.Tests;

/// <summary>Everything the app logs, at every level, kept for a test to search.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => _lines.ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            lines.Enqueue($"{category} scope: {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // The formatted message, every structured value and the whole exception: a secret can hide in any of them.
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join("; ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} [{values}] {exception}");
        }
    }
}

/// <summary>
/// An app configured with an LLM key and an SMTP password, whose LLM cannot be reached and whose mail server
/// refuses sign-in: the error paths, where secrets usually leak into logs, all run. Logs at Debug.
/// </summary>
public sealed class SecretsSqliteWebAppFixture : SqliteWebAppFixture
{
    public const string LlmKey = "sk-llm-config-5d1c7e20b9";
    public const string SmtpPassword = "smtp-config-8f2a61c4d3";

    public SmtpTestServer Smtp { get; } = new();
    public CapturedLogs Logs { get; } = new();

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Llm:Provider", "OpenAI"),
        new("Llm:Model", "gpt-test"),
        // Nothing listens on the discard port: every call fails and the template writer takes over.
        new("Llm:Endpoint", "http://127.0.0.1:9/v1"),
        new("Llm:ApiKey", LlmKey),
        new("Llm:TimeoutSeconds", "3"),
        new("Llm:MaxRetries", "0"),
        new("Smtp:Host", "127.0.0.1"),
        new("Smtp:Port", Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Smtp:From", "Sam Carter <sam@northwind.example>"),
        new("Smtp:User", "sam"),
        new("Smtp:Password", SmtpPassword),
        new("Logging:LogLevel:Default", "Debug"),
        new("Logging:LogLevel:Microsoft.AspNetCore", "Debug"),
        new("Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command", "Information"),
        new("Logging:LogLevel:Microsoft.AspNetCore.DataProtection", "Debug"),
    ];

    protected override void ConfigureApp(WebApplicationBuilder builder) => builder.Logging.AddProvider(Logs);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

/// <summary>Settings endpoints and the promise that secrets never reach a log, a response or the database in plaintext.</summary>
public sealed class SecretsAndSettingsTests(SecretsSqliteWebAppFixture app) : IClassFixture<SecretsSqliteWebAppFixture>
{
    private const string StoredKey = "sk-llm-stored-a93e4b7c11";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Configured_and_stored_secrets_never_appear_in_logs_or_responses_after_drafting_sending_and_settings()
    {
        using var client = app.CreateClient();
        var responses = new List<string>();

        using (var put = await client.PutAsJsonAsync("/api/settings/secrets/LlmApiKey", new { value = StoredKey }, Ct))
            put.StatusCode.ShouldBe(HttpStatusCode.NoContent, await put.Content.ReadAsStringAsync(Ct));
        var secrets = await client.GetStringAsync("/api/settings/secrets", Ct);
        responses.Add(secrets);
        secrets.ShouldContain("\"isSet\":true");
        var writer = await client.GetStringAsync("/api/settings/writer", Ct);
        responses.Add(writer);
        writer.ShouldContain("\"keyConfigured\":true");
        writer.ShouldContain("\"keyStored\":true");

        var lead = (await FollowUpsClient.LeadIdsAsync(client, 1, 0, Ct)).Single();
        using (var drafted = await client.PostAsJsonAsync($"/api/leads/{lead}/drafts", new { }, Ct))
        {
            var text = await drafted.Content.ReadAsStringAsync(Ct);
            responses.Add(text);
            drafted.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        }
        var draft = await FollowUpsClient.CreateDraftAsync(client, lead, Ct);
        using (var approve = await client.PostAsync($"/api/drafts/{draft.Id}/approve", null, Ct)) responses.Add(await approve.Content.ReadAsStringAsync(Ct));
        using (var send = await client.PostAsJsonAsync($"/api/drafts/{draft.Id}/send", new { }, Ct))
        {
            var text = await send.Content.ReadAsStringAsync(Ct);
            responses.Add(text);
            ((int)send.StatusCode).ShouldBeLessThan(500, text);
        }
        responses.Add(await client.GetStringAsync($"/api/drafts/{draft.Id}", Ct));

        var logs = app.Logs.Lines;
        // The capture works and the failing paths ran: otherwise "no secret in the logs" would prove nothing.
        logs.Count.ShouldBeGreaterThan(50);
        logs.ShouldContain(l => l.Contains("127.0.0.1:9", StringComparison.Ordinal) || l.Contains("Connection refused", StringComparison.OrdinalIgnoreCase) || l.Contains("fell back", StringComparison.OrdinalIgnoreCase) || l.Contains("GrowthBrain.FollowUps", StringComparison.Ordinal));
        foreach (var secret in new[] { SecretsSqliteWebAppFixture.LlmKey, SecretsSqliteWebAppFixture.SmtpPassword, StoredKey })
        {
            logs.ShouldNotContain(l => l.Contains(secret, StringComparison.Ordinal), $"a log line holds {secret[..6]}…");
            responses.ShouldNotContain(r => r.Contains(secret, StringComparison.Ordinal));
        }

        // At rest: ciphertext only.
        await using var scope = app.Services.CreateSystemScope("tests");
        var db = scope.ServiceProvider.GetRequiredService<GrowthBrainDb>();
        var raw = await db.StoredSecrets.AsNoTracking().Select(s => s.ProtectedValue).ToListAsync(Ct);
        raw.ShouldHaveSingleItem().ShouldNotContain(StoredKey);
        (await scope.ServiceProvider.GetRequiredService<SecretStore>().GetAsync(SecretKind.LlmApiKey, Ct)).ShouldBe(StoredKey);
    }

    [Fact]
    public async Task Secret_and_protected_attribute_endpoints_validate_input_and_are_for_admins()
    {
        using var owner = app.CreateClient();
        using (var bad = await owner.PutAsJsonAsync("/api/settings/secrets/Password", new { value = "x" }, Ct))
        {
            bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await bad.Content.ReadAsStringAsync(Ct)).ShouldContain("SmtpPassword");
        }
        using (var numeric = await owner.PutAsJsonAsync("/api/settings/secrets/1", new { value = "x" }, Ct))
            numeric.StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        using (var set = await owner.PutAsJsonAsync("/api/teams/1/protected-attributes", new { attributes = new[] { "gender", "Heritage" } }, Ct))
        {
            set.StatusCode.ShouldBe(HttpStatusCode.OK, await set.Content.ReadAsStringAsync(Ct));
            using var json = JsonDocument.Parse(await set.Content.ReadAsStringAsync(Ct));
            json.RootElement.GetProperty("attributes").EnumerateArray().Select(a => a.GetString()).ShouldBe(["gender", "Heritage"]);
        }
        using (var missing = await owner.PutAsJsonAsync("/api/teams/1/protected-attributes", new { }, Ct))
            missing.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using (var none = await owner.GetAsync("/api/teams/999999/protected-attributes", Ct))
            none.StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var (_, managerKey) = await app.AddUserAsync($"manager-{Guid.NewGuid():N}@example.com", GrowthBrain.Accounts.UserRole.Manager, WebAppFixture.DefaultTeam);
        using var manager = app.CreateClient(managerKey);
        (await manager.GetAsync("/api/settings/secrets", Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await manager.GetAsync("/api/teams/1/protected-attributes", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await manager.PutAsJsonAsync("/api/teams/1/protected-attributes", new { attributes = Array.Empty<string>() }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_admin_locks_a_user_out_and_their_api_key_stops_working_until_unlocked()
    {
        var (rep, repKey) = await app.AddUserAsync($"rep-{Guid.NewGuid():N}@example.com", GrowthBrain.Accounts.UserRole.Rep, WebAppFixture.DefaultTeam);
        using var owner = app.CreateClient();
        using var repClient = app.CreateClient(repKey);
        (await repClient.GetAsync("/api/account", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await owner.PostAsync($"/api/users/{rep.Id}/lock", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await repClient.GetAsync("/api/account", Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var users = await owner.GetStringAsync("/api/users", Ct);
        using (var json = JsonDocument.Parse(users))
            json.RootElement.EnumerateArray().Single(u => u.GetProperty("id").GetInt64() == rep.Id).GetProperty("lockedOut").GetBoolean().ShouldBeTrue();

        (await owner.PostAsync($"/api/users/{rep.Id}/unlock", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await repClient.GetAsync("/api/account", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await owner.PostAsync("/api/users/999999/lock", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
