using GrowthBrain.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBrain.Accounts;

public static class AccountServices
{
    /// <summary>Identity's user manager over GrowthBrainDb and the account use cases; the web app adds sign-in on top.</summary>
    public static IdentityBuilder AddGrowthBrainAccounts(this IServiceCollection services)
    {
        services.AddScoped<CreateUserHandler>();
        services.AddScoped<SetUpOwnerHandler>();
        services.AddScoped<CreateApiKeyHandler>();
        services.AddScoped<RevokeApiKeyHandler>();
        services.AddScoped<SetUserLockoutHandler>();
        services.AddScoped<ChangeUserAccessHandler>();
        services.AddScoped<ListUsersHandler>();
        services.AddScoped<ListTeamsHandler>();
        services.AddScoped<ListApiKeysHandler>();
        services.AddScoped<RecordSignInHandler>();
        services.AddScoped<AuthenticateApiKeyHandler>();
        return services.AddIdentityCore<User>(o =>
            {
                o.User.RequireUniqueEmail = true;
                // Length over composition rules (NIST SP 800-63B): a long passphrase beats "Passw0rd!".
                o.Password.RequiredLength = 12;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
            })
            .AddEntityFrameworkStores<GrowthBrainDb>();
    }
}
