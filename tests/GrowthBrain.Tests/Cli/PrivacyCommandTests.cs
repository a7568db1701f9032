using System.IO.Compression;
using System.Text.Json;
using GrowthBrain.Privacy;
using GrowthBrain.Tests.Infrastructure;
using GrowthBrain.Tests.Privacy;
using Microsoft.EntityFrameworkCore;

namespace GrowthBrain.Tests.Cli;

public sealed class PrivacyCommandTestsOnSqlite(SqliteDatabases databases) : PrivacyCommandTests(databases);

public sealed class PrivacyCommandTestsOnPostgres(PostgresDatabases databases) : PrivacyCommandTests(databases);

/// <summary>`./growthbrain privacy export|erase|retention` as an operator or a script runs them: output, files, exit codes.</summary>
public abstract class PrivacyCommandTests(IDatabaseProvider databases) : IDisposable
{
    private readonly TempFiles _files = new();
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _files.Dispose();

    private async Task<TestDatabase> ArrangeAsync()
    {
        var database = await databases.CreateAsync(Ct);
        await new PrivacyPerson().ArrangeAsync(database, _files, Ct);
        return database;
    }

    private Task<CliResult> RunAsync(TestDatabase database, params string[] args) =>
        CliRunner.RunAsync(_files.Folder, CliRunner.EnvironmentFor(database), Ct, args);

    [Fact]
    public async Task Export_with_json_prints_the_export_object_and_nothing_else()
    {
        await using var database = await ArrangeAsync();

        var result = await RunAsync(database, "privacy", "export", "--email", PrivacyPerson.Email, "--json");

        result.ExitCode.ShouldBe(0, result.StdErr);
        var json = JsonDocument.Parse(result.StdOut).RootElement;
        json.EnumerateObject().Select(p => p.Name).ShouldBe(["email", "exportedAt", "suppressions", "leads", "auditEntries", "pendingCrmErasures", "nothingHeld"]);
        json.GetProperty("leads").GetArrayLength().ShouldBe(2);
        var lead = json.GetProperty("leads")[0];
        lead.GetProperty("firstName").GetString().ShouldBe(PrivacyPerson.FirstName);
        lead.GetProperty("customFields").GetProperty("Favourite colour").GetString().ShouldBe(PrivacyPerson.CustomValue);
        lead.GetProperty("scores")[1].GetProperty("modelVersion").GetInt32().ShouldBe(7);
        lead.GetProperty("consentStatus").GetString().ShouldBe("Granted");
        Directory.GetFiles(_files.Folder, "privacy-export-*").ShouldBeEmpty();
    }

    [Fact]
    public async Task Export_writes_a_zip_of_csv_files_or_a_json_file()
    {
        await using var database = await ArrangeAsync();
        var zipPath = _files.PathOf("out/person.zip");
        var jsonPath = _files.PathOf("person.json");

        var zip = await RunAsync(database, "privacy", "export", "--email", PrivacyPerson.Email, "--out", zipPath);
        var json = await RunAsync(database, "privacy", "export", "--email", PrivacyPerson.Email, "--out", jsonPath);
        var bad = await RunAsync(database, "privacy", "export", "--email", PrivacyPerson.Email, "--out", _files.PathOf("person.xlsx"));

        zip.ExitCode.ShouldBe(0, zip.StdErr);
        zip.StdOut.ShouldContain("2 lead(s) in 2 team(s)");
        zip.StdOut.ShouldContain("person.zip");
        using (var archive = ZipFile.OpenRead(zipPath)) archive.GetEntry("leads.csv").ShouldNotBeNull();
        json.ExitCode.ShouldBe(0, json.StdErr);
        JsonDocument.Parse(await File.ReadAllTextAsync(jsonPath, Ct)).RootElement.GetProperty("leads").GetArrayLength().ShouldBe(2);
        bad.ExitCode.ShouldBe(2);
        bad.StdErr.ShouldContain(".zip");
    }

