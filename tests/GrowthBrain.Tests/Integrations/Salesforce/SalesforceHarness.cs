using GrowthBrain.Data;
using GrowthBrain.Settings;
using GrowthBrain.Integrations;
using GrowthBrain.Integrations.Salesforce;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBrain.Tests.Integrations.Salesforce;

/// <summary>
/// The fake Salesforce and the connector as the app builds it: configuration pointing the login address at the fake
/// (whose token answer names itself as the instance), resolved from a real ServiceCollection. Retries and timeouts
/// are shortened so failures are quick; the concurrency limit is off and the reserve zero unless a test sets them.
/// The database is configured but never opened: credentials come from configuration.
/// </summary>
public sealed class SalesforceHarness : IAsyncDisposable
{
    public const string WebhookToken = "gb-sf-outbound-token-91c2";

    private readonly ServiceProvider _services;
    private readonly AsyncServiceScope _scope;

    private SalesforceHarness(FakeSalesforceServer fake, ServiceProvider services)
    {
        Fake = fake;
        _services = services;
        _scope = services.CreateAsyncScope();
    }

    public FakeSalesforceServer Fake { get; }

    public SalesforceConnector Connector => _scope.ServiceProvider.GetRequiredService<SalesforceConnector>();

    public IServiceProvider Services => _scope.ServiceProvider;

    /// <summary>A fresh scope's connector, as another sync (or another request) would get.</summary>
    public ICrmConnector NewConnector() => _services.CreateScope().ServiceProvider.GetServices<ICrmConnector>().Single(c => c.Crm == "salesforce");

    public static Dictionary<string, string?> Settings(FakeSalesforceServer fake) => new()
    {
        ["Crm:Salesforce:LoginUrl"] = fake.Root,
        ["Crm:Salesforce:ClientId"] = fake.ClientId,
        ["Crm:Salesforce:ClientSecret"] = fake.ClientSecret,
        ["Crm:Salesforce:RefreshToken"] = fake.RefreshToken,
        ["Crm:Salesforce:MaxConcurrentCalls"] = "0",
        ["Crm:Salesforce:DailyApiReservePercent"] = "0",
        ["Crm:Salesforce:MaxRetries"] = "3",
        ["Crm:Salesforce:RetryBaseDelay"] = "00:00:00.020",
        ["Crm:Salesforce:AttemptTimeout"] = "00:00:05",
        ["Crm:Salesforce:TotalTimeout"] = "00:00:30",
    };

    public static async Task<SalesforceHarness> StartAsync(Action<Dictionary<string, string?>>? configure = null)
    {
        var fake = await FakeSalesforceServer.StartAsync();
        var settings = Settings(fake);
        settings["Database:Provider"] = "Sqlite";
        settings["ConnectionStrings:GrowthBrain"] = $"Data Source={Path.Combine(Path.GetTempPath(), $"gb-sf-{Guid.NewGuid():N}.db")}";
        settings["Crm:Salesforce:WebhookToken"] = WebhookToken;
        settings["Crm:Salesforce:OrganizationId"] = FakeSalesforceServer.OrgId;
        configure?.Invoke(settings);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddGrowthBrainData(configuration);
        services.AddGrowthBrainSettings();
        services.AddGrowthBrainIntegrations(configuration);
        return new SalesforceHarness(fake, services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true }));
    }

    /// <summary>Every page of one object, following the cursors to the end.</summary>
    public async Task<(List<CrmRecord> Records, int Pages)> PullAllAsync(string sobject, IReadOnlyList<string> properties, DateTime? since = null,
        int pageSize = 200, CancellationToken ct = default)
    {
        var records = new List<CrmRecord>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await Connector.PullAsync(new CrmPullRequest(sobject, since, cursor, properties, PageSize: pageSize), ct);
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
