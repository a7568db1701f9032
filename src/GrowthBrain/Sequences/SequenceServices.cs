using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBrain.Sequences;

public static class SequenceServices
{
    /// <summary>Sequences, their runner and reply detection (IMAP only when `Imap:Host` is set).</summary>
    public static IServiceCollection AddGrowthBrainSequences(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ImapOptions>().Bind(configuration.GetSection(ImapOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<CreateSequenceHandler>();
        services.AddScoped<UpdateSequenceHandler>();
        services.AddScoped<ListSequencesHandler>();
        services.AddScoped<EnrolLeadHandler>();
        services.AddScoped<ChangeEnrolmentHandler>();
        services.AddScoped<GetLeadSequenceHandler>();
        services.AddScoped<StopOnSignalsHandler>();
        services.AddScoped<RunDueStepsHandler>();
        services.AddScoped<ProcessInboundMailHandler>();
        services.AddScoped<PollImapHandler>();
        services.AddScoped<GetSequenceReplyRatesHandler>();
        services.AddScoped<GetSequenceStatsHandler>();
        services.AddScoped<CompleteTaskHandler>();
        return services;
    }
}
