using GrowthBrain.Data;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBrain.Tests.Infrastructure;

/// <summary>A fresh, migrated database for one test, dropped afterwards.</summary>
public sealed class TestDatabase(GrowthBrainDbFactory factory, Func<Task> drop) : IAsyncDisposable
{
    public GrowthBrainDbFactory Factory { get; } = factory;
    public DatabaseProvider Provider => Factory.Settings.Provider;
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));

    public GrowthBrainDb NewContext() => Factory.CreateDbContext();

    public ValueTask DisposeAsync() => new(drop());
}

/// <summary>Makes test databases on one provider. Each data test class runs once per provider.</summary>
public interface IDatabaseProvider
{
    DatabaseProvider Provider { get; }
    Task<TestDatabase> CreateAsync(CancellationToken ct = default);
}
