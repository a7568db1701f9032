using GrowthBrain.Web;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace GrowthBrain.Web.Tests;

/// <summary>
/// A misconfigured setting stops the app at start with a message that names the key and says what to set, not at the
/// first draft or sync, and the message never repeats the secret configured beside it.
/// </summary>
public sealed class StartupSettingsTests
{
    [Fact]
    public async Task OpenAI_without_a_model_or_key_stops_the_web_app_at_start_and_never_shows_the_key()
    {
        var error = await StartWithAsync(new() { ["Llm:Provider"] = "AzureOpenAI", ["Llm:ApiKey"] = "azure-key-do-not-print" });

        error.Failures.ShouldContain(f => f.Contains("Llm:Model is empty") && f.Contains("deployment name"));
        error.Failures.ShouldContain(f => f.Contains("Llm:Endpoint is empty"));
        error.Message.ShouldNotContain("azure-key-do-not-print");
    }

    [Fact]
    public async Task A_bad_crm_address_stops_the_web_app_at_start_naming_the_key_and_never_the_token()
    {
        var error = await StartWithAsync(new() { ["Crm:HubSpot:BaseUrl"] = "api.hubapi.com", ["Crm:HubSpot:AccessToken"] = "pat-do-not-print" });

        error.Failures.ShouldContain(f => f.Contains("Crm:HubSpot:BaseUrl is 'api.hubapi.com'") && f.Contains("https://api.hubapi.com"));
        error.Message.ShouldNotContain("pat-do-not-print");
    }

    private static async Task<OptionsValidationException> StartWithAsync(Dictionary<string, string?> settings)
    {
        var folder = Path.Combine(Path.GetTempPath(), "growthbrain-startup", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            await using var app = GrowthBrainWebApp.Build([], b =>
            {
                b.WebHost.UseUrls("http://127.0.0.1:0");
                b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings)
                {
                    ["Database:Provider"] = "Sqlite",
                    ["ConnectionStrings:GrowthBrain"] = $"Data Source={Path.Combine(folder, "app.db")}",
                    ["Logging:LogLevel:Default"] = "None",
                });
            });
            return await Should.ThrowAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
