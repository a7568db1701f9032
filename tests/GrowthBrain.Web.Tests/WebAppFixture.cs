using GrowthBrain.Accounts;
using GrowthBrain.Data;
using GrowthBrain.Web.Accounts;
using GrowthBrain.Leads;
using GrowthBrain.Scoring;
using GrowthBrain.Synthetic;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace GrowthBrain.Web.Tests;

/// <summary>
/// The real web app (GrowthBrainWebApp.Build) listening on a loopback port, on a fresh database that is
/// migrated and seeded with the synthetic CRM. One per test class; the subclasses pick the provider.
/// </summary>
public abstract class WebAppFixture : IAsyncLifetime
{
    public const int SeededLeads = 300;
    public const int ScoredSeededLeads = 1_500;

    private WebApplication? _app;
    private string? _unavailable;

    protected abstract DatabaseProvider Provider { get; }

    /// <summary>
    /// Whether to train a model and score the open leads before the app starts (the scoring tests); the
    /// other tests see leads as imported, with no model. A scored app seeds more leads so there is something to learn.
    /// </summary>
    protected virtual bool TrainAndScore => false;

    /// <summary>More configuration for the app (e.g. an SMTP server), on top of the database settings.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings => [];

    /// <summary>Anything else a fixture needs on the builder (e.g. a logger provider that captures what the app logs).</summary>
    protected virtual void ConfigureApp(WebApplicationBuilder builder)
    {
    }

    /// <summary>Creates the empty database and returns its connection string, or null when the provider is not available here.</summary>
    protected abstract Task<string?> CreateDatabaseAsync();

    protected abstract Task DropDatabaseAsync();

    /// <summary>Why the provider is not available here (the test should skip), or null.</summary>
    protected void Unavailable(string reason) => _unavailable = reason;

    public Uri BaseAddress { get; private set; } = null!;

    public int SeededCount { get; private set; }

    /// <summary>A lead with an e-mail only it has and at least one activity, for search and detail tests.</summary>
    public Lead KnownLead { get; private set; } = null!;

    public DatabaseProvider DatabaseProvider => Provider;

    public const string OwnerEmail = "owner@growthbrain.test";
    public const string OwnerPassword = "owner-password-for-tests";
    public const string UserPassword = "password-for-tests";
    public const string DefaultTeam = "1";

    /// <summary>The owner's API key (read, write, admin); <see cref="CreateClient"/> sends it.</summary>
    public string OwnerApiKey { get; private set; } = null!;

    /// <summary>The app's services, for arranging data in a test (use <c>CreateSystemScope</c>).</summary>
    public IServiceProvider Services => _app!.Services;

    /// <summary>Browsers on loopback are signed in as the owner, as in the demo; a sign-in test turns this off.</summary>
    protected virtual bool AutoSignIn => true;

    /// <summary>Whether the owner is created before the app starts; the set-up page test starts without one.</summary>
    protected virtual bool CreateOwner => true;

    /// <summary>Sign-in attempts allowed per minute and address; tests sign in far more often than people.</summary>
    protected virtual int SignInPerMinute => 1000;

    /// <summary>A client signed in as the owner with an API key; skips the calling test when the provider is not available.</summary>
    public HttpClient CreateClient() => CreateClient(OwnerApiKey);

