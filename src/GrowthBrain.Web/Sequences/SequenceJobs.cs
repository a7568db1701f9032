using GrowthBrain.Sequences;
using GrowthBrain.Web.Accounts;
using Microsoft.Extensions.Options;
using Quartz;

namespace GrowthBrain.Web.Sequences;

/// <summary>
/// Quartz is the clock: it wakes the runner every few seconds. What is due, and whether a step already ran, lives in
/// our tables (docs/adr/0010-sequence-steps-claimed-in-our-tables.md), so the in-memory job store loses nothing on a
/// restart and several instances may tick at once.
/// </summary>
public static class SequenceJobs
{
    /// <summary>The scheduler for sequences; the use cases and `Imap` options come with AddGrowthBrainCore.</summary>
    public static IServiceCollection AddGrowthBrainSequenceJobs(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(SequenceJobOptions.Section);
        services.AddOptions<SequenceJobOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        // Quartz takes its triggers while services are registered, before any IOptions can be resolved: the same
        // bindings, read once here.
        var every = Math.Clamp((section.Get<SequenceJobOptions>() ?? new SequenceJobOptions()).RunEverySeconds, 1, 3600);
        var imap = configuration.GetSection(ImapOptions.Section).Get<ImapOptions>() ?? new ImapOptions();
        services.AddQuartz(q =>
        {
            // RAMJobStore on purpose: the state that matters is in our tables (see the ADR).
            q.UseInMemoryStore();
            var steps = new JobKey("sequence-steps");
            q.AddJob<SequenceStepsJob>(j => j.WithIdentity(steps));
            q.AddTrigger(t => t.ForJob(steps).WithIdentity("sequence-steps-tick").StartNow()
                .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(every)).RepeatForever()));
            if (imap.Enabled)
            {
                var poll = new JobKey("imap-replies");
                q.AddJob<ImapRepliesJob>(j => j.WithIdentity(poll));
                q.AddTrigger(t => t.ForJob(poll).WithIdentity("imap-replies-tick").StartNow()
                    .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(imap.PollSeconds)).RepeatForever()));
            }
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }
}

/// <summary>`Sequences:*`: how the scheduler runs sequences in this web app.</summary>
public sealed class SequenceJobOptions
{
    public const string Section = "Sequences";

    /// <summary>How often due steps are looked for (1 to 3600 seconds).</summary>
    public int RunEverySeconds { get; set; } = 30;
}

/// <summary>Runs due sequence steps for every team. Never two at once in one process; other instances are safe through the claims.</summary>
[DisallowConcurrentExecution]
public sealed class SequenceStepsJob(IServiceProvider services, ILogger<SequenceStepsJob> log) : IJob
{
    private static readonly string Runner = $"{Environment.MachineName}:{Environment.ProcessId}";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = services.CreateSystemScope("scheduler");
            var result = await scope.ServiceProvider.GetRequiredService<RunDueStepsHandler>().HandleAsync(new RunDueSteps(Runner), cancellationToken);
            if (result.StepsRun + result.Stopped + result.DraftsSent + result.NeedAttention > 0)
                log.LogInformation("Sequences: {Steps} steps run, {Sent} e-mails sent, {Stopped} stopped, {Attention} need a person",
                    result.StepsRun, result.DraftsSent, result.Stopped, result.NeedAttention);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The next tick tries again; claims make sure nothing that already happened runs twice.
            log.LogError(e, "Running sequence steps failed");
        }
    }
}

[DisallowConcurrentExecution]
public sealed class ImapRepliesJob(IServiceProvider services, IOptions<ImapOptions> options, ILogger<ImapRepliesJob> log) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = services.CreateSystemScope("reply-detection");
            var result = await scope.ServiceProvider.GetRequiredService<PollImapHandler>().HandleAsync(new PollImap(), cancellationToken);
            if (result.Fetched > 0)
                log.LogInformation("IMAP {Host}: {Fetched} new messages, {Replies} replies, {Bounces} bounces", options.Value.Host, result.Fetched, result.Replies, result.Bounces);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Polling {Host} for replies failed; trying again at the next tick", options.Value.Host);
        }
    }
}
