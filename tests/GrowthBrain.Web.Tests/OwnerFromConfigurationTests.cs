using GrowthBrain.Accounts;
using GrowthBrain.Web;
using GrowthBrain.Web.Accounts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBrain.Web.Tests;

/// <summary>An automated install names its owner in `Accounts:Owner:*` and needs no set-up page.</summary>
public sealed class OwnerFromConfigurationTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "growthbrain-owner-config", Guid.NewGuid().ToString("N"));

    public OwnerFromConfigurationTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private WebApplication Build(string? password) => GrowthBrainWebApp.Build([], b =>
    {
        b.WebHost.UseUrls("http://127.0.0.1:0");
        b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["ConnectionStrings:GrowthBrain"] = $"Data Source={Path.Combine(_folder, "app.db")}",
            ["Logging:LogLevel:Default"] = "None",
            ["Accounts:Owner:Email"] = "owner@example.com",
            ["Accounts:Owner:Password"] = password,
        });
    });

    [Fact]
    public async Task A_configured_owner_is_created_on_a_fresh_database()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = Build("a long enough passphrase");

        await app.PrepareDatabaseAsync(ct);

        await using var scope = app.Services.CreateSystemScope();
        (await scope.ServiceProvider.GetRequiredService<SetUpOwnerHandler>().IsSetUpAsync(ct)).ShouldBeTrue();
    }

    [Fact]
    public async Task An_owner_without_a_password_says_what_to_set()
    {
        await using var app = Build(null);

        var error = await Should.ThrowAsync<InvalidOperationException>(() => app.PrepareDatabaseAsync(TestContext.Current.CancellationToken));

        error.Message.ShouldContain("Accounts:Owner:Password is not");
    }
}
