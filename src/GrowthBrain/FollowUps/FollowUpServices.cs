using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GrowthBrain.FollowUps;

public static class FollowUpServices
{
    public static IServiceCollection AddGrowthBrainFollowUps(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<TemplateWriter>();
        services.AddScoped<DraftFollowUpHandler>();

        services.AddOptions<SmtpOptions>().Bind(configuration.GetSection(SmtpOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(PublicUrl.From(configuration["App:PublicUrl"]));
        services.AddSingleton<MailSender>();
        // Unsubscribe tokens outlive restarts and are readable by every instance: the key ring is in the database (DataServices).
        services.AddSingleton<UnsubscribeTokens>();

        services.AddScoped<GetPlaybookHandler>();
        services.AddScoped<UpdatePlaybookHandler>();
        services.AddScoped<CreateDraftHandler>();
        services.AddScoped<GetDraftHandler>();
        services.AddScoped<ListDraftsHandler>();
        services.AddScoped<ApproveDraftHandler>();
        services.AddScoped<EditDraftHandler>();
        services.AddScoped<RejectDraftHandler>();
        services.AddScoped<RegenerateDraftHandler>();
        services.AddScoped<RateDraftHandler>();
        services.AddScoped<SendDraftHandler>();
        services.AddScoped<MarkInterruptedSendsHandler>();
        services.AddScoped<UnsubscribeHandler>();
        services.AddScoped<GetReplyRatesHandler>();
        return services;
    }
}
