using GrowthBrain.Accounts;
using GrowthBrain.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBrain.Tests.Accounts;

public sealed class ListUsersTestsOnSqlite(SqliteDatabases databases) : ListUsersTests(databases);

public sealed class ListUsersTestsOnPostgres(PostgresDatabases databases) : ListUsersTests(databases);

/// <summary>The user list the admins' page and the API share.</summary>
public abstract class ListUsersTests(IDatabaseProvider databases)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Lists_everyone_with_home_team_other_teams_and_lockout()
    {
        await using var database = await databases.CreateAsync(Ct);
        await using var services = AccountsHarness.Services(database);
        var owner = await AccountsHarness.AddUserAsync(services, "owner@example.com", UserRole.Owner, "North", Ct);
        var rep = await AccountsHarness.AddUserAsync(services, "rep@example.com", UserRole.Rep, "South", Ct, "North");
        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<SetUserLockoutHandler>()
                .HandleAsync(new SetUserLockout(rep.Id, true, UserRole.Owner, "owner@example.com"), Ct);
        }

        await using var read = services.CreateAsyncScope();
        var list = await read.ServiceProvider.GetRequiredService<ListUsersHandler>().HandleAsync(new ListUsers(), Ct);

        list.Users.Select(u => u.Email).ShouldBe(["owner@example.com", "rep@example.com"]);
        var first = list.Users[0];
        (first.Id, first.Role, first.Team, first.LockedOut).ShouldBe((owner.Id, UserRole.Owner, "North", false));
        first.OtherTeams.ShouldBeEmpty();
        var second = list.Users[1];
        (second.Role, second.Team, second.LockedOut).ShouldBe((UserRole.Rep, "South", true));
        second.OtherTeams.ShouldBe(["North"]);
        list.Teams.ShouldContain("North");
        list.Teams.ShouldContain("South");
        list.Teams.ShouldBe(list.Teams.Order(StringComparer.OrdinalIgnoreCase).ToList());
    }
}
