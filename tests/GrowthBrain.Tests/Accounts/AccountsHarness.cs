using GrowthBrain.Accounts;
using GrowthBrain.Audit;
using GrowthBrain.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBrain.Tests.Accounts;

/// <summary>The accounts use cases wired as the app wires them (Identity included), on a test database.</summary>
internal static class AccountsHarness
{
    public static ServiceProvider Services(TestDatabase database)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(database.Clock);
        services.AddSingleton(new AuditLog(database.Clock));
        services.AddScoped(_ => database.NewContext());
        services.AddGrowthBrainAccounts();
        return services.BuildServiceProvider();
    }

    public static async Task<CreatedUser> AddUserAsync(ServiceProvider services, string email, UserRole role, string team, CancellationToken ct, params string[] extraTeams)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CreateUserHandler>()
            .HandleAsync(new CreateUser(email, email.Split('@')[0], role, "a password long enough", team, extraTeams), ct);
    }
}
