using System.ComponentModel.DataAnnotations;
using GrowthBrain.Integrations.Sync;
using GrowthBrain.Web.Accounts;
using Quartz;

namespace GrowthBrain.Web.Integrations;

/// <summary>`Sync:*`: how often connected CRMs are synced by the web app.</summary>
public sealed class SyncJobOptions
{
    public const string Section = "Sync";

    /// <summary>Minutes between scheduled syncs of each connected CRM (1 to 1440).</summary>
    [Range(1, 1440)]
    public int EveryMinutes { get; set; } = 5;

    /// <summary>How often the scheduler looks for due syncs and records queued by webhooks (5 to 600 seconds).</summary>
    [Range(5, 600)]
    public int TickSeconds { get; set; } = 15;

    public bool Enabled { get; set; } = true;
}

public static class CrmSyncJobs
{
    public static IServiceCollection AddGrowthBrainSyncJobs(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(SyncJobOptions.Section);
        services.AddOptions<SyncJobOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        // Quartz takes its triggers while services are registered, before IOptions can be resolved: the same binding, read once.
        var options = section.Get<SyncJobOptions>() ?? new SyncJobOptions();
        if (!options.Enabled) return services;
        services.AddQuartz(q =>
        {
            var key = new JobKey("crm-sync");
            q.AddJob<CrmSyncJob>(j => j.WithIdentity(key));
            q.AddTrigger(t => t.ForJob(key).WithIdentity("crm-sync-tick").StartNow()
                .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(Math.Clamp(options.TickSeconds, 5, 600))).RepeatForever()));
        });
        return services;
    }
}

/// <summary>
/// Syncs connected CRMs when due and pulls what webhooks queued. Never two at once in one process; across instances
/// the lease in each connection's row decides who syncs.
/// </summary>
[DisallowConcurrentExecution]
public sealed class CrmSyncJob(IServiceProvider services, Microsoft.Extensions.Options.IOptions<SyncJobOptions> options, ILogger<CrmSyncJob> log) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = services.CreateSystemScope("scheduler");
            var done = await scope.ServiceProvider.GetRequiredService<RunDueSyncsHandler>()
                .HandleAsync(new RunDueSyncs(TimeSpan.FromMinutes(options.Value.EveryMinutes)), cancellationToken);
            foreach (var s in done)
                log.LogInformation("{Crm} sync: {Pulled} pulled, {Created} created, {Updated} updated, {Pushed} written, {Failed} failed",
                    s.Crm, s.Pulled, s.Created, s.Updated, s.Pushed, s.Failed);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Looking for due CRM syncs failed");
        }
    }
}
