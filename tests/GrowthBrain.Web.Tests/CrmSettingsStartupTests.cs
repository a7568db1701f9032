using GrowthBrain.Web;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace GrowthBrain.Web.Tests;

/// <summary>A misconfigured CRM address stops the app at start with a message naming the key, not at the first sync.</summary>
public sealed class CrmSettingsStartupTests
{
    [Fact]
    public async Task A_bad_crm_address_stops_the_web_app_at_start_naming_the_key_and_never_the_token()
    {
        var folder = Path.Combine(Path.GetTempPath(), "growthbrain-crm-startup", Guid.NewGuid().ToString("N"));
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
                    ["Crm:HubSpot:BaseUrl"] = "api.hubapi.com",
                    ["Crm:HubSpot:AccessToken"] = "pat-do-not-print",
                });
            });

            var error = await Should.ThrowAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));

            error.Failures.ShouldContain(f => f.Contains("Crm:HubSpot:BaseUrl is 'api.hubapi.com'") && f.Contains("https://api.hubapi.com"));
            error.Message.ShouldNotContain("pat-do-not-print");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
