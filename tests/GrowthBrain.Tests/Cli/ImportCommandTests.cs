using System.Text.Json;
using GrowthBrain.Leads.Import;
using GrowthBrain.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace GrowthBrain.Tests.Cli;

public sealed class ImportCommandTestsOnSqlite(SqliteDatabases databases) : ImportCommandTests(databases);

public sealed class ImportCommandTestsOnPostgres(PostgresDatabases databases) : ImportCommandTests(databases);

/// <summary>`./growthbrain import` as a user or a script runs it: arguments, JSON output, exit codes.</summary>
public abstract class ImportCommandTests(IDatabaseProvider databases) : IDisposable
{
    private readonly TempFiles _files = new();
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _files.Dispose();


    [Fact]
    public async Task Import_with_json_prints_one_summary_object_and_nothing_else()
    {
        await using var database = await databases.CreateAsync(Ct);
        var csv = _files.Write("leads.csv", "Email,First Name,Create Date\nok@cli.io,Ok,2025-01-01\nbad@cli.io,Bad,31/31/2024\n");
        var rejects = _files.PathOf("rejects.csv");

        var first = await CliRunner.RunAsync(_files.Folder, CliRunner.EnvironmentFor(database), Ct, "import", csv, "--rejects", rejects, "--json");
        var again = await CliRunner.RunAsync(_files.Folder, CliRunner.EnvironmentFor(database), Ct, "import", csv, "--rejects", rejects, "--json");

        first.ExitCode.ShouldBe(0, first.StdErr);
        var json = JsonDocument.Parse(first.StdOut).RootElement;
        json.EnumerateObject().Select(p => p.Name).ShouldBe(["imported", "updated", "unchanged", "rejected", "rejectsFile"]);
        json.GetProperty("imported").GetInt32().ShouldBe(1);
        json.GetProperty("rejected").GetInt32().ShouldBe(1);
        json.GetProperty("rejectsFile").GetString().ShouldBe(rejects);
        JsonDocument.Parse(again.StdOut).RootElement.GetProperty("unchanged").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task Import_from_the_command_line_is_audited_as_cli()
    {
        await using var database = await databases.CreateAsync(Ct);
        var csv = _files.Write("leads.csv", "Email,First Name,Create Date\nok@cli.io,Ok,2025-01-01\nbad@cli.io,Bad,31/31/2024\n");

        var result = await CliRunner.RunAsync(_files.Folder, CliRunner.EnvironmentFor(database), Ct, "import", csv, "--json");

        result.ExitCode.ShouldBe(0, result.StdErr);
        await using var db = database.NewContext();
        var entry = (await db.AuditEntries.AsNoTracking().Where(a => a.Action == ImportLeadsHandler.AuditAction).ToListAsync(Ct)).ShouldHaveSingleItem();
        (entry.Actor, entry.Detail).ShouldBe(("cli", "leads.csv: 1 imported, 0 updated, 0 unchanged, 1 rejected"));
    }

    [Fact]
    public async Task Import_without_json_shows_the_summary_and_where_the_rejects_are()
    {
        await using var database = await databases.CreateAsync(Ct);
        var csv = _files.Write("leads.csv", "Email,First Name\nok@cli.io,Ok\nnot-an-email,Bad\n");

        var result = await CliRunner.RunAsync(_files.Folder, CliRunner.EnvironmentFor(database), Ct, "import", csv);

        result.ExitCode.ShouldBe(0, result.StdErr);
        result.StdOut.ShouldContain("Imported");
        result.StdOut.ShouldContain("Row 2 (line 3):");
        result.StdOut.ShouldContain("not an e-mail address");
        result.StdOut.ShouldContain("leads.rejects.csv");
    }

    [Fact]
    public async Task A_missing_file_exits_with_2_and_says_so_on_standard_error()
    {
        await using var database = await databases.CreateAsync(Ct);

        var result = await CliRunner.RunAsync(_files.Folder, CliRunner.EnvironmentFor(database), Ct, "import", "nowhere.csv", "--json");

        result.ExitCode.ShouldBe(2);
        result.StdOut.ShouldBeEmpty();
        result.StdErr.ShouldContain("'nowhere.csv' does not exist");
    }

    [Fact]
    public async Task Unknown_options_exit_with_2()
    {
        await using var database = await databases.CreateAsync(Ct);

        var result = await CliRunner.RunAsync(_files.Folder, CliRunner.EnvironmentFor(database), Ct, "import", "x.csv", "--frobnicate");

        result.ExitCode.ShouldBe(2);
        result.StdErr.ShouldContain("--frobnicate");
    }

    [Fact]
    public async Task Db_migrate_reports_an_up_to_date_database()
    {
        await using var database = await databases.CreateAsync(Ct);

        var result = await CliRunner.RunAsync(_files.Folder, CliRunner.EnvironmentFor(database), Ct, "db", "migrate", "--json");

        result.ExitCode.ShouldBe(0, result.StdErr);
        JsonDocument.Parse(result.StdOut).RootElement.GetProperty("applied").GetArrayLength().ShouldBe(0);
    }
}

public sealed class ConfigurationErrorTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task An_unknown_database_provider_is_named_with_the_valid_choices()
    {
        var result = await CliRunner.RunAsync(_files.Folder, new Dictionary<string, string> { ["Database__Provider"] = "Oracle" },
            TestContext.Current.CancellationToken, "db", "migrate");

        // A bad setting is bad input, like every other options check: exit code 2.
        result.ExitCode.ShouldBe(2);
        result.StdErr.ShouldContain("Database:Provider is 'Oracle'; set it to 'Sqlite' (the default) or 'Postgres'");
    }

    [Fact]
    public async Task A_bad_crm_address_is_named_before_the_command_does_anything()
    {
        var result = await CliRunner.RunAsync(_files.Folder,
            new Dictionary<string, string> { ["Crm__Pipedrive__BaseUrl"] = "api.pipedrive.com", ["Crm__Pipedrive__ApiToken"] = "token-do-not-print" },
            TestContext.Current.CancellationToken, "db", "migrate");

        result.ExitCode.ShouldBe(2);
        result.StdErr.ShouldContain("Crm:Pipedrive:BaseUrl is 'api.pipedrive.com'; set an absolute https address, e.g. https://api.pipedrive.com");
        result.StdErr.ShouldNotContain("token-do-not-print");
        Directory.Exists(Path.Combine(_files.Folder, "data")).ShouldBeFalse();
    }
}
