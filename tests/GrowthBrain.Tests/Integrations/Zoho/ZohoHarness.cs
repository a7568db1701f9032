using GrowthBrain.Data;
using GrowthBrain.Integrations;
using GrowthBrain.Integrations.Zoho;
using GrowthBrain.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBrain.Tests.Integrations.Zoho;

/// <summary>
/// The fake Zoho and the connector as the app builds it: configuration pointing both addresses at the fake,
/// resolved from a real ServiceCollection. Retries and timeouts are shortened so failures are quick; the limits
/// are off unless a test sets them. The database is configured but never opened: credentials come from configuration.
/// </summary>
public sealed class ZohoHarness : IAsyncDisposable
{
    public const string WebhookToken = "gb-zoho-channel-token-7f3a";

    private readonly ServiceProvider _services;
    private readonly AsyncServiceScope _scope;

    private ZohoHarness(FakeZohoServer fake, ServiceProvider services)
    {
        Fake = fake;
        _services = services;
        _scope = services.CreateAsyncScope();
    }

    public FakeZohoServer Fake { get; }

    public ZohoConnector Connector => _scope.ServiceProvider.GetRequiredService<ZohoConnector>();

    public IServiceProvider Services => _scope.ServiceProvider;

    /// <summary>A fresh scope's connector, as another sync (or another request) would get.</summary>
    public ICrmConnector NewConnector() => _services.CreateScope().ServiceProvider.GetServices<ICrmConnector>().Single(c => c.Crm == "zoho");

    public static async Task<ZohoHarness> StartAsync(Action<Dictionary<string, string?>>? configure = null)
    {
        var fake = await FakeZohoServer.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["ConnectionStrings:GrowthBrain"] = $"Data Source={Path.Combine(Path.GetTempPath(), $"gb-zoho-{Guid.NewGuid():N}.db")}",
            ["Crm:Zoho:ApiBaseUrl"] = fake.Root,
            ["Crm:Zoho:AccountsUrl"] = fake.Root,
            ["Crm:Zoho:ClientId"] = fake.ClientId,
            ["Crm:Zoho:ClientSecret"] = fake.ClientSecret,
            ["Crm:Zoho:RefreshToken"] = fake.RefreshToken,
            ["Crm:Zoho:WebhookToken"] = WebhookToken,
            ["Crm:Zoho:MaxConcurrentCalls"] = "0",
            ["Crm:Zoho:CreditsPerDay"] = "0",
            ["Crm:Zoho:MaxRetries"] = "3",
            ["Crm:Zoho:RetryBaseDelay"] = "00:00:00.020",
            ["Crm:Zoho:AttemptTimeout"] = "00:00:05",
            ["Crm:Zoho:TotalTimeout"] = "00:00:30",
        };
        configure?.Invoke(settings);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddGrowthBrainData(configuration);
        services.AddGrowthBrainSettings();
        services.AddGrowthBrainIntegrations(configuration);
        return new ZohoHarness(fake, services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true }));
    }

    /// <summary>Every page of one object, following the cursors to the end.</summary>
    public async Task<(List<CrmRecord> Records, int Pages)> PullAllAsync(string module, IReadOnlyList<string> properties, DateTime? since = null,
        int pageSize = 200, CancellationToken ct = default)
    {
        var records = new List<CrmRecord>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await Connector.PullAsync(new CrmPullRequest(module, since, cursor, properties, PageSize: pageSize), ct);
            records.AddRange(page.Records);
            cursor = page.NextCursor;
            pages++;
            if (pages > 10_000) throw new InvalidOperationException("The cursor never ended.");
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
