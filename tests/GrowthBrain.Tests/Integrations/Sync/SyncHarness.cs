using GrowthBrain.Accounts;
using GrowthBrain.Data;
using GrowthBrain.Integrations;
using GrowthBrain.Integrations.Sync;
using GrowthBrain.Synthetic;
using GrowthBrain.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GrowthBrain.Tests.Integrations.Sync;

/// <summary>
/// The app's services (AddGrowthBrainCore, as the web app and the CLI register them) on one test database, with the
/// given connectors in place of the configured ones, or with configuration pointing the real connectors at fakes.
/// Each call runs in its own scope acting as the CLI does.
/// </summary>
public sealed class SyncHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private SyncHarness(TestDatabase database, Dictionary<string, string?> settings, ICrmConnector? connector)
    {
        Database = database;
        settings["Database:Provider"] = database.Provider.ToString();
        settings["ConnectionStrings:GrowthBrain"] = database.Factory.Settings.ConnectionString;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(database.Clock);
        services.AddSingleton<IConfiguration>(configuration);
        services.AddGrowthBrainCore(configuration);
        services.AddScoped(_ => TeamScope.System("sync-test"));
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        if (connector is not null)
        {
            services.RemoveAll<ICrmConnector>();
            services.AddSingleton(connector);
        }
        _services = services.BuildServiceProvider();
    }

    public TestDatabase Database { get; }

    /// <summary>A database with a synthetic CRM (200 leads, enough closed ones to train on) and the given connector.</summary>
    public static async Task<SyncHarness> CreateAsync(IDatabaseProvider databases, ICrmConnector? connector, Dictionary<string, string?>? settings, CancellationToken ct)
    {
        var database = await databases.CreateAsync(ct);
        var harness = new SyncHarness(database, settings ?? [], connector);
        await using var db = database.NewContext();
        await new SeedSyntheticCrmHandler(db, database.Clock).HandleAsync(new SeedSyntheticCrm(200, Seed: 11), null, ct);
        return harness;
    }

    public async Task<T> RunAsync<THandler, T>(Func<THandler, Task<T>> call) where THandler : notnull
    {
        await using var scope = _services.CreateAsyncScope();
        return await call(scope.ServiceProvider.GetRequiredService<THandler>());
    }

    public Task<SyncSummary> SyncAsync(SyncCrm request, CancellationToken ct) =>
        RunAsync<SyncCrmHandler, SyncSummary>(h => h.HandleAsync(request, null, ct));

    public async Task<T> QueryAsync<T>(Func<GrowthBrainDb, Task<T>> query)
    {
        await using var db = Database.NewContext();
        return await query(db);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Database.DisposeAsync();
    }
}
