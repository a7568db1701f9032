using System.IO.Compression;
using System.Text.Json;
using GrowthBrain.Audit;
using GrowthBrain.Data;
using GrowthBrain.Insights;
using GrowthBrain.Leads;
using GrowthBrain.Leads.Import;
using GrowthBrain.Privacy;
using GrowthBrain.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace GrowthBrain.Tests.Privacy;

public sealed class PrivacyTestsOnSqlite(SqliteDatabases databases) : PrivacyTests(databases);

public sealed class PrivacyTestsOnPostgres(PostgresDatabases databases) : PrivacyTests(databases);

/// <summary>Data-subject export and erasure, and imports after an erasure, on each provider.</summary>
public abstract class PrivacyTests(IDatabaseProvider databases) : IDisposable
{
    private readonly TempFiles _files = new();
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _files.Dispose();

    private async Task<(TestDatabase Database, PrivacyPerson Person)> ArrangeAsync()
    {
        var database = await databases.CreateAsync(Ct);
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            // As `db migrate` leaves a real installation: WAL, whose file holds old page images too.
            await using var db = database.NewContext();
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", Ct);
        }
        var person = new PrivacyPerson();
        await person.ArrangeAsync(database, _files, Ct);
        return (database, person);
    }

    private async Task<PersonalDataExport> ExportAsync(TestDatabase database, string email)
    {
        await using var db = database.NewContext();
        return await new ExportPersonalDataHandler(db, new AuditLog(database.Clock), database.Clock).HandleAsync(new ExportPersonalData(email, "dpo@team-a.example"), Ct);
    }

    private async Task<ErasureResult> EraseAsync(TestDatabase database, string email)
    {
        await using var db = database.NewContext();
        var audit = new AuditLog(database.Clock);
        return await new ErasePersonHandler(db, new SuppressionList(database.Clock), audit,
            new PropagateCrmErasuresHandler(db, [], audit, database.Clock), database.Clock).HandleAsync(new ErasePerson(email, "dpo@team-a.example"), Ct);
    }

    private async Task<Overview> OverviewAsync(TestDatabase database, long teamId)
    {
        await using var db = database.NewContext();
        return await new GetOverviewHandler(db, database.Clock).HandleAsync(new GetOverview(teamId), Ct);
    }

    [Fact]
    public async Task Export_holds_everything_about_the_person_in_every_team()
    {
        var (database, person) = await ArrangeAsync();
        await using var _ = database;

        var export = await ExportAsync(database, "  " + PrivacyPerson.Email.ToUpperInvariant() + " ");

        export.Email.ShouldBe(PrivacyPerson.Email.ToLowerInvariant());
        export.Leads.Select(l => l.TeamId).ShouldBe([person.TeamA, person.TeamB]);
        var a = export.Leads[0];
        a.Id.ShouldBe(person.LeadA);
        (a.FirstName, a.LastName, a.Phone, a.JobTitle, a.City).ShouldBe((PrivacyPerson.FirstName, PrivacyPerson.LastName, PrivacyPerson.Phone, "Chief Revenue Officer", "Zwickau"));
        a.Team.ShouldBe(MigrateDatabaseHandler.DefaultTeamName);
        a.Notes!.ShouldContain(PrivacyPerson.NotesMarker);
        a.CustomFields["Favourite colour"].ShouldBe(PrivacyPerson.CustomValue);
        (a.ConsentStatus, a.LawfulBasis, a.ConsentAt, a.ConsentSource).ShouldBe(("Granted", "Consent", new DateTime(2026, 6, 5, 0, 0, 0, DateTimeKind.Utc), "import"));
        a.Activities.Select(x => x.Type).ShouldBe(["Call", "Meeting"]);
        a.Activities[0].Subject!.ShouldContain(PrivacyPerson.Phone);
        a.Scores.Select(s => (s.Probability, s.Grade, s.ModelVersion, s.ModelKind)).ShouldBe([(0.61, "B", (int?)7, "LightGbm"), (0.83, "A", (int?)7, "LightGbm")]);
        a.CrmLinks.Select(c => (c.Crm, c.RecordKind, c.ExternalId)).ShouldBe([("hubspot", "lead", "hs-991"), ("hubspot", "activity", "hs-call-77")], ignoreOrder: true);
        export.Leads[1].Activities.Single().Subject!.ShouldContain(PrivacyPerson.Email);
        export.Leads[1].CrmLinks.Single().Crm.ShouldBe("csv");
        export.Suppressions.ShouldBeEmpty();
        export.AuditEntries.Select(e => e.Action).ShouldBe(["lead.note", "draft.approved", "lead.scored"]);

        await using var db = database.NewContext();
        var logged = await db.AuditEntries.Where(e => e.Action == "privacy.exported").OrderBy(e => e.TeamId).ToListAsync(Ct);
        logged.Select(e => e.TeamId).ShouldBe([person.TeamA, person.TeamB]);
        logged.ShouldAllBe(e => e.SubjectId == Suppression.HashEmail(PrivacyPerson.Email) && e.Actor == "dpo@team-a.example");
        logged.ShouldAllBe(e => !e.Detail!.Contains('@'));
    }

    [Fact]
    public async Task Export_as_csv_has_one_file_per_table_and_neutralises_formulas()
    {
        var (database, person) = await ArrangeAsync();
        await using var _ = database;
        var export = await ExportAsync(database, PrivacyPerson.Email);

        using var zipBytes = new MemoryStream();
        await PersonalDataFiles.WriteZipAsync(export, zipBytes, Ct);
        zipBytes.Position = 0;
        using var zip = new ZipArchive(zipBytes, ZipArchiveMode.Read);

        zip.Entries.Select(e => e.FullName).ShouldBe(["leads.csv", "custom_fields.csv", "activities.csv", "lead_scores.csv", "crm_links.csv",
            "suppressions.csv", "audit_entries.csv", "pending_crm_erasures.csv"]);
        string Read(string name)
        {
            using var reader = new StreamReader(zip.GetEntry(name)!.Open());
            return reader.ReadToEnd();
        }
        var leads = Read("leads.csv").Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\n')).ToArray();
        leads.Length.ShouldBe(3, string.Join("\n", leads));
        leads[1].ShouldStartWith($"{person.LeadA},{person.TeamA},My team,hs-991,{PrivacyPerson.FirstName},{PrivacyPerson.LastName}");
        var custom = Read("custom_fields.csv");
        custom.ShouldContain($"{person.LeadA},Favourite colour,{PrivacyPerson.CustomValue}");
        // The cell would be a live formula in Excel; it is exported as text.
        custom.ShouldContain("\"'=HYPERLINK(");
        custom.ShouldNotContain(",=HYPERLINK");
        custom.ShouldNotContain("\"=HYPERLINK");
        Read("lead_scores.csv").ShouldContain(",0.83,A,activity,7,LightGbm");
        Read("activities.csv").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(4);
    }

    [Fact]
    public async Task Export_of_an_address_nobody_holds_is_empty_and_still_audited()
    {
        var (database, _) = await ArrangeAsync();
        await using var __ = database;

        var export = await ExportAsync(database, "nobody@nowhere.example");

        export.NothingHeld.ShouldBeTrue();
        await using var db = database.NewContext();
        (await db.AuditEntries.CountAsync(e => e.Action == "privacy.exported" && e.TeamId == null, Ct)).ShouldBe(1);
    }

    [Theory]
    [InlineData("not-an-address")]
    [InlineData("")]
    [InlineData("a@b")]
    public async Task Malformed_addresses_are_refused_before_anything_is_touched(string email)
    {
        await using var database = await databases.CreateAsync(Ct);

        (await Should.ThrowAsync<ArgumentException>(() => EraseAsync(database, email))).Message.ShouldContain("e-mail address");
        (await Should.ThrowAsync<ArgumentException>(() => ExportAsync(database, email))).Message.ShouldContain("e-mail address");
        await using var db = database.NewContext();
        (await db.Suppressions.CountAsync(Ct)).ShouldBe(0);
        (await db.AuditEntries.CountAsync(Ct)).ShouldBe(0);
    }

    [Fact]
    public async Task Erasure_removes_the_person_and_keeps_the_aggregates()
    {
        var (database, person) = await ArrangeAsync();
        await using var _ = database;
        var kpisBefore = await OverviewAsync(database, person.TeamA);
        List<Lead> before;
        await using (var db = database.NewContext()) before = await db.Leads.AsNoTracking().OrderBy(l => l.Id).ToListAsync(Ct);

        var erased = await EraseAsync(database, PrivacyPerson.Email);

        erased.NothingHeld.ShouldBeFalse();
        erased.Leads.ShouldBe(2);
        erased.TeamIds.ShouldBe([person.TeamA, person.TeamB]);
        erased.Activities.ShouldBe(3);
        erased.NewlySuppressed.ShouldBeTrue();
        erased.StorageScrubbed.ShouldBeTrue();
        erased.SourceRecordIds.ShouldBe(["hs-991"]);
        // HubSpot is not connected here: the erasure there is pending and says so, never reported as done.
        erased.PendingCrmErasures.Select(p => (p.Crm, p.RecordKind, p.ExternalId)).ShouldBe([("hubspot", "lead", "hs-991"), ("hubspot", "activity", "hs-call-77")]);
        erased.PendingCrmErasures.ShouldAllBe(p => p.Status!.Contains("hubspot is not connected"));

        await using var check = database.NewContext();
        var after = await check.Leads.AsNoTracking().OrderBy(l => l.Id).ToListAsync(Ct);
        after.Count.ShouldBe(before.Count);
        foreach (var id in new[] { person.LeadA, person.LeadB })
        {
            var was = before.Single(l => l.Id == id);
            var now = after.Single(l => l.Id == id);
            new[] { now.FirstName, now.LastName, now.Email, now.EmailNormalized, now.NameKey, now.Phone, now.Company, now.JobTitle, now.City, now.Notes, now.ExternalId }
                .ShouldAllBe(v => v == null);
            now.CustomFields.ShouldBe("{}");
            now.AnonymisedAt.ShouldNotBeNull();
            (now.Outcome, now.CreatedAt, now.ClosedAt, now.Source, now.Campaign, now.Stage, now.Status, now.TeamId)
                .ShouldBe((was.Outcome, was.CreatedAt, was.ClosedAt, was.Source, was.Campaign, was.Stage, was.Status, was.TeamId));
        }
        after.Where(l => l.Id != person.LeadA && l.Id != person.LeadB).ToList().ShouldBeEquivalentTo(before.Where(l => l.Id != person.LeadA && l.Id != person.LeadB).ToList());
        var kpisAfter = await OverviewAsync(database, person.TeamA);
        JsonSerializer.Serialize(new { kpisAfter.Conversion, kpisAfter.SalesCycle, kpisAfter.Monthly, kpisAfter.Funnel })
            .ShouldBe(JsonSerializer.Serialize(new { kpisBefore.Conversion, kpisBefore.SalesCycle, kpisBefore.Monthly, kpisBefore.Funnel }));
        kpisAfter.Monthly.Sum(m => m.Won + m.Lost).ShouldBe(2, "the comparison above must cover the erased lead");

        (await check.Activities.Where(a => a.LeadId == person.LeadA || a.LeadId == person.LeadB).Select(a => a.Subject).ToListAsync(Ct)).ShouldBe([null, null, null]);
        (await check.LeadScores.CountAsync(s => s.LeadId == person.LeadA, Ct)).ShouldBe(2);
        (await check.CrmLinks.CountAsync(Ct)).ShouldBe(0);
        var suppression = await check.Suppressions.SingleAsync(Ct);
        (suppression.Reason, suppression.TeamId, suppression.EmailHash).ShouldBe((SuppressionReason.Erased, (long?)null, Suppression.HashEmail(PrivacyPerson.Email)));

        var audit = await check.AuditEntries.OrderBy(e => e.Id).ToListAsync(Ct);
        audit.Single(e => e.Action == "lead.note").Detail.ShouldBe("Called [erased] on [erased]; scored 83%");
        audit.Single(e => e.Action == "draft.approved").Detail.ShouldBe("Follow-up to [erased] approved");
        audit.Single(e => e.Action == "lead.scored").Detail.ShouldBe("grade A, 0.83 by model v7");
        var entry = audit.Single(e => e.Action == "privacy.erased");
        (entry.SubjectKind, entry.SubjectId, entry.Actor, entry.TeamId).ShouldBe(("person", erased.EmailHash, "dpo@team-a.example", (long?)null));
        entry.Detail!.ShouldContain("2 lead(s) anonymised");

        var export = await ExportAsync(database, PrivacyPerson.Email);
        export.Leads.ShouldBeEmpty();
        export.Suppressions.Single().Reason.ShouldBe("Erased");
    }

    [Fact]
    public async Task After_erasure_no_trace_of_the_person_is_left_in_the_database_storage()
    {
        var (database, _) = await ArrangeAsync();
        await using var __ = database;
        // The check can fail: before the erasure every trace is there.
        if (database.Provider == DatabaseProvider.Sqlite) PrivacyPerson.TracesInSqliteFiles(database).ShouldBe(PrivacyPerson.Traces);
        else (await PrivacyPerson.TracesInPostgresAsync(database, Ct)).ShouldNotBeEmpty();

        await EraseAsync(database, PrivacyPerson.Email);

        if (database.Provider == DatabaseProvider.Sqlite)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            PrivacyPerson.TracesInSqliteFiles(database).ShouldBeEmpty();
            var wal = database.Factory.Settings.SqliteFile + "-wal";
            (File.Exists(wal) ? new FileInfo(wal).Length : 0).ShouldBe(0);
        }
        else
        {
            (await PrivacyPerson.TracesInPostgresAsync(database, Ct)).ShouldBeEmpty();
            await using var db = database.NewContext();
            foreach (var table in new[] { "leads", "activities", "crm_links", "audit_entries" })
            {
                (await db.Database.SqlQueryRaw<DateTime?>(
                    "SELECT last_vacuum AS \"Value\" FROM pg_stat_user_tables WHERE relname = {0}", table).SingleAsync(Ct)).ShouldNotBeNull($"VACUUM {table}");
            }
        }
        // The other leads are untouched.
        await using var check = database.NewContext();
        (await check.Leads.CountAsync(l => l.EmailNormalized == PrivacyPerson.OtherEmail, Ct)).ShouldBe(2);
    }

    [Fact]
    public async Task Erasing_twice_is_harmless_and_an_unknown_address_is_blocked_all_the_same()
    {
        var (database, _) = await ArrangeAsync();
        await using var __ = database;

        await EraseAsync(database, PrivacyPerson.Email);
        var again = await EraseAsync(database, PrivacyPerson.Email.ToUpperInvariant());
        var unknown = await EraseAsync(database, "never.held@nowhere.example");

        (again.NothingHeld, again.Leads, again.NewlySuppressed).ShouldBe((true, 0, false));
        again.StorageScrubbed.ShouldBeTrue();
        (unknown.NothingHeld, unknown.NewlySuppressed).ShouldBe((true, true));
        await using var db = database.NewContext();
        (await db.Suppressions.CountAsync(s => s.Reason == SuppressionReason.Erased, Ct)).ShouldBe(2);
        (await db.AuditEntries.CountAsync(e => e.Action == "privacy.erased", Ct)).ShouldBe(3);
        (await db.PendingCrmErasures.CountAsync(Ct)).ShouldBe(2);
    }

    [Fact]
    public async Task An_import_does_not_bring_an_erased_person_back()
    {
        var (database, person) = await ArrangeAsync();
        await using var _ = database;
        await EraseAsync(database, PrivacyPerson.Email);
        int leadsBefore;
        await using (var db = database.NewContext()) leadsBefore = await db.Leads.CountAsync(Ct);

        var rejects = _files.PathOf("again.rejects.csv");
        var summary = await PrivacyPerson.ImportAsync(database, _files.Write("again.csv", PrivacyPerson.Csv("Founder")), person.TeamA, Ct, rejects);

        summary.Rejected.ShouldBe(1);
        summary.FirstRejects.Single().Reason.ShouldBe(ImportLeadsHandler.ErasedReason);
        summary.FirstRejects.Single().RowNumber.ShouldBe(1);
        (summary.Imported, summary.Updated, summary.Unchanged).ShouldBe((0, 0, 2));
        await using var check = database.NewContext();
        (await check.Leads.CountAsync(Ct)).ShouldBe(leadsBefore);
        (await check.Leads.CountAsync(l => l.FirstName == PrivacyPerson.FirstName, Ct)).ShouldBe(0);
        // The rejects file says why without becoming a copy of the person.
        var text = await File.ReadAllTextAsync(rejects, Ct);
        text.ShouldContain(ImportLeadsHandler.ErasedReason);
        PrivacyPerson.Traces.ShouldAllBe(t => !text.Contains(t, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task An_initial_load_into_an_empty_database_also_rejects_an_erased_person()
    {
        await using var database = await databases.CreateAsync(Ct);
        await EraseAsync(database, PrivacyPerson.Email);
        long team;
        await using (var db = database.NewContext()) team = await db.Teams.Select(t => t.Id).FirstAsync(Ct);

        var summary = await PrivacyPerson.ImportAsync(database, _files.Write("first.csv", PrivacyPerson.Csv("CEO")), team, Ct, initialLoadFromBytes: 0);

        (summary.Imported, summary.Rejected).ShouldBe((2, 1));
        summary.FirstRejects.Single().Reason.ShouldBe(ImportLeadsHandler.ErasedReason);
        await using var check = database.NewContext();
        (await check.Leads.CountAsync(l => l.EmailNormalized == PrivacyPerson.Email.ToLowerInvariant(), Ct)).ShouldBe(0);
    }

    [Fact]
    public async Task Unsubscribed_addresses_are_still_imported()
    {
        await using var database = await databases.CreateAsync(Ct);
        long team;
        await using (var db = database.NewContext())
        {
            team = await db.Teams.Select(t => t.Id).FirstAsync(Ct);
            await new SuppressionList(database.Clock).AddAsync(db, team, PrivacyPerson.Email, SuppressionReason.Unsubscribed, "test", Ct);
        }

        var summary = await PrivacyPerson.ImportAsync(database, _files.Write("first.csv", PrivacyPerson.Csv("CEO")), team, Ct);

        (summary.Imported, summary.Rejected).ShouldBe((3, 0));
    }
}
