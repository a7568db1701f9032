using GrowthBrain.FollowUps;
using GrowthBrain.Web.Accounts;

namespace GrowthBrain.Web.FollowUps;

/// <summary>Turns sends that a stopped process left half-done into SendUnknown, at start-up and every few minutes.</summary>
public sealed class InterruptedSendsWatcher(
    IServiceProvider services, Microsoft.Extensions.Options.IOptions<SmtpOptions> smtp, ILogger<InterruptedSendsWatcher> log) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!smtp.Value.Enabled)
            log.LogInformation("Drafts-only mode: Smtp:Host is not set, so approved drafts are kept and nothing is sent");
        using var timer = new PeriodicTimer(Every);
        do
        {
            try
            {
                // Every team's sends: this is the installation's housekeeping, not a user's request.
                await using var scope = services.CreateSystemScope("scheduler");
                var marked = await scope.ServiceProvider.GetRequiredService<MarkInterruptedSendsHandler>().HandleAsync(new MarkInterruptedSends(), stoppingToken);
                if (marked > 0) log.LogWarning("{Count} interrupted sends need a person: they are marked SendUnknown", marked);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "Checking for interrupted sends failed; trying again in {Minutes} minutes", Every.TotalMinutes);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
