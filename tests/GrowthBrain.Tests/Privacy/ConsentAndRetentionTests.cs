using GrowthBrain.Audit;
using GrowthBrain.Data;
using GrowthBrain.Leads;
using GrowthBrain.Leads.Import;
using GrowthBrain.Privacy;
using GrowthBrain.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GrowthBrain.Tests.Privacy;

public sealed class ConsentAndRetentionTestsOnSqlite(SqliteDatabases databases) : ConsentAndRetentionTests(databases);

public sealed class ConsentAndRetentionTestsOnPostgres(PostgresDatabases databases) : ConsentAndRetentionTests(databases);

/// <summary>Consent from imports and from people, and the retention policy, on each provider.</summary>
public abstract class ConsentAndRetentionTests(IDatabaseProvider databases) : IDisposable
{
    private readonly TempFiles _files = new();
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _files.Dispose();

    private async Task<long> TeamAsync(TestDatabase database)
    {
        await using var db = database.NewContext();
        return await db.Teams.Select(t => t.Id).FirstAsync(Ct);
    }

    private async Task<Lead> LeadAsync(TestDatabase database, string email)
    {
        await using var db = database.NewContext();
        return await db.Leads.AsNoTracking().SingleAsync(l => l.EmailNormalized == email, Ct);
    }

