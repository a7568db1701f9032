using GrowthBrain.Data;
using GrowthBrain.Integrations;
using GrowthBrain.Integrations.HubSpot;
using GrowthBrain.Settings;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBrain.Tests.Integrations.HubSpot;

/// <summary>
/// The HubSpot connector as the app wires it (AddGrowthBrainIntegrations on a real ServiceCollection), pointed at a
/// fresh fake. Short timeouts and retry delays keep failure tests fast; limits are off unless a test sets them.
/// </summary>
public sealed class HubSpotHarness : IAsyncDisposable
{
    public const string ClientSecret = "app-client-secret";

    private readonly ServiceProvider _services;
    private readonly AsyncServiceScope _scope;
    private readonly List<IServiceScope> _scopes = [];

    private HubSpotHarness(FakeHubSpotServer fake, Dictionary<string, string?> overrides)
    {
        Fake = fake;
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["ConnectionStrings:GrowthBrain"] = $"Data Source={Path.Combine(Path.GetTempPath(), $"gb-hubspot-{Guid.NewGuid():N}.db")}",
            ["Crm:HubSpot:BaseUrl"] = fake.BaseUrl,
            ["Crm:HubSpot:AccessToken"] = fake.Token,
            ["Crm:HubSpot:ClientSecret"] = ClientSecret,
            ["Crm:HubSpot:BurstPer10Seconds"] = "0",
            ["Crm:HubSpot:SearchPerSecond"] = "0",
            ["Crm:HubSpot:AttemptTimeoutSeconds"] = "2",
            ["Crm:HubSpot:TotalTimeoutSeconds"] = "30",
            ["Crm:HubSpot:MaxRetries"] = "3",
            ["Crm:HubSpot:RetryBaseDelayMilliseconds"] = "20",
        };
        foreach (var (k, v) in overrides) settings[k] = v;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddGrowthBrainData(configuration);
        services.AddGrowthBrainSettings();
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        services.AddGrowthBrainIntegrations(configuration);
        _services = services.BuildServiceProvider();
        _scope = _services.CreateAsyncScope();
    }

    public FakeHubSpotServer Fake { get; }

    public IServiceProvider Services => _scope.ServiceProvider;

    /// <summary>The connector as the engine gets it: the scoped ICrmConnector named hubspot.</summary>
    public ICrmConnector Connector => Services.GetServices<ICrmConnector>().Single(c => c.Crm == "hubspot");

    /// <summary>A connector from a new scope, as a later request or a restarted sync gets it.</summary>
    public ICrmConnector FreshConnector()
    {
        var scope = _services.CreateScope();
        _scopes.Add(scope);
        return scope.ServiceProvider.GetServices<ICrmConnector>().Single(c => c.Crm == "hubspot");
    }

    public static async Task<HubSpotHarness> StartAsync(Dictionary<string, string?>? settings = null) =>
        new(await FakeHubSpotServer.StartAsync(), settings ?? []);

    /// <summary>Pulls every page from the start, following the cursors, as the engine does.</summary>
    public async Task<List<CrmRecord>> PullAllAsync(int pageSize, DateTime? since = null, IReadOnlyList<string>? properties = null)
    {
        var all = new List<CrmRecord>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await Connector.PullAsync(new CrmPullRequest("contacts", since, cursor, properties ?? ["firstname"], PageSize: pageSize), TestContext.Current.CancellationToken);
            all.AddRange(page.Records);
            cursor = page.NextCursor;
            if (++pages > 10_000) throw new InvalidOperationException("The pull does not end.");
        }
        while (cursor is not null);
        return all;
    }

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        foreach (var scope in _scopes) scope.Dispose();
        await _scope.DisposeAsync();
        await _services.DisposeAsync();
        await Fake.DisposeAsync();
    }
}