    [Fact]
    public async Task Erase_needs_yes_when_not_at_a_terminal()
    {
        await using var database = await ArrangeAsync();

        var result = await RunAsync(database, "privacy", "erase", "--email", PrivacyPerson.Email);

        result.ExitCode.ShouldBe(2);
        result.StdErr.ShouldContain("--yes");
        await using var db = database.NewContext();
        (await db.Leads.CountAsync(l => l.FirstName == PrivacyPerson.FirstName, Ct)).ShouldBe(2);
    }

    [Fact]
    public async Task Erase_with_yes_and_json_reports_what_was_done_and_what_is_pending()
    {
        await using var database = await ArrangeAsync();

        var result = await RunAsync(database, "privacy", "erase", "--email", PrivacyPerson.Email, "--yes", "--json");
        var human = await RunAsync(database, "privacy", "erase", "--email", PrivacyPerson.Email, "--yes");

        result.ExitCode.ShouldBe(0, result.StdErr);
        var json = JsonDocument.Parse(result.StdOut).RootElement;
        json.GetProperty("emailHash").GetString().ShouldBe(Suppression.HashEmail(PrivacyPerson.Email));
        json.GetProperty("leads").GetInt32().ShouldBe(2);
        json.GetProperty("nothingHeld").GetBoolean().ShouldBeFalse();
        json.GetProperty("pendingCrmErasures").GetArrayLength().ShouldBe(2);
        json.GetProperty("storageScrubbed").GetBoolean().ShouldBeTrue();
        result.StdOut.ShouldNotContain(PrivacyPerson.FirstName);
        human.ExitCode.ShouldBe(0, human.StdErr);
        human.StdOut.ShouldContain("Nothing held about " + PrivacyPerson.Email.ToLowerInvariant());
        human.StdOut.ShouldContain("Still to erase in hubspot");
        await using var db = database.NewContext();
        (await db.AuditEntries.SingleAsync(e => e.Action == "privacy.erased" && e.Detail!.Contains("2 lead(s)"), Ct)).Actor.ShouldStartWith("cli:");
    }

    [Theory]
    [InlineData("erase", "--yes")]
    [InlineData("export", "--json")]
    public async Task A_malformed_address_exits_with_2_and_says_what_to_pass(string verb, string flag)
    {
        await using var database = await databases.CreateAsync(Ct);

        var result = await RunAsync(database, "privacy", verb, "--email", "zelda-at-example", flag);

        result.ExitCode.ShouldBe(2);
        result.StdOut.ShouldBeEmpty();
        result.StdErr.ShouldContain("'zelda-at-example' is not an e-mail address");
    }

    [Fact]
    public async Task Missing_email_is_a_usage_error()
    {
        await using var database = await databases.CreateAsync(Ct);

        var result = await RunAsync(database, "privacy", "erase", "--yes");

        result.ExitCode.ShouldBe(2);
        result.StdErr.ShouldContain("--email");
    }

    [Fact]
    public async Task Retention_reports_the_policy_and_counts_with_dry_run()
    {
        await using var database = await ArrangeAsync();
        var env = CliRunner.EnvironmentFor(database);

        var off = await CliRunner.RunAsync(_files.Folder, env, Ct, "privacy", "retention");
        env["Privacy__RetentionDays"] = "30";
        var dry = await CliRunner.RunAsync(_files.Folder, env, Ct, "privacy", "retention", "--dry-run", "--json");
        env["Privacy__RetentionDays"] = "soon";
        var bad = await CliRunner.RunAsync(_files.Folder, env, Ct, "privacy", "retention");

        off.ExitCode.ShouldBe(0, off.StdErr);
        off.StdOut.ShouldContain("Privacy:RetentionDays");
        dry.ExitCode.ShouldBe(0, dry.StdErr);
        var json = JsonDocument.Parse(dry.StdOut).RootElement;
        // Today is 2026-11-30; four leads closed on 2026-09-01/02 (the person in two teams and Ada in two).
        (json.GetProperty("enabled").GetBoolean(), json.GetProperty("dryRun").GetBoolean(), json.GetProperty("leads").GetInt32()).ShouldBe((true, true, 4));
        bad.ExitCode.ShouldNotBe(0);
        bad.StdErr.ShouldContain("number of days");
        await using var db = database.NewContext();
        (await db.Leads.CountAsync(l => l.AnonymisedAt != null, Ct)).ShouldBe(0);
    }
}
