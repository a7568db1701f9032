using GrowthBrain.Errors;
using System.Security.Claims;
using GrowthBrain.Accounts;
using GrowthBrain.Audit;
using GrowthBrain.Data;
using GrowthBrain.Leads;
using GrowthBrain.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBrain.Tests.Accounts;

public sealed class AccountsTestsOnSqlite(SqliteDatabases databases) : AccountsTests(databases);

public sealed class AccountsTestsOnPostgres(PostgresDatabases databases) : AccountsTests(databases);

/// <summary>Users, teams, API keys and the team query filters, on each provider.</summary>
public abstract class AccountsTests(IDatabaseProvider databases)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ServiceProvider Services(TestDatabase database) => AccountsHarness.Services(database);

    private Task<CreatedUser> AddUserAsync(ServiceProvider services, string email, UserRole role, string team, params string[] extraTeams) =>
        AccountsHarness.AddUserAsync(services, email, role, team, Ct, extraTeams);

    private async Task<ClaimsPrincipal> PrincipalAsync(TestDatabase database, long userId)
    {
        await using var db = database.NewContext();
        var user = await db.Users.AsNoTracking().FirstAsync(u => u.Id == userId, Ct);
        var identity = new ClaimsIdentity("test");
        identity.AddClaim(new Claim(ClaimTypes.Email, user.Email!));
        identity.AddClaims(await UserClaims.GrowthBrainClaimsAsync(db, user, Ct));
        return new ClaimsPrincipal(identity);
    }

    private static async Task AddLeadsAsync(GrowthBrainDb db, long teamId, int count, DateTime now)
    {
        for (var i = 0; i < count; i++)
        {
            var lead = new Lead { TeamId = teamId, FirstName = $"T{teamId}", LastName = $"Lead{i}", Email = $"t{teamId}-{i}@example.com", CreatedAt = now, UpdatedAt = now };
            db.Leads.Add(lead);
            await db.SaveChangesAsync();
            db.Activities.Add(new Activity { TeamId = teamId, LeadId = lead.Id, Type = ActivityType.Call, OccurredAt = now });
        }
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Each_user_sees_only_their_teams_and_owners_admins_and_the_cli_see_every_team()
    {
        await using var database = await databases.CreateAsync(Ct);
        await using var services = Services(database);
        var owner = await AddUserAsync(services, "owner@example.com", UserRole.Owner, "North");
        var admin = await AddUserAsync(services, "admin@example.com", UserRole.Admin, "North");
        var rep = await AddUserAsync(services, "rep@example.com", UserRole.Rep, "South");
        var manager = await AddUserAsync(services, "manager@example.com", UserRole.Manager, "North", "South");
        var loner = await AddUserAsync(services, "loner@example.com", UserRole.Rep, "East");
        await using (var db = database.NewContext())
        {
            await AddLeadsAsync(db, owner.TeamId, 3, database.Clock.GetUtcNow().UtcDateTime);
            await AddLeadsAsync(db, rep.TeamId, 2, database.Clock.GetUtcNow().UtcDateTime);
        }

        async Task<(int Leads, int Activities, string Teams)> SeenByAsync(TeamScope scope)
        {
            await using var db = database.NewContext();
            db.Scope = scope;
            return (await db.Leads.CountAsync(Ct), await db.Activities.CountAsync(Ct),
                string.Join(",", await db.Teams.OrderBy(t => t.Name).Select(t => t.Name).ToListAsync(Ct)));
        }
        async Task<TeamScope> ScopeOfAsync(CreatedUser user)
        {
            var scope = new TeamScope();
            scope.SetUser(await PrincipalAsync(database, user.Id));
            return scope;
        }

        (await SeenByAsync(await ScopeOfAsync(rep))).ShouldBe((2, 2, "South"));
        (await SeenByAsync(await ScopeOfAsync(manager))).ShouldBe((5, 5, "North,South"));
        (await SeenByAsync(await ScopeOfAsync(loner))).ShouldBe((0, 0, "East"));
        (await SeenByAsync(await ScopeOfAsync(owner))).ShouldBe((5, 5, "East,My team,North,South"));
        (await SeenByAsync(await ScopeOfAsync(admin))).ShouldBe((5, 5, "East,My team,North,South"));
        (await SeenByAsync(TeamScope.System("cli"))).ShouldBe((5, 5, "East,My team,North,South"));
        // A scope nobody set (a request that never signed in) sees nothing at all.
        (await SeenByAsync(new TeamScope())).ShouldBe((0, 0, ""));
    }

    [Fact]
    public async Task An_api_key_works_until_it_is_revoked_or_expires_and_a_changed_key_never_works()
    {
        await using var database = await databases.CreateAsync(Ct);
        await using var services = Services(database);
        var user = await AddUserAsync(services, "keys@example.com", UserRole.Rep, "North");
        CreatedApiKey forever, shortLived;
        await using (var scope = services.CreateAsyncScope())
        {
            var create = scope.ServiceProvider.GetRequiredService<CreateApiKeyHandler>();
            forever = await create.HandleAsync(new CreateApiKey(user.Id, "forever", ApiKeyScopes.Read), Ct);
            shortLived = await create.HandleAsync(new CreateApiKey(user.Id, "a day", ApiKeyScopes.Read | ApiKeyScopes.Write, ExpiresInDays: 1), Ct);
        }
        async Task<string?> WhoAsync(string key)
        {
            await using var db = database.NewContext();
            return (await new AuthenticateApiKeyHandler(db, database.Clock).HandleAsync(key, Ct))?.User.Email;
        }

        (await WhoAsync(forever.Key)).ShouldBe("keys@example.com");
        (await WhoAsync(shortLived.Key)).ShouldBe("keys@example.com");
        (await WhoAsync(forever.Key[..^1] + (forever.Key[^1] == 'a' ? 'b' : 'a'))).ShouldBeNull();
        (await WhoAsync("gb_" + forever.Key.Split('_')[1] + "_" + new string('A', 43))).ShouldBeNull();

        database.Clock.Advance(TimeSpan.FromDays(2));
        (await WhoAsync(shortLived.Key)).ShouldBeNull();
        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<RevokeApiKeyHandler>().HandleAsync(new RevokeApiKey(forever.Id, user.Id, UserRole.Rep, "keys@example.com"), Ct);
        }
        (await WhoAsync(forever.Key)).ShouldBeNull();

        // Only hashes are stored.
        await using var check = database.NewContext();
        (await check.ApiKeys.AnyAsync(k => k.SecretHash == forever.Key || k.Prefix == forever.Key, Ct)).ShouldBeFalse();
        (await check.AuditEntries.CountAsync(a => a.Action.StartsWith("apikey."), Ct)).ShouldBe(3);
    }

    [Theory]
    [InlineData("not an address", "is not an e-mail address")]
    [InlineData("", "is not an e-mail address")]
    [InlineData("ok@example.com", "at least 12 characters", "short")]
    public async Task A_user_with_bad_details_is_refused_with_what_to_fix(string email, string message, string password = "a password long enough")
    {
        await using var database = await databases.CreateAsync(Ct);
        await using var services = Services(database);
        await using var scope = services.CreateAsyncScope();

        var error = await Should.ThrowAsync<AccountException>(() => scope.ServiceProvider.GetRequiredService<CreateUserHandler>()
            .HandleAsync(new CreateUser(email, "Someone", UserRole.Rep, password), Ct));

        error.Message.ShouldContain(message);
        await using var db = database.NewContext();
        (await db.Users.CountAsync(Ct)).ShouldBe(0);
    }

    [Fact]
    public async Task The_owner_is_set_up_once_and_names_the_first_team()
    {
        await using var database = await databases.CreateAsync(Ct);
        await using var services = Services(database);
        await using var scope = services.CreateAsyncScope();
        var setUp = scope.ServiceProvider.GetRequiredService<SetUpOwnerHandler>();

        var owner = await setUp.HandleAsync(new SetUpOwner("first@example.com", "First", "a password long enough", "Sales EMEA"), Ct);
        var again = await Should.ThrowAsync<AccountException>(() => setUp.HandleAsync(new SetUpOwner("second@example.com", "Second", "a password long enough"), Ct));

        owner.Role.ShouldBe(UserRole.Owner);
        owner.TeamName.ShouldBe("Sales EMEA");
        again.Kind.ShouldBe(ErrorKind.Conflict);
        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
        (await users.FindByEmailAsync("second@example.com")).ShouldBeNull();
    }
}
