using GrowthBrain.FollowUps.Llm;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GrowthBrain.FollowUps;

public static class FollowUpServices
{
    /// <summary>The follow-up use cases and the writer chosen by `Llm:Provider` (validated on start).</summary>
    public static IServiceCollection AddGrowthBrainFollowUps(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LlmOptions>().Bind(configuration.GetSection(LlmOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<LlmOptions>, LlmOptionsValidator>();
        services.AddSingleton<TemplateWriter>();
        services.AddSingleton<IDraftWriter>(sp => CreateWriter(
            sp.GetRequiredService<IOptions<LlmOptions>>().Value,
            sp.GetRequiredService<TemplateWriter>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>(),
            StoredKeyReader(sp.GetRequiredService<IServiceScopeFactory>())));
        services.AddScoped<DraftFollowUpHandler>();

        services.AddOptions<SmtpOptions>().Bind(configuration.GetSection(SmtpOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AppOptions>().Bind(configuration.GetSection(AppOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => PublicUrl.From(sp.GetRequiredService<IOptions<AppOptions>>().Value.PublicUrl));
        services.AddSingleton<MailSender>();
        // Unsubscribe tokens outlive restarts and are readable by every instance: the key ring is in the database (DataServices).
        services.AddSingleton<UnsubscribeTokens>();

        services.AddScoped<GetPlaybookHandler>();
        services.AddScoped<UpdatePlaybookHandler>();
        services.AddScoped<TestPlaybookHandler>();
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

    public static IDraftWriter CreateWriter(LlmOptions options, TemplateWriter template, TimeProvider clock, ILoggerFactory logs,
        Func<CancellationToken, Task<string?>>? storedKey = null)
    {
        if (options.ProviderKind == LlmProvider.Template) return new TemplateDraftWriter(template);
        var http = LlmChatClients.HttpClient(options, clock, logs.CreateLogger(typeof(LlmResilience).FullName!), storedKey);
        return new ChatDraftWriter(LlmChatClients.Create(options, http), options, template, clock, logs.CreateLogger<ChatDraftWriter>(), storedKey);
    }

    /// <summary>Reads the LLM key stored in Settings → Secrets in a scope of its own: the writer is a singleton and the store needs a database context.</summary>
    public static Func<CancellationToken, Task<string?>> StoredKeyReader(IServiceScopeFactory scopes) => async ct =>
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Settings.SecretStore>().GetAsync(Settings.SecretKind.LlmApiKey, ct);
    };
}