    /// <summary>A client with the given API key, or none (anonymous) when it is null.</summary>
    public HttpClient CreateClient(string? apiKey)
    {
        if (_unavailable is not null) Assert.Skip(_unavailable);
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (apiKey is not null) client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    /// <summary>Adds a user (creating the team by name if new) with an API key of the given scopes; returns the key.</summary>
    public async Task<(CreatedUser User, string ApiKey)> AddUserAsync(string email, UserRole role, string team, ApiKeyScopes scopes = ApiKeyScopes.Read | ApiKeyScopes.Write | ApiKeyScopes.Admin)
    {
        await using var scope = Services.CreateSystemScope("tests");
        var user = await scope.ServiceProvider.GetRequiredService<CreateUserHandler>()
            .HandleAsync(new CreateUser(email, email.Split('@')[0], role, UserPassword, team), CancellationToken.None);
        var key = await scope.ServiceProvider.GetRequiredService<CreateApiKeyHandler>()
            .HandleAsync(new CreateApiKey(user.Id, "tests", scopes), CancellationToken.None);
        return (user, key.Key);
    }

    public async ValueTask InitializeAsync()
    {
        var connectionString = await CreateDatabaseAsync();
        if (connectionString is null) return;

        _app = GrowthBrainWebApp.Build([], b =>
        {
            b.WebHost.UseUrls("http://127.0.0.1:0");
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Database:Provider"] = Provider.ToString(),
                ["ConnectionStrings:GrowthBrain"] = connectionString,
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
                // Migrating a fresh PostgreSQL database logs the expected "no __EFMigrationsHistory yet" query as an error;
                // real SQL failures still surface as exceptions.
                ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "Critical",
                ["Logging:LogLevel:Microsoft.AspNetCore.DataProtection"] = "Error",
                ["Accounts:AutoSignInEmail"] = AutoSignIn ? OwnerEmail : null,
                // Tests call the API far faster than people do.
                ["RateLimits:ApiPerMinute"] = "100000",
                ["RateLimits:SignInPerMinute"] = SignInPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
            b.Configuration.AddInMemoryCollection(Settings);
            ConfigureApp(b);
        });

        var ct = TestContext.Current.CancellationToken;
        await using (var scope = _app.Services.CreateSystemScope("tests"))
        {
            await scope.ServiceProvider.GetRequiredService<MigrateDatabaseHandler>().HandleAsync(new MigrateDatabase(), ct);
            if (CreateOwner)
            {
                var owner = await scope.ServiceProvider.GetRequiredService<SetUpOwnerHandler>()
                    .HandleAsync(new SetUpOwner(OwnerEmail, "Olivia Owner", OwnerPassword), ct);
                OwnerApiKey = (await scope.ServiceProvider.GetRequiredService<CreateApiKeyHandler>()
                    .HandleAsync(new CreateApiKey(owner.Id, "tests", ApiKeyScopes.Read | ApiKeyScopes.Write | ApiKeyScopes.Admin), ct)).Key;
            }
            var seeded = await scope.ServiceProvider.GetRequiredService<SeedSyntheticCrmHandler>()
                .HandleAsync(new SeedSyntheticCrm(TrainAndScore ? ScoredSeededLeads : SeededLeads), progress: null, ct);
            SeededCount = seeded.Leads;

            var db = scope.ServiceProvider.GetRequiredService<GrowthBrainDb>();
            var uniqueEmails = db.Leads.Where(l => l.EmailNormalized != null)
                .GroupBy(l => l.EmailNormalized).Where(g => g.Count() == 1).Select(g => g.Key);
            KnownLead = await db.Leads.AsNoTracking()
                .Where(l => uniqueEmails.Contains(l.EmailNormalized) && l.FirstName != null && l.LastName != null
                            && db.Activities.Any(a => a.LeadId == l.Id))
                .OrderBy(l => l.Id).FirstAsync(ct);

            if (TrainAndScore)
            {
                // A short search budget: the tests need a model, not the best one.
                await scope.ServiceProvider.GetRequiredService<TrainModelHandler>()
                    .HandleAsync(new TrainModel(RequestedBy: "tests", Budget: TimeSpan.FromSeconds(3)), null, ct);
                await scope.ServiceProvider.GetRequiredService<ScoreLeadsHandler>().HandleAsync(new ScoreLeads(), null, ct);
            }
        }

        await _app.StartAsync(ct);
        var address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        BaseAddress = new Uri(address.Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal));
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }
        await DropDatabaseAsync();
        GC.SuppressFinalize(this);
    }
}

