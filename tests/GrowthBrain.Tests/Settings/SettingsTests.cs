using GrowthBrain.Accounts;
using GrowthBrain.Audit;
using GrowthBrain.Data;
using GrowthBrain.FollowUps;
using GrowthBrain.Scoring;
using GrowthBrain.Settings;
using GrowthBrain.Synthetic;
using GrowthBrain.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace GrowthBrain.Tests.Settings;

public sealed class SettingsTestsOnSqlite(SqliteDatabases databases) : SettingsTests(databases);

public sealed class SettingsTestsOnPostgres(PostgresDatabases databases) : SettingsTests(databases);

/// <summary>Secrets entered in the UI are stored encrypted; a team's protected attributes reach training.</summary>
public abstract class SettingsTests(IDatabaseProvider databases)
{
    private const string Plaintext = "sk-test-7f3a9c2e-DO-NOT-LEAK";
    private readonly IDataProtectionProvider _protection = new EphemeralDataProtectionProvider();
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private SecretStore Store(GrowthBrainDb db, TestDatabase database) => new(db, _protection, new AuditLog(database.Clock), database.Clock);

    [Fact]
    public async Task A_stored_secret_reads_back_but_the_database_holds_only_ciphertext()
    {
        await using var database = await databases.CreateAsync(Ct);
        await using (var db = database.NewContext())
            await Store(db, database).SetAsync(SecretKind.LlmApiKey, Plaintext, "admin@team.example", Ct);

        await using (var db = database.NewContext())
        {
            var store = Store(db, database);
            (await store.GetAsync(SecretKind.LlmApiKey, Ct)).ShouldBe(Plaintext);
            (await store.HasAsync(SecretKind.LlmApiKey, Ct)).ShouldBeTrue();
            (await store.HasAsync(SecretKind.SmtpPassword, Ct)).ShouldBeFalse();
            (await store.GetAsync(SecretKind.SmtpPassword, Ct)).ShouldBeNull();
            var status = (await store.StatusAsync(Ct)).Single(s => s.Kind == SecretKind.LlmApiKey);
            (status.IsSet, status.UpdatedBy).ShouldBe((true, "admin@team.example"));

            var raw = await db.Database.SqlQueryRaw<string>("SELECT protected_value AS \"Value\" FROM stored_secrets").ToListAsync(Ct);
            raw.ShouldHaveSingleItem().ShouldNotContain(Plaintext);
            raw[0].ShouldNotContain("DO-NOT-LEAK");
            // The audit log says that a secret changed, never what it is.
            var audit = await db.AuditEntries.AsNoTracking().Where(a => a.Action.StartsWith("secret.")).ToListAsync(Ct);
            audit.ShouldHaveSingleItem().SubjectId.ShouldBe("LlmApiKey");
            audit.ShouldAllBe(a => a.Detail == null || !a.Detail.Contains(Plaintext));
        }
    }

    [Fact]
    public async Task A_value_protected_for_one_kind_cannot_be_read_as_another()
    {
        await using var database = await databases.CreateAsync(Ct);
        await using var db = database.NewContext();
        var store = Store(db, database);
        await store.SetAsync(SecretKind.SmtpPassword, "smtp-pass", "admin@team.example", Ct);
        // Someone with database access swaps the kind of the row: the purpose no longer matches.
        var row = await db.StoredSecrets.SingleAsync(Ct);
        row.Kind = SecretKind.LlmApiKey;
        await db.SaveChangesAsync(Ct);

        await Should.ThrowAsync<System.Security.Cryptography.CryptographicException>(() => store.GetAsync(SecretKind.LlmApiKey, Ct));
    }

    [Fact]
    public async Task Setting_a_secret_again_replaces_it_and_an_empty_value_removes_it()
    {
        await using var database = await databases.CreateAsync(Ct);
        await using var db = database.NewContext();
        var store = Store(db, database);
        await store.SetAsync(SecretKind.SmtpPassword, "first", "a@team.example", Ct);
        await store.SetAsync(SecretKind.SmtpPassword, "second", "b@team.example", Ct);
        (await store.GetAsync(SecretKind.SmtpPassword, Ct)).ShouldBe("second");
        (await db.StoredSecrets.CountAsync(Ct)).ShouldBe(1);

        await store.SetAsync(SecretKind.SmtpPassword, "", "b@team.example", Ct);
        (await store.HasAsync(SecretKind.SmtpPassword, Ct)).ShouldBeFalse();
        await Should.ThrowAsync<ArgumentException>(() => store.SetAsync(SecretKind.SmtpPassword, new string('x', SecretStore.MaxLength + 1), "b@team.example", Ct));
    }

