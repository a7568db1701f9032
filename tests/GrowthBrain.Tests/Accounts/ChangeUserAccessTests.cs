using GrowthBrain.Errors;
using GrowthBrain.Accounts;
using GrowthBrain.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBrain.Tests.Accounts;

public sealed class ChangeUserAccessTestsOnSqlite(SqliteDatabases databases) : ChangeUserAccessTests(databases);

public sealed class ChangeUserAccessTestsOnPostgres(PostgresDatabases databases) : ChangeUserAccessTests(databases);

/// <summary>Changing a person's role and teams: the rules that keep an installation safe, the audit line, and a new security stamp.</summary>
public abstract class ChangeUserAccessTests(IDatabaseProvider databases)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ServiceProvider Services(TestDatabase database) => AccountsHarness.Services(database);

    private Task<CreatedUser> AddAsync(ServiceProvider services, string email, UserRole role, string team, params string[] extra) =>
        AccountsHarness.AddUserAsync(services, email, role, team, Ct, extra);

    private async Task<UserAccess> ChangeAsync(ServiceProvider services, ChangeUserAccess request)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ChangeUserAccessHandler>().HandleAsync(request, Ct);
    }

    [Fact]
    public async Task An_admin_moves_a_rep_to_manager_of_two_teams_and_the_change_is_audited_and_ends_old_sessions()
    {
        await using var database = await databases.CreateAsync(Ct);
        await using var services = Services(database);
        await AddAsync(services, "owner@example.com", UserRole.Owner, "North");
        await AddAsync(services, "admin@example.com", UserRole.Admin, "North", "South");
        var rep = await AddAsync(services, "rep@example.com", UserRole.Rep, "North", "South");
        string stampBefore;
        await using (var db = database.NewContext())
            stampBefore = (await db.Users.AsNoTracking().SingleAsync(u => u.Id == rep.Id, Ct)).SecurityStamp!;

        var access = await ChangeAsync(services, new ChangeUserAccess(rep.Id, UserRole.Manager, "south", ["North", "  "], UserRole.Admin, "admin@example.com"));

        access.Role.ShouldBe(UserRole.Manager);
        access.TeamName.ShouldBe("South");
        access.OtherTeams.ShouldBe(["North"]);
        await using var check = database.NewContext();
        var user = await check.Users.AsNoTracking().SingleAsync(u => u.Id == rep.Id, Ct);
        user.Role.ShouldBe(UserRole.Manager);
        user.TeamId.ShouldBe(access.TeamId);
        user.SecurityStamp.ShouldNotBe(stampBefore, "sessions signed in with the old access must end");
        var teams = await check.TeamMembers.AsNoTracking().Where(m => m.UserId == rep.Id).Select(m => m.TeamId).ToListAsync(Ct);
        teams.ShouldNotContain(access.TeamId, "the home team is not repeated as a membership");
        teams.Count.ShouldBe(1);
        var line = await check.AuditEntries.AsNoTracking().SingleAsync(a => a.Action == "user.access-changed", Ct);
        line.Actor.ShouldBe("admin@example.com");
        line.Detail.ShouldBe("rep@example.com: Rep in North (also South) → Manager in South (also North)");
    }

    [Fact]
    public async Task The_rules_refuse_with_what_to_do_instead()
    {
        await using var database = await databases.CreateAsync(Ct);
        await using var services = Services(database);
        var owner = await AddAsync(services, "owner@example.com", UserRole.Owner, "North");
        var admin = await AddAsync(services, "admin@example.com", UserRole.Admin, "North");
        var rep = await AddAsync(services, "rep@example.com", UserRole.Rep, "North");

        async Task<AccountException> Refused(ChangeUserAccess request) => await Should.ThrowAsync<AccountException>(() => ChangeAsync(services, request));

        (await Refused(new(admin.Id, UserRole.Owner, "North", null, UserRole.Admin, "admin@example.com"))).Message.ShouldContain("cannot change your own");
        (await Refused(new(rep.Id, UserRole.Owner, "North", null, UserRole.Admin, "admin@example.com"))).Message.ShouldContain("Only an owner");
        (await Refused(new(owner.Id, UserRole.Rep, "North", null, UserRole.Admin, "admin@example.com"))).Message.ShouldContain("Only an owner");
        (await Refused(new(owner.Id, UserRole.Admin, "North", null, UserRole.Owner, "someone-else@example.com"))).Message.ShouldContain("only owner; make someone else an owner first");
        var noTeam = await Refused(new(rep.Id, UserRole.Manager, "Nowhere", null, UserRole.Admin, "admin@example.com"));
        noTeam.Message.ShouldStartWith("There is no team 'Nowhere'; use one of: ");
        noTeam.Message.ShouldContain("North");
        noTeam.Kind.ShouldBe(ErrorKind.NotFound);
        (await Refused(new(999_999, UserRole.Rep, "North", null, UserRole.Owner, "owner@example.com"))).Kind.ShouldBe(ErrorKind.NotFound);
        (await Refused(new(rep.Id, (UserRole)42, "North", null, UserRole.Owner, "owner@example.com"))).Message.ShouldContain("not a role");

        // With a second owner, the first may step down.
        await ChangeAsync(services, new(admin.Id, UserRole.Owner, "North", null, UserRole.Owner, "owner@example.com"));
        (await ChangeAsync(services, new(owner.Id, UserRole.Admin, "North", null, UserRole.Owner, "admin@example.com"))).Role.ShouldBe(UserRole.Admin);
        await using var check = database.NewContext();
        (await check.AuditEntries.CountAsync(a => a.Action == "user.access-changed", Ct)).ShouldBe(2, "refusals change nothing");
    }
}
