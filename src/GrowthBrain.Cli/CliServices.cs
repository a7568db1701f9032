using GrowthBrain.Accounts;
using GrowthBrain.Data;
using GrowthBrain.Errors;
using GrowthBrain.Scoring;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GrowthBrain.Cli;

/// <summary>Configuration and services for commands that don't start the web app.</summary>
public static class CliServices
{
    public static IConfiguration Configuration(IDictionary<string, string?>? overrides = null) =>
        new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddInMemoryCollection(overrides ?? new Dictionary<string, string?>())
            .Build();

    public static ServiceProvider Build(IConfiguration configuration)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddConfiguration(configuration.GetSection("Logging")).SetMinimumLevel(LogLevel.Warning));
        services.AddGrowthBrainCore(configuration);
        // Commands act for whoever runs them on the server: every team, and "cli" in the audit log.
        services.AddScoped(_ => TeamScope.System("cli"));
        var provider = services.BuildServiceProvider();
        try
        {
            ValidateOnStart(provider);
        }
        catch
        {
            provider.Dispose();
            throw;
        }
        return provider;
    }

    /// <summary>
    /// What the web host does when it starts: every options class registered with ValidateOnStart is checked, so a
    /// command names a bad setting before doing any work. Several bad settings come back as one exception listing all.
    /// </summary>
    private static void ValidateOnStart(IServiceProvider provider)
    {
        try
        {
            provider.GetService<IStartupValidator>()?.Validate();
        }
        catch (AggregateException e) when (e.InnerExceptions.All(i => i is OptionsValidationException))
        {
            var failures = e.InnerExceptions.Cast<OptionsValidationException>().ToList();
            throw new OptionsValidationException(failures[0].OptionsName, failures[0].OptionsType, failures.SelectMany(f => f.Failures));
        }
    }

    /// <summary>
    /// Runs a command that works on the configured database: services, a scope, the schema brought up to
    /// date (so a fresh SQLite install needs no separate step), then the body, guarded like every command.
    /// </summary>
    public static Task<int> WithDatabaseAsync(Func<IServiceProvider, Task<int>> body, CancellationToken ct,
        IDictionary<string, string?>? overrides = null) =>
        GuardAsync(async () =>
        {
            await using var services = Build(Configuration(overrides));
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<MigrateDatabaseHandler>().HandleAsync(new MigrateDatabase(), ct);
            return await body(scope.ServiceProvider);
        });

    /// <summary>Runs a command that needs services but no database (backtest works on two files), guarded like every command.</summary>
    public static Task<int> WithServicesAsync(Func<IServiceProvider, Task<int>> body) =>
        GuardAsync(async () =>
        {
            await using var services = Build(Configuration());
            await using var scope = services.CreateAsyncScope();
            return await body(scope.ServiceProvider);
        });

    /// <summary>
    /// Runs a command body: the one place a command's failure becomes a message on standard error and an exit code.
    /// A use case's refusal is told as <see cref="DomainErrors"/> describes it, as the API and the pages do; input
    /// that can't be read and bad configuration are exit code 2 too, since the person can fix them and run again.
    /// </summary>
    public static async Task<int> GuardAsync(Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (Exception e) when (DomainErrors.Describe(e) is { } error)
        {
            await Console.Error.WriteLineAsync($"error: {error.Message}");
            return error.ExitCode;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or InvalidDataException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException e)
        {
            foreach (var failure in e.Failures) await Console.Error.WriteLineAsync($"error: {failure}");
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("Stopped. Work done so far is kept; run the same command again to continue.");
            return ExitCodes.Failed;
        }
        catch (Exception e) when (e is InvalidOperationException or System.Data.Common.DbException or IOException)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.Failed;
        }
    }
}
