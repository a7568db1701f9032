using System.Text.Json;
using GrowthBrain.Accounts;
using GrowthBrain.Tests.Infrastructure;

namespace GrowthBrain.Tests.Cli;

/// <summary>`users add|list|api-key` from the server's shell: a scripted install needs no browser.</summary>
public sealed class UsersCommandTests(SqliteDatabases databases) : IDisposable
{
    private readonly TempFiles _files = new();
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Adding_a_user_prints_a_generated_password_once_and_the_key_it_makes_authenticates()
    {
        await using var database = await databases.CreateAsync(Ct);
        var env = CliRunner.EnvironmentFor(database);

        var added = await CliRunner.RunAsync(_files.Folder, env, Ct, "users", "add", "--email", "ana@example.com", "--role", "Manager", "--team", "Sales", "--json");
        var key = await CliRunner.RunAsync(_files.Folder, env, Ct, "users", "api-key", "--email", "ana@example.com", "--name", "zapier", "--scopes", "read,write", "--json");
        var listed = await CliRunner.RunAsync(_files.Folder, env, Ct, "users", "list", "--json");

        added.ExitCode.ShouldBe(0, added.StdErr);
        var user = JsonDocument.Parse(added.StdOut).RootElement;
        user.GetProperty("role").GetString().ShouldBe("Manager");
        user.GetProperty("teamName").GetString().ShouldBe("Sales");
        user.GetProperty("password").GetString()!.Length.ShouldBeGreaterThanOrEqualTo(12);
        key.ExitCode.ShouldBe(0, key.StdErr);
        var secret = JsonDocument.Parse(key.StdOut).RootElement.GetProperty("key").GetString()!;
        await using (var db = database.NewContext())
        {
            (await new AuthenticateApiKeyHandler(db, database.Clock).HandleAsync(secret, Ct))!.Value.User.Email.ShouldBe("ana@example.com");
        }
        listed.ExitCode.ShouldBe(0, listed.StdErr);
        listed.StdOut.ShouldContain("ana@example.com");
        listed.StdOut.ShouldNotContain(user.GetProperty("password").GetString()!);
    }

    [Fact]
    public async Task Bad_input_is_exit_code_2_with_what_to_fix()
    {
        await using var database = await databases.CreateAsync(Ct);
        var env = CliRunner.EnvironmentFor(database);

        var badEmail = await CliRunner.RunAsync(_files.Folder, env, Ct, "users", "add", "--email", "not-an-address");
        var noUser = await CliRunner.RunAsync(_files.Folder, env, Ct, "users", "api-key", "--email", "ghost@example.com", "--name", "x");
        var badScope = await CliRunner.RunAsync(_files.Folder, env, Ct, "users", "add", "--email", "b@example.com", "--password", "short");

        badEmail.ExitCode.ShouldBe(2);
        badEmail.StdErr.ShouldContain("is not an e-mail address");
        noUser.ExitCode.ShouldBe(2);
        noUser.StdErr.ShouldContain("There is no user ghost@example.com");
        badScope.ExitCode.ShouldBe(2);
        badScope.StdErr.ShouldContain("12");
    }
}