public class SqliteWebAppFixture : WebAppFixture
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "growthbrain-webtests-" + Guid.NewGuid().ToString("N"));

    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    protected override Task<string?> CreateDatabaseAsync()
    {
        Directory.CreateDirectory(_folder);
        return Task.FromResult<string?>($"Data Source={Path.Combine(_folder, "growthbrain.db")}");
    }

    protected override Task DropDatabaseAsync()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open only leaves a folder in the temp directory; not worth failing a test run.
        }
        return Task.CompletedTask;
    }
}

/// <summary>A fresh database per fixture on the server in GROWTHBRAIN_TEST_POSTGRES.</summary>
public class PostgresWebAppFixture : WebAppFixture
{
    private NpgsqlConnectionStringBuilder? _server;
    private readonly string _database = "gb_webtests_" + Guid.NewGuid().ToString("N")[..12];

    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;

    protected override async Task<string?> CreateDatabaseAsync()
    {
        var server = Environment.GetEnvironmentVariable("GROWTHBRAIN_TEST_POSTGRES");
        if (string.IsNullOrWhiteSpace(server))
        {
            const string reason = "GROWTHBRAIN_TEST_POSTGRES is not set (an Npgsql connection string to a server where the tests may CREATE DATABASE); scripts/test.sh starts one.";
            if (Environment.GetEnvironmentVariable("GROWTHBRAIN_REQUIRE_POSTGRES") == "1")
                throw new InvalidOperationException("GROWTHBRAIN_REQUIRE_POSTGRES=1 but " + reason);
            Unavailable(reason);
            return null;
        }
        _server = new NpgsqlConnectionStringBuilder(server);
        await using (var connection = new NpgsqlConnection(_server.ConnectionString))
        {
            await connection.OpenAsync();
            // C collation: the sort test compares with ordinal order whatever locale the server was set up with.
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{_database}\" TEMPLATE template0 LC_COLLATE 'C'", connection);
            await create.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(_server.ConnectionString) { Database = _database }.ConnectionString;
    }

    protected override async Task DropDatabaseAsync()
    {
        if (_server is null) return;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_server.ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}

/// <summary>SQLite, with a trained model and every open lead scored.</summary>
public sealed class ScoredSqliteWebAppFixture : SqliteWebAppFixture
{
    protected override bool TrainAndScore => true;
}

/// <summary>PostgreSQL, with a trained model and every open lead scored.</summary>
public sealed class ScoredPostgresWebAppFixture : PostgresWebAppFixture
{
    protected override bool TrainAndScore => true;
}

/// <summary>No automatic sign-in: pages ask for a password, as on a shared server.</summary>
public sealed class SignInSqliteWebAppFixture : SqliteWebAppFixture
{
    protected override bool AutoSignIn => false;
}

/// <summary>No automatic sign-in, on PostgreSQL.</summary>
public sealed class SignInPostgresWebAppFixture : PostgresWebAppFixture
{
    protected override bool AutoSignIn => false;
}

/// <summary>A fresh installation: no user yet, so the app asks for its owner.</summary>
public sealed class FreshSqliteWebAppFixture : SqliteWebAppFixture
{
    protected override bool AutoSignIn => false;
    protected override bool CreateOwner => false;
}

/// <summary>Sign-in limited to three attempts a minute, to see the limit answer.</summary>
public sealed class RateLimitedSqliteWebAppFixture : SqliteWebAppFixture
{
    protected override bool AutoSignIn => false;
    protected override int SignInPerMinute => 3;
}

/// <summary>Scored, with pages behind the sign-in form (the isolation tests).</summary>
public sealed class ScoredSignInSqliteWebAppFixture : SqliteWebAppFixture
{
    protected override bool TrainAndScore => true;
    protected override bool AutoSignIn => false;
}

/// <summary>Scored, with pages behind the sign-in form, on PostgreSQL.</summary>
public sealed class ScoredSignInPostgresWebAppFixture : PostgresWebAppFixture
{
    protected override bool TrainAndScore => true;
    protected override bool AutoSignIn => false;
}
