using GrowthBrain.Accounts;
using GrowthBrain.Data;
using Microsoft.Extensions.Options;

namespace GrowthBrain.Web.Accounts;

/// <summary>
/// Migrates the database and, on a fresh installation with Accounts:Owner:Email and
/// Accounts:Owner:Password configured, creates that owner, so an automated install needs no set-up page.
/// </summary>
public static class OwnerFromConfiguration
{
    public static async Task PrepareDatabaseAsync(this WebApplication app, CancellationToken ct)
    {
        await using var scope = app.Services.CreateSystemScope("setup");
        await scope.ServiceProvider.GetRequiredService<MigrateDatabaseHandler>().HandleAsync(new MigrateDatabase(), ct);
        var owner = app.Services.GetRequiredService<IOptions<AccountsOptions>>().Value.Owner;
        if (string.IsNullOrWhiteSpace(owner.Email)) return;
        var setUp = scope.ServiceProvider.GetRequiredService<SetUpOwnerHandler>();
        if (await setUp.IsSetUpAsync(ct)) return;
        if (string.IsNullOrEmpty(owner.Password))
        {
            throw new InvalidOperationException("Accounts:Owner:Email is set but Accounts:Owner:Password is not; set both, or neither and use the /setup page.");
        }
        await setUp.HandleAsync(new SetUpOwner(owner.Email, owner.Name ?? "Owner", owner.Password, owner.Team), ct);
    }
}
