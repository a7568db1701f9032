using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GrowthBrain.Data;

public static class DataServices
{
    public static IServiceCollection AddGrowthBrainData(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.Section))
            .Configure(o => o.ConnectionString = configuration.GetConnectionString(DatabaseOptions.ConnectionStringName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ToSettings());
        services.AddSingleton(sp => new GrowthBrainDbFactory(sp.GetRequiredService<DatabaseSettings>(), sp.GetService<ILoggerFactory>()));
        // A context sees the teams of whoever acts in its scope: the signed-in person in the web app (pages get theirs
        // through Handlers' scope per call), every team for the CLI and jobs; with no TeamScope registered, every team.
        services.AddScoped(sp =>
        {
            var db = sp.GetRequiredService<GrowthBrainDbFactory>().CreateDbContext();
            db.Scope = sp.GetService<GrowthBrain.Accounts.TeamScope>();
            return db;
        });
        services.AddScoped<MigrateDatabaseHandler>();
        // One key ring in the database for cookies, unsubscribe tokens and stored secrets, shared by every
        // instance and by the CLI (a token the demo writes must open in the web app).
        services.AddDataProtection().SetApplicationName("GrowthBrain").PersistKeysToDbContext<GrowthBrainDb>();
        services.AddSingleton<GrowthBrain.Audit.AuditLog>();
        services.AddScoped<GrowthBrain.Audit.ListAuditEntriesHandler>();
        services.AddSingleton<GrowthBrain.Privacy.SuppressionList>();
        services.TryAddTimeProvider();
        return services;
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (services.All(d => d.ServiceType != typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }
}