    [Fact]
    public async Task Consent_and_lawful_basis_columns_are_imported_and_bad_values_rejected()
    {
        await using var database = await databases.CreateAsync(Ct);
        var team = await TeamAsync(database);
        var csv = _files.Write("consent.csv", """
            Email,First Name,Marketing consent,Legal basis for processing,GDPR consent date
            a@consent.example,Ann,Opted in,Freely given consent from contact,2026-03-01
            b@consent.example,Ben,no,Legitimate interest – prospect/lead,
            c@consent.example,Cai,,Performance of a contract,
            d@consent.example,Dee,perhaps,Consent,
            """);

        var summary = await PrivacyPerson.ImportAsync(database, csv, team, Ct);

        summary.Imported.ShouldBe(3);
        summary.FirstRejects.Single().Reason.ShouldBe("'Marketing consent' is 'perhaps'; use yes or no (or granted/withdrawn, opted in/opted out)");
        summary.Columns.Select(c => c.Field).ShouldBe([LeadField.Email, LeadField.FirstName, LeadField.Consent, LeadField.LawfulBasis, LeadField.ConsentAt]);
        var a = await LeadAsync(database, "a@consent.example");
        (a.ConsentStatus, a.LawfulBasis, a.ConsentAt, a.ConsentSource).ShouldBe((ConsentStatus.Granted, LawfulBasis.Consent, new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc), "import"));
        var b = await LeadAsync(database, "b@consent.example");
        (b.ConsentStatus, b.LawfulBasis, b.ConsentAt).ShouldBe((ConsentStatus.Withdrawn, LawfulBasis.LegitimateInterest, (DateTime?)null));
        var c = await LeadAsync(database, "c@consent.example");
        (c.ConsentStatus, c.LawfulBasis).ShouldBe((ConsentStatus.Unknown, LawfulBasis.Contract));
        (await LeadAsync(database, "a@consent.example")).CustomFields.ShouldBe("{}");
    }

    [Fact]
    public async Task A_file_without_consent_columns_leaves_recorded_consent_alone()
    {
        await using var database = await databases.CreateAsync(Ct);
        var team = await TeamAsync(database);
        await PrivacyPerson.ImportAsync(database, _files.Write("one.csv", "Email,First Name\na@consent.example,Ann\n"), team, Ct);
        var lead = await LeadAsync(database, "a@consent.example");
        await using (var db = database.NewContext())
            await new RecordConsentHandler(db, new AuditLog(database.Clock), database.Clock)
                .HandleAsync(new RecordConsent(lead.Id, ConsentStatus.Granted, LawfulBasis.Consent, "web form", "rep@team.example"), Ct);

        await PrivacyPerson.ImportAsync(database, _files.Write("two.csv", "Email,First Name\na@consent.example,Anne\n"), team, Ct);

        var after = await LeadAsync(database, "a@consent.example");
        (after.FirstName, after.ConsentStatus, after.LawfulBasis, after.ConsentSource).ShouldBe(("Anne", ConsentStatus.Granted, LawfulBasis.Consent, "web form"));
    }

    [Fact]
    public async Task Recording_consent_is_audited_and_withdrawal_ends_consent_as_the_basis()
    {
        await using var database = await databases.CreateAsync(Ct);
        var team = await TeamAsync(database);
        await PrivacyPerson.ImportAsync(database, _files.Write("one.csv", "Email,First Name\na@consent.example,Ann\n"), team, Ct);
        var lead = await LeadAsync(database, "a@consent.example");
        async Task<Lead?> RecordAsync(RecordConsent request)
        {
            await using var db = database.NewContext();
            return await new RecordConsentHandler(db, new AuditLog(database.Clock), database.Clock).HandleAsync(request, Ct);
        }

        var granted = await RecordAsync(new RecordConsent(lead.Id, ConsentStatus.Granted, LawfulBasis.Consent, "web form", "rep@team.example",
            new DateTime(2026, 11, 1, 12, 0, 0, DateTimeKind.Utc)));
        var withdrawn = await RecordAsync(new RecordConsent(lead.Id, ConsentStatus.Withdrawn, null, "e-mail reply", "rep@team.example"));

        (granted!.ConsentStatus, granted.LawfulBasis, granted.ConsentAt).ShouldBe((ConsentStatus.Granted, LawfulBasis.Consent, new DateTime(2026, 11, 1, 12, 0, 0, DateTimeKind.Utc)));
        (withdrawn!.ConsentStatus, withdrawn.LawfulBasis, withdrawn.ConsentSource, withdrawn.ConsentAt).ShouldBe(
            (ConsentStatus.Withdrawn, LawfulBasis.Unknown, "e-mail reply", database.Clock.GetUtcNow().UtcDateTime));
        await using (var db = database.NewContext())
        {
            var audit = await db.AuditEntries.Where(e => e.Action == "lead.consent-recorded").OrderBy(e => e.Id).ToListAsync(Ct);
            audit.Select(e => e.Detail).ShouldBe(["Unknown/Unknown -> Granted/Consent (web form)", "Granted/Consent -> Withdrawn/Unknown (e-mail reply)"]);
            audit.ShouldAllBe(e => e.SubjectKind == "lead" && e.SubjectId == lead.Id.ToString() && e.Actor == "rep@team.example" && e.TeamId == team);
        }
        (await RecordAsync(new RecordConsent(999_999, ConsentStatus.Granted, null, "web form", "x"))).ShouldBeNull();
        (await Should.ThrowAsync<ArgumentException>(() => RecordAsync(new RecordConsent(lead.Id, ConsentStatus.Unknown, null, "web form", "x")))).Message.ShouldContain("Granted or Withdrawn");
        (await Should.ThrowAsync<ArgumentException>(() => RecordAsync(new RecordConsent(lead.Id, ConsentStatus.Granted, null, " ", "x")))).Message.ShouldContain("source");
        (await Should.ThrowAsync<ArgumentException>(() => RecordAsync(new RecordConsent(lead.Id, (ConsentStatus)9, null, "web", "x")))).Message.ShouldContain("Granted or Withdrawn");
    }

    private async Task<RetentionResult> RetainAsync(TestDatabase database, int? days, bool dryRun)
    {
        await using var db = database.NewContext();
        return await new ApplyRetentionHandler(db, Options.Create(new PrivacyOptions { RetentionDays = days?.ToString(System.Globalization.CultureInfo.InvariantCulture) }), new AuditLog(database.Clock), database.Clock)
            .HandleAsync(new ApplyRetention(dryRun, "scheduler"), Ct);
    }

    private async Task<long> RetentionLeadsAsync(TestDatabase database)
    {
        var team = await TeamAsync(database);
        // Today is 2026-11-30: with 365 days, "old" leads closed before 2025-11-30 go.
        await PrivacyPerson.ImportAsync(database, _files.Write("history.csv", """
            Email,First Name,Last Name,Phone,Lead Status,Create Date,Close Date,Source,Campaign
            old.won@keep.example,Olga,Oldwon,+1 555 0101,Closed Won,2024-01-10,2024-05-01,Referral,c1
            old.lost@keep.example,Otto,Oldlost,+1 555 0102,Closed Lost,2024-02-10,2025-06-01,Referral,c1
            new.won@keep.example,Nina,Newwon,+1 555 0103,Closed Won,2025-10-10,2026-05-01,Referral,c2
            old.open@keep.example,Oscar,Oldopen,+1 555 0104,Open,2023-01-10,,Referral,c2
            """), team, Ct);
        return team;
    }

    [Fact]
    public async Task Retention_anonymises_only_leads_closed_before_the_cutoff_without_suppressing_them()
    {
        await using var database = await databases.CreateAsync(Ct);
        var team = await RetentionLeadsAsync(database);
        await using (var db = database.NewContext())
        {
            var oldWon = await db.Leads.SingleAsync(l => l.EmailNormalized == "old.won@keep.example", Ct);
            db.Activities.Add(new Activity { TeamId = team, LeadId = oldWon.Id, Type = ActivityType.Call, OccurredAt = oldWon.CreatedAt, Subject = "Call with Olga" });
            await db.SaveChangesAsync(Ct);
        }

        var dry = await RetainAsync(database, 365, dryRun: true);
        var done = await RetainAsync(database, 365, dryRun: false);
        var again = await RetainAsync(database, 365, dryRun: false);

        (dry.Enabled, dry.DryRun, dry.Leads, dry.Activities).ShouldBe((true, true, 2, 1));
        (done.Leads, done.Activities, done.StorageScrubbed, done.Cutoff).ShouldBe((2, 1, true, (DateTime?)new DateTime(2025, 11, 30, 9, 0, 0, DateTimeKind.Utc)));
        again.Leads.ShouldBe(0);
        await using var check = database.NewContext();
        var leads = await check.Leads.AsNoTracking().OrderBy(l => l.Id).ToListAsync(Ct);
        leads.Count.ShouldBe(4);
        var anonymised = leads.Where(l => l.AnonymisedAt != null).ToList();
        anonymised.Select(l => (l.Outcome, l.Source, l.Campaign)).ShouldBe([(LeadOutcome.Won, "Referral", "c1"), (LeadOutcome.Lost, "Referral", "c1")]);
        anonymised.ShouldAllBe(l => l.Email == null && l.FirstName == null && l.LastName == null && l.Phone == null && l.EmailNormalized == null);
        leads.Where(l => l.AnonymisedAt == null).Select(l => l.EmailNormalized).ShouldBe(["new.won@keep.example", "old.open@keep.example"]);
        (await check.Activities.SingleAsync(Ct)).Subject.ShouldBeNull();
        (await check.Suppressions.CountAsync(Ct)).ShouldBe(0);
        (await check.PendingCrmErasures.CountAsync(Ct)).ShouldBe(0);
        var audit = await check.AuditEntries.Where(e => e.Action == "privacy.retention-applied").OrderBy(e => e.Id).ToListAsync(Ct);
        audit.Select(e => e.Detail).ShouldBe(["2 lead(s) closed before 2025-11-30 anonymised (retention 365 days)", "nothing closed before 2025-11-30 (retention 365 days)"]);
        audit[0].TeamId.ShouldBe(team);
        audit[0].Actor.ShouldBe("scheduler");

        // Nobody asked to be forgotten: the same person may come back as a new lead.
        var summary = await PrivacyPerson.ImportAsync(database, _files.Write("back.csv", "Email,First Name\nold.won@keep.example,Olga\n"), team, Ct);
        summary.Imported.ShouldBe(1);
    }

    [Fact]
    public async Task Retention_is_off_unless_configured()
    {
        await using var database = await databases.CreateAsync(Ct);
        await RetentionLeadsAsync(database);

        var result = await RetainAsync(database, null, dryRun: false);

        (result.Enabled, result.Leads).ShouldBe((false, 0));
        await using var check = database.NewContext();
        (await check.Leads.CountAsync(l => l.AnonymisedAt != null, Ct)).ShouldBe(0);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("two years")]
    public void A_bad_retention_setting_says_what_to_set(string value)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Privacy:RetentionDays"] = value }).Build();
        using var services = new ServiceCollection().AddGrowthBrainPrivacy(configuration).BuildServiceProvider();

        Should.Throw<OptionsValidationException>(() => services.GetRequiredService<IOptions<PrivacyOptions>>().Value).Message
            .ShouldContain($"Privacy:RetentionDays is '{value}'; set it to a number of days");
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("off", null)]
    [InlineData(" OFF ", null)]
    [InlineData("30", 30)]
    public void Retention_is_off_unless_a_number_of_days_is_set(string? value, int? expected)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Privacy:RetentionDays"] = value }).Build();
        using var services = new ServiceCollection().AddGrowthBrainPrivacy(configuration).BuildServiceProvider();

        services.GetRequiredService<IOptions<PrivacyOptions>>().Value.AnonymiseAfterDays.ShouldBe(expected);
    }
}
