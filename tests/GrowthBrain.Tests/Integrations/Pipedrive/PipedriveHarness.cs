using GrowthBrain.Data;
using GrowthBrain.Integrations;
using GrowthBrain.Integrations.Pipedrive;
using GrowthBrain.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBrain.Tests.Integrations.Pipedrive;

/// <summary>
/// The fake Pipedrive and the connector as the app builds it, resolved from a real ServiceCollection with configuration
/// pointing at the fake. Retries and timeouts are shortened; the limits are off unless a test sets them. The database
/// is configured but never opened: credentials come from configuration.
/// </summary>
public sealed class PipedriveHarness : IAsyncDisposable
{
    public const string WebhookUser = "pipedrive-hooks";
    public const string WebhookPassword = "s3cret-hook-password";

    private readonly ServiceProvider _services;
    private readonly AsyncServiceScope _scope;

    private PipedriveHarness(FakePipedriveServer fake, ServiceProvider services)
    {
        Fake = fake;
        _services = services;
        _scope = services.CreateAsyncScope();
    }

    public FakePipedriveServer Fake { get; }

    public PipedriveConnector Connector => _scope.ServiceProvider.GetRequiredService<PipedriveConnector>();

    public PipedriveRateLimiter Limiter => _services.GetRequiredService<PipedriveRateLimiter>();

    public static async Task<PipedriveHarness> StartAsync(Action<Dictionary<string, string?>>? configure = null, TimeProvider? clock = null)
    {
        var fake = await FakePipedriveServer.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["ConnectionStrings:GrowthBrain"] = $"Data Source={Path.Combine(Path.GetTempPath(), $"gb-pipedrive-{Guid.NewGuid():N}.db")}",
            ["Crm:Pipedrive:BaseUrl"] = fake.BaseUrl,
            ["Crm:Pipedrive:ApiToken"] = fake.Token,
            ["Crm:Pipedrive:WebhookUser"] = WebhookUser,
            ["Crm:Pipedrive:WebhookPassword"] = WebhookPassword,
            ["Crm:Pipedrive:BurstPer2Seconds"] = "0",
            ["Crm:Pipedrive:DailyTokenBudget"] = "0",
            ["Crm:Pipedrive:MaxRetries"] = "3",
            ["Crm:Pipedrive:RetryBaseDelay"] = "00:00:00.020",
            ["Crm:Pipedrive:AttemptTimeout"] = "00:00:05",
            ["Crm:Pipedrive:TotalTimeout"] = "00:00:30",
        };
        configure?.Invoke(settings);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        if (clock is not null) services.AddSingleton(clock);
        services.AddGrowthBrainData(configuration);
        services.AddGrowthBrainSettings();
        services.AddGrowthBrainIntegrations(configuration);
        return new PipedriveHarness(fake, services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true }));
    }

    /// <summary>Every page of persons, following the cursors to the end.</summary>
    public async Task<(List<CrmRecord> Records, int Pages)> PullAllAsync(IReadOnlyList<string> properties, DateTime? since = null, int pageSize = 200,
        CancellationToken ct = default)
    {
        var records = new List<CrmRecord>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await Connector.PullAsync(new CrmPullRequest("persons", since, cursor, properties, PageSize: pageSize), ct);
            records.AddRange(page.Records);
            cursor = page.NextCursor;
            if (++pages > 10_000) throw new InvalidOperationException("The cursor never ended.");
        } while (cursor is not null);
        return (records, pages);
    }

    public async ValueTask DisposeAsync()
    {
        await _scope.DisposeAsync();
        await _services.DisposeAsync();
        await Fake.DisposeAsync();
    }
}
