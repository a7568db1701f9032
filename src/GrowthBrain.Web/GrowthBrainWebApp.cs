using GrowthBrain.Web.Privacy;
using GrowthBrain.Web.Scoring;
using GrowthBrain.Web.Accounts;
using GrowthBrain.Web.Audit;
using GrowthBrain.Web.Security;
using Microsoft.AspNetCore.Authentication;
using GrowthBrain.Web.FollowUps;
using GrowthBrain.Web.Sequences;
using GrowthBrain.Web.Components;
using GrowthBrain.Web.Errors;
using GrowthBrain.Web.Insights;
using GrowthBrain.Web.Leads;
using GrowthBrain.Web.Live;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using Scalar.AspNetCore;
using GrowthBrain.Web.Integrations;

namespace GrowthBrain.Web;

/// <summary>
/// Builds the web app. Shared by this project's Program.cs and by the CLI's `serve` and `demo`,
/// so there is exactly one way the app is put together.
/// </summary>
public static class GrowthBrainWebApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // The CLI hosts this app too; name it so its static-asset manifest is found either way.
            ApplicationName = typeof(GrowthBrainWebApp).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        // Static assets (MudBlazor's CSS and JS) are served from the build output's manifest, not only in
        // Development, because `./growthbrain demo` runs a build, not a publish.
        builder.WebHost.UseStaticWebAssets();
        configure?.Invoke(builder);

        builder.Services.AddGrowthBrainCore(builder.Configuration);
        builder.Services.AddHostedService<InterruptedSendsWatcher>();
        builder.Services.AddGrowthBrainSequenceJobs(builder.Configuration);
        builder.Services.AddGrowthBrainSyncJobs(builder.Configuration);
        builder.Services.AddSingleton<GrowthBrain.Web.Settings.ImportUploads>();
        builder.Services.AddOptions<LiveOptions>().Bind(builder.Configuration.GetSection(LiveOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ChangeFeed>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ChangeFeed>());
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddOpenApi();
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<DomainExceptionHandler>();
        builder.Services.AddScoped<Handlers>();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        builder.AddGrowthBrainSignIn();
        builder.Services.AddGrowthBrainRateLimits(builder.Configuration);
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);

        var app = builder.Build();
        app.UseGrowthBrainSecurityHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
        }
        // An API caller gets a problem-details body for a refused request (DomainExceptionHandler) and for an
        // unexpected error too, never the HTML error page.
        app.UseWhen(DomainExceptionHandler.AnswersWithProblems, api => api.UseExceptionHandler());
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        // API clients get problem details for bodiless errors (a malformed query parameter, an unknown route), not
        // the HTML not-found page above: this inner one writes a body first, so the re-execute then leaves it alone.
        // (The re-execute itself must stay on the main pipeline: inside a UseWhen branch it no longer re-routes.)
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/api"), api => api.UseStatusCodePages());
        app.UseGrowthBrainSignIn();
        app.UseRateLimiter();
        app.UseAntiforgery();

        // Assets, the API description and health checks are public; everything else needs a signed-in user.
        app.MapStaticAssets().AllowAnonymous();
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference().AllowAnonymous();
        app.MapHealthEndpoints();
        app.MapAccountsApi();
        app.MapAuditApi();
        if (app.Services.GetRequiredService<IOptions<OidcOptions>>().Value.Enabled)
        {
            app.MapGet("/account/sso", (string? returnUrl) => TypedResults.Challenge(
                new AuthenticationProperties { RedirectUri = LoginPage.SafeReturnUrl(returnUrl) }, ["oidc"])).AllowAnonymous().ExcludeFromDescription();
        }
        app.MapLeadsApi();
        app.MapScoringApi();
        app.MapScoreOverrideApi();
        app.MapFollowUpsApi();
        app.MapSequencesApi();
        app.MapInsightsApi();
        app.MapPrivacyApi();
        app.MapSyncApi();
        app.MapCrmWebhooks();
        GrowthBrain.Web.Settings.SettingsApi.MapSettingsApi(app);
        app.MapPrivacyExportForm();
        GrowthBrain.Web.Settings.ImportUploads.MapRejectsDownload(app);
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
