using GrowthBrain.Web;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace GrowthBrain.Web.Tests;

/// <summary>A misconfigured LLM writer stops the app at start with messages that say what to set, not at the first draft.</summary>
public sealed class LlmStartupTests
{
    [Fact]
    public async Task OpenAI_without_a_model_or_key_stops_the_web_app_at_start_and_never_shows_the_key()
    {
        var folder = Path.Combine(Path.GetTempPath(), "growthbrain-llm-startup", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            await using var app = GrowthBrainWebApp.Build([], b =>
            {
                b.WebHost.UseUrls("http://127.0.0.1:0");
                b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Database:Provider"] = "Sqlite",
                    ["ConnectionStrings:GrowthBrain"] = $"Data Source={Path.Combine(folder, "app.db")}",
                    ["Logging:LogLevel:Default"] = "None",
                    ["Llm:Provider"] = "AzureOpenAI",
                    ["Llm:ApiKey"] = "azure-key-do-not-print",
                });
            });

            var error = await Should.ThrowAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));

            error.Failures.ShouldContain(f => f.Contains("Llm:Model is empty") && f.Contains("deployment name"));
            error.Failures.ShouldContain(f => f.Contains("Llm:Endpoint is empty"));
            error.Message.ShouldNotContain("azure-key-do-not-print");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