    [Fact]
    public async Task A_team_without_its_own_list_uses_the_built_in_protected_attributes()
    {
        await using var database = await databases.CreateAsync(Ct);
        await using var db = database.NewContext();
        var team = await db.Teams.Select(t => t.Id).FirstAsync(Ct);
        var view = await new ProtectedAttributeSettingsHandler(db, new AuditLog(database.Clock), database.Clock).HandleAsync(new GetProtectedAttributes(team), Ct);
        view.IsDefault.ShouldBeTrue();
        view.Attributes.ShouldBe(ProtectedAttributes.Default);
        (await ProtectedAttributeSettingsHandler.ForTrainingAsync(db, team, Ct)).ShouldBe(ProtectedAttributes.Default);
    }

    [Fact]
    public async Task A_teams_own_list_is_stored_cleaned_and_used_for_training_until_it_is_cleared()
    {
        await using var database = await databases.CreateAsync(Ct);
        await using var db = database.NewContext();
        var team = await db.Teams.Select(t => t.Id).FirstAsync(Ct);
        var handler = new ProtectedAttributeSettingsHandler(db, new AuditLog(database.Clock), database.Clock);

        var saved = await handler.HandleAsync(new SetProtectedAttributes(team, ["gender", " Heritage ", "", "heritage", "Age"], "admin@team.example"), Ct);

        saved.IsDefault.ShouldBeFalse();
        saved.Attributes.ShouldBe(["gender", "Heritage", "Age"]);
        (await ProtectedAttributeSettingsHandler.ForTrainingAsync(db, team, Ct)).ShouldBe(["gender", "Heritage", "Age"]);
        (await db.AuditEntries.AnyAsync(a => a.Action == "settings.protected-attributes" && a.TeamId == team, Ct)).ShouldBeTrue();

        var cleared = await handler.HandleAsync(new SetProtectedAttributes(team, [], "admin@team.example"), Ct);
        cleared.IsDefault.ShouldBeTrue();
        (await ProtectedAttributeSettingsHandler.ForTrainingAsync(db, team, Ct)).ShouldBe(ProtectedAttributes.Default);
    }

    [Fact]
    public async Task Protected_attributes_of_a_team_the_caller_cannot_see_are_not_found_and_bad_lists_are_refused()
    {
        await using var database = await databases.CreateAsync(Ct);
        await using var db = database.NewContext();
        var team = await db.Teams.Select(t => t.Id).FirstAsync(Ct);
        var handler = new ProtectedAttributeSettingsHandler(db, new AuditLog(database.Clock), database.Clock);

        await Should.ThrowAsync<TeamNotFoundException>(() => handler.HandleAsync(new SetProtectedAttributes(team + 1000, ["x"], "a@team.example"), Ct));
        (await Should.ThrowAsync<ArgumentException>(() => handler.HandleAsync(new SetProtectedAttributes(team, [new string('h', 101)], "a@team.example"), Ct)))
            .Message.ShouldContain("at most 100 characters");
        (await Should.ThrowAsync<ArgumentException>(() => handler.HandleAsync(
            new SetProtectedAttributes(team, Enumerable.Range(0, 201).Select(i => $"c{i}").ToList(), "a@team.example"), Ct))).Message.ShouldContain("200");
    }

    [Fact]
    public async Task Training_leaves_out_the_columns_on_the_teams_own_protected_list()
    {
        await using var database = await databases.CreateAsync(Ct);
        long team;
        await using (var db = database.NewContext())
        {
            await new SeedSyntheticCrmHandler(db, database.Clock).HandleAsync(new SeedSyntheticCrm(1_500, Seed: 5), null, Ct);
            team = await db.Teams.Select(t => t.Id).FirstAsync(Ct);
            await new ProtectedAttributeSettingsHandler(db, new AuditLog(database.Clock), database.Clock)
                .HandleAsync(new SetProtectedAttributes(team, [.. ProtectedAttributes.Default, "Industry"], "admin@team.example"), Ct);
        }

        TrainModelResult result;
        await using (var db = database.NewContext())
            result = await new TrainModelHandler(db, new ActiveModels(), database.Clock)
                .HandleAsync(new TrainModel(TeamId: team, RequestedBy: "test", Budget: TimeSpan.FromSeconds(2)), null, Ct);

        result.Training.Excluded.Where(e => e.Reason.Contains("protected")).Select(e => e.Name).ShouldContain("Industry");
        await using (var db = database.NewContext())
        {
            var schema = await db.ModelVersions.AsNoTracking().Select(m => m.FeatureSchema).SingleAsync(Ct);
            using var json = System.Text.Json.JsonDocument.Parse(schema);
            json.RootElement.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ShouldNotContain("Industry");
        }
    }
}
