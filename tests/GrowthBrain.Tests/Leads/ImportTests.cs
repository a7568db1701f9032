using System.Text.Json;
using GrowthBrain.Accounts;
using GrowthBrain.Audit;
using GrowthBrain.Data;
using GrowthBrain.Leads;
using GrowthBrain.Leads.Import;
using GrowthBrain.Synthetic;
using GrowthBrain.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace GrowthBrain.Tests.Leads;

public sealed class ImportTestsOnSqlite(SqliteDatabases databases) : ImportTests(databases);

public sealed class ImportTestsOnPostgres(PostgresDatabases databases) : ImportTests(databases);

/// <summary>CRM exports as the CRMs write them, imported into a real database of each provider.</summary>
public abstract class ImportTests(IDatabaseProvider databases) : IDisposable
{
    private readonly TempFiles _files = new();
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _files.Dispose();

    private async Task<ImportSummary> ImportAsync(TestDatabase database, string path, string? mapping = null, string? rejects = null)
    {
        await using var db = database.NewContext();
        return await new ImportLeadsHandler(db, new AuditLog(database.Clock), TeamScope.System("cli"), database.Clock).HandleAsync(new ImportLeads(path, mapping, rejects), null, Ct);
    }

    private async Task<ImportSummary> InitialLoadAsync(TestDatabase database, string path)
    {
        await using var db = database.NewContext();
        return await new ImportLeadsHandler(db, new AuditLog(database.Clock), TeamScope.System("cli"), database.Clock).HandleAsync(new ImportLeads(path, InitialLoadFromBytes: 0), null, Ct);
    }

    private static async Task<List<string>> LeadIndexesAsync(TestDatabase database)
    {
        await using var db = database.NewContext();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = database.Provider == DatabaseProvider.Postgres
            ? "SELECT indexname FROM pg_indexes WHERE tablename = 'leads' ORDER BY indexname"
            : "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'leads' AND sql IS NOT NULL ORDER BY name";
        var names = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) names.Add(reader.GetString(0));
        return names;
    }

    private async Task<List<Lead>> LeadsAsync(TestDatabase database)
    {
        await using var db = database.NewContext();
        return await db.Leads.AsNoTracking().OrderBy(l => l.Id).ToListAsync(Ct);
    }

    [Fact]
    public async Task An_import_in_a_system_scope_leaves_one_audit_entry_naming_the_file_and_the_counts()
    {
        await using var database = await databases.CreateAsync(Ct);
        var csv = _files.Write("export.csv", "Email,First Name,Create Date\nok@cli.io,Ok,2025-01-01\nbad@cli.io,Bad,31/31/2024\n");

        await ImportAsync(database, csv);

        await using var db = database.NewContext();
        var teamId = await db.Teams.OrderBy(t => t.Id).Select(t => t.Id).FirstAsync(Ct);
        var entry = (await db.AuditEntries.AsNoTracking().Where(a => a.Action == ImportLeadsHandler.AuditAction).ToListAsync(Ct)).ShouldHaveSingleItem();
        (entry.Actor, entry.TeamId, entry.Detail).ShouldBe(("cli", (long?)teamId, "export.csv: 1 imported, 0 updated, 0 unchanged, 1 rejected"));
    }

    [Fact]
    public async Task HubSpot_export_imports_every_row_with_its_fields()
    {
        await using var database = await databases.CreateAsync(Ct);
        var csv = _files.Write("hubspot.csv", """
            Record ID,First Name,Last Name,Email,Phone Number,Company Name,Job Title,Industry,Number of Employees,Annual Revenue,Country/Region,Original Source,Lifecycle Stage,Lead Status,Contact owner,Create Date,Last Activity Date,Became a Customer Date,Number of Sales Activities
            101,Ada,Lovelace,ada@analytical.co.uk,+44 20 7946 0000,Analytical Engines,CTO,Software,51-200,"2,500,000",United Kingdom,Organic Search,customer,Connected,Grace Hopper,2025-01-15 10:30,2025-03-01 09:00,2025-03-20 12:00,14
            102,Alan,Turing,alan@bletchley.org,,Bletchley Park,Researcher,Government,1200,,United Kingdom,Referrals,lead,New,Grace Hopper,2025-02-01 08:00,,,3
            """);

        var summary = await ImportAsync(database, csv);

        summary.ShouldBeEquivalentTo(summary with { Imported = 2, Updated = 0, Unchanged = 0, Rejected = 0, RejectsFile = null });
        var leads = await LeadsAsync(database);
        leads.Count.ShouldBe(2);
        var ada = leads[0];
        ada.ExternalId.ShouldBe("101");
        ada.FirstName.ShouldBe("Ada");
        ada.Email.ShouldBe("ada@analytical.co.uk");
        ada.Company.ShouldBe("Analytical Engines");
        ada.JobTitle.ShouldBe("CTO");
        ada.CompanySize.ShouldBe(126); // midpoint of the 51-200 band
        ada.AnnualRevenue.ShouldBe(2_500_000m);
        ada.Country.ShouldBe("United Kingdom");
        ada.Source.ShouldBe("Organic Search");
        ada.Stage.ShouldBe("customer");
        ada.Owner.ShouldBe("Grace Hopper");
        ada.Outcome.ShouldBe(LeadOutcome.Won);
        ada.CreatedAt.ShouldBe(new DateTime(2025, 1, 15, 10, 30, 0, DateTimeKind.Utc));
        ada.CreatedAt.Kind.ShouldBe(DateTimeKind.Utc);
        ada.ClosedAt.ShouldBe(new DateTime(2025, 3, 20, 12, 0, 0, DateTimeKind.Utc));
        JsonDocument.Parse(ada.CustomFields).RootElement.GetProperty("Number of Sales Activities").GetString().ShouldBe("14");
        var alan = leads[1];
        alan.Outcome.ShouldBe(LeadOutcome.Open);
        alan.Phone.ShouldBeNull();
        alan.CompanySize.ShouldBe(1200);
    }

    [Fact]
    public async Task Salesforce_export_headings_and_statuses_are_recognised()
    {
        await using var database = await databases.CreateAsync(Ct);
        var csv = _files.Write("salesforce.csv", """
            Lead ID,First Name,Last Name,Title,Company,Email,Lead Source,Lead Status,Lead Owner,Create Date,No. of Employees,Annual Revenue,Industry,Country
            00Q5g00000AbCdE,Mary,Jackson,VP Engineering,NASA,mary@nasa.gov,Web,Closed - Converted,Katherine Johnson,03/14/2025,17000,"$25,000,000.00",Aerospace,USA
            00Q5g00000AbCdF,Dorothy,Vaughan,Manager,NACA,dorothy@naca.gov,Partner Referral,Closed - Not Converted,Katherine Johnson,03/15/2025,500,,Aerospace,USA
            00Q5g00000AbCdG,Christine,Darden,Engineer,Langley,christine@langley.gov,Trade Show,Working - Contacted,Katherine Johnson,12/31/2025,50,,Aerospace,USA
            """);

        var summary = await ImportAsync(database, csv);

        summary.Imported.ShouldBe(3);
        var leads = await LeadsAsync(database);
        leads.Select(l => l.Outcome).ShouldBe([LeadOutcome.Won, LeadOutcome.Lost, LeadOutcome.Open]);
        leads[0].JobTitle.ShouldBe("VP Engineering");
        leads[0].Status.ShouldBe("Closed - Converted");
        leads[0].AnnualRevenue.ShouldBe(25_000_000m);
        leads[0].CreatedAt.ShouldBe(new DateTime(2025, 3, 14, 0, 0, 0, DateTimeKind.Utc));
        leads[2].CreatedAt.ShouldBe(new DateTime(2025, 12, 31, 0, 0, 0, DateTimeKind.Utc));
        leads[1].Source.ShouldBe("Partner Referral");
    }

    [Fact]
    public async Task Zoho_export_headings_are_recognised()
    {
        await using var database = await databases.CreateAsync(Ct);
        var csv = _files.Write("zoho.csv", """
            Record Id,First Name,Last Name,Email,Company,Designation,Lead Source,Lead Status,Lead Owner,Created Time,Last Activity Time,Industry,No. of Employees
            zcrm_4876876000000333001,Hedy,Lamarr,hedy@frequency.io,Frequency Hopping Inc,Founder,Advertisement,Lost Lead,Nikola Tesla,2025-05-02 14:11:09,2025-05-20 08:00:00,Telecom,12
            zcrm_4876876000000333002,Emmy,Noether,emmy@rings.de,Rings GmbH,Head of Research,Web Download,Pre-Qualified,Nikola Tesla,2025-06-01 09:00:00,,Education,300
            """);

        (await ImportAsync(database, csv)).Imported.ShouldBe(2);

        var leads = await LeadsAsync(database);
        leads[0].JobTitle.ShouldBe("Founder");
        leads[0].Outcome.ShouldBe(LeadOutcome.Lost);
        leads[0].LastActivityAt.ShouldBe(new DateTime(2025, 5, 20, 8, 0, 0, DateTimeKind.Utc));
        leads[1].Outcome.ShouldBe(LeadOutcome.Open);
        leads[1].ExternalId.ShouldBe("zcrm_4876876000000333002");
    }

    [Fact]
    public async Task Pipedrive_export_with_object_prefixed_headings_is_recognised()
    {
        await using var database = await databases.CreateAsync(Ct);
        var csv = _files.Write("pipedrive.csv", """
            Person - ID,Person - Name,Person - Email - Work,Organization - Name,Person - Job title,Deal - Title,Deal - Value,Deal - Status,Deal - Owner,Deal - Deal created,Deal - Won time,Deal - Lost time
            7001,Katherine Johnson,katherine@orbit.space,Orbit Labs,Chief Mathematician,Orbit Labs deal,12000,won,Rosalind Franklin,2025-04-01 10:00:00,2025-04-28 16:30:00,
            7002,Margaret Hamilton,margaret@apollo.dev,Apollo Software,Director of Software,Apollo deal,8000,lost,Rosalind Franklin,2025-04-03 11:00:00,,2025-05-02 09:15:00
            7003,Radia Perlman,radia@spanning.net,Spanning Tree,Engineer,Spanning deal,,open,Rosalind Franklin,2025-04-05 12:00:00,,
            """);

        (await ImportAsync(database, csv)).Imported.ShouldBe(3);

        var leads = await LeadsAsync(database);
        leads[0].FirstName.ShouldBe("Katherine");
        leads[0].LastName.ShouldBe("Johnson");
        leads[0].Email.ShouldBe("katherine@orbit.space");
        leads[0].Company.ShouldBe("Orbit Labs");
        leads[0].DealValue.ShouldBe(12000m);
        leads[0].Outcome.ShouldBe(LeadOutcome.Won);
        leads[0].ClosedAt.ShouldBe(new DateTime(2025, 4, 28, 16, 30, 0, DateTimeKind.Utc));
        leads[1].Outcome.ShouldBe(LeadOutcome.Lost);
        leads[2].Outcome.ShouldBe(LeadOutcome.Open);
        JsonDocument.Parse(leads[0].CustomFields).RootElement.GetProperty("Deal - Title").GetString().ShouldBe("Orbit Labs deal");
    }

    [Fact]
    public async Task Semicolon_file_with_decimal_commas_imports()
    {
        await using var database = await databases.CreateAsync(Ct);
        var csv = _files.Write("europe.csv", """
            E-Mail;Vorname;Nachname;Firma;Annual Revenue;Create Date
            lena@beispiel.de;Lena;Schmidt;Beispiel AG;1.250.000,50;31.03.2025
            jonas@muster.at;Jonas;Gruber;Muster GmbH;980,5;01.04.2025 14:30
            """);

        var summary = await ImportAsync(database, csv);

        summary.Rejected.ShouldBe(0);
        summary.Imported.ShouldBe(2);
        var leads = await LeadsAsync(database);
        leads[0].AnnualRevenue.ShouldBe(1_250_000.50m);
        leads[1].AnnualRevenue.ShouldBe(980.5m);
        leads[0].CreatedAt.ShouldBe(new DateTime(2025, 3, 31, 0, 0, 0, DateTimeKind.Utc));
        leads[1].CreatedAt.ShouldBe(new DateTime(2025, 4, 1, 14, 30, 0, DateTimeKind.Utc));
        // Headings GrowthBrain doesn't know are kept, not dropped.
        JsonDocument.Parse(leads[0].CustomFields).RootElement.GetProperty("Vorname").GetString().ShouldBe("Lena");
    }

    [Fact]
    public async Task Tab_separated_file_imports()
    {
        await using var database = await databases.CreateAsync(Ct);
        var csv = _files.Write("tabs.tsv", "Email\tFirst Name\tCompany\nkim@tabs.io\tKim\tTabs, Inc.\n");

        (await ImportAsync(database, csv)).Imported.ShouldBe(1);

        (await LeadsAsync(database)).Single().Company.ShouldBe("Tabs, Inc.");
    }

    [Fact]
    public async Task Utf8_with_bom_keeps_names_such_as_Zoë_Ångström()
    {
        await using var database = await databases.CreateAsync(Ct);
        var csv = _files.Write("bom.csv", "First Name,Last Name,Email,Company\nZoë,Ångström,zoe@ångström.se,Øresund Ærø AB\nJosé,Müller-Łukasz,jose@example.com,Café Naïve\n", bom: true);

        var summary = await ImportAsync(database, csv);

        summary.Imported.ShouldBe(2);
        summary.Rejected.ShouldBe(0);
        var leads = await LeadsAsync(database);
        leads[0].FirstName.ShouldBe("Zoë");
        leads[0].LastName.ShouldBe("Ångström");
        leads[0].Email.ShouldBe("zoe@ångström.se"); // internationalised domains are real addresses
        leads[0].Company.ShouldBe("Øresund Ærø AB");
        leads[1].FirstName.ShouldBe("José");
        leads[1].LastName.ShouldBe("Müller-Łukasz");
        leads[1].Company.ShouldBe("Café Naïve");
        // The byte-order mark must not leak into the first heading, or "First Name" would not be recognised.
        leads[0].CustomFields.ShouldBe("{}");
    }

    [Fact]
    public async Task Quoted_notes_with_commas_quotes_and_line_breaks_stay_one_field()
    {
        await using var database = await databases.CreateAsync(Ct);
        var csv = _files.Write("notes.csv",
            "Email,Notes,Company\r\n" +
            "sam@notes.io,\"Called twice, no answer.\r\nAsked for \"\"pricing\"\" next week,\nthen budget.\",Notes Co\r\n" +
            "ray@notes.io,short,Other Co\r\n");

        var summary = await ImportAsync(database, csv);

        summary.Imported.ShouldBe(2);
        summary.Rejected.ShouldBe(0);
        var leads = await LeadsAsync(database);
        leads[0].Notes.ShouldBe("Called twice, no answer.\r\nAsked for \"pricing\" next week,\nthen budget.");
        leads[0].Company.ShouldBe("Notes Co");
        leads[1].Company.ShouldBe("Other Co");
    }

    [Fact]
    public async Task Bad_rows_are_rejected_with_row_number_and_reason_and_good_rows_are_kept()
    {
        await using var database = await databases.CreateAsync(Ct);
        var longCompany = new string('x', 300);
        var csv = _files.Write("dirty.csv", $"""
            Email,First Name,Company,Create Date,Number of Sales Activities
            good1@ok.com,Good,One,2025-01-01,1
            bad-date@ok.com,Bad,Date,31/31/2024,1
            not-an-email,Bad,Email,2025-01-01,1
            negative@ok.com,Bad,Count,2025-01-01,-3
            short@ok.com,Bad
            long@ok.com,Bad,{longCompany},2025-01-01,1
            good2@ok.com,Good,Two,2025-01-02,0
            """);
        var rejectsPath = _files.PathOf("rejects.csv");

        var summary = await ImportAsync(database, csv, rejects: rejectsPath);

        summary.Imported.ShouldBe(2);
        summary.Rejected.ShouldBe(5);
        summary.RejectsFile.ShouldBe(Path.GetFullPath(rejectsPath));
        (await LeadsAsync(database)).Select(l => l.Email).ShouldBe(["good1@ok.com", "good2@ok.com"]);

        var rejects = summary.FirstRejects.ToDictionary(r => r.RowNumber, r => r.Reason);
        rejects.Keys.ShouldBe([2, 3, 4, 5, 6]);
        rejects[2].ShouldContain("'Create Date' is '31/31/2024', not a date");
        rejects[3].ShouldContain("'Email' is 'not-an-email', not an e-mail address");
        rejects[4].ShouldContain("'Number of Sales Activities' is -3; a count can't be negative");
        rejects[5].ShouldContain("has 2 fields but the header has 5");
        rejects[6].ShouldContain("'Company' is 300 characters long; the limit is 256");

        var lines = await File.ReadAllLinesAsync(rejectsPath, Ct);
        lines[0].ShouldBe("row,line,reason,Email,First Name,Company,Create Date,Number of Sales Activities");
        lines.Length.ShouldBe(6);
        lines[1].ShouldStartWith("2,3,");
        lines[1].ShouldContain("bad-date@ok.com");
    }

    [Fact]
    public async Task Reimporting_the_same_file_creates_no_duplicates_and_changes_nothing()
    {
        await using var database = await databases.CreateAsync(Ct);
        var csv = _files.Write("again.csv", """
            Record ID,Email,First Name,Company,Lead Status
            1,a@again.io,Ann,Again Ltd,New
            2,b@again.io,Ben,Again Ltd,Open
            ,c@again.io,Cat,No Id Co,New
            ,,Dan,Phone Only Co,New
            """);

        var first = await ImportAsync(database, csv);
        var before = await LeadsAsync(database);
        database.Clock.Advance(TimeSpan.FromHours(1));
        var second = await ImportAsync(database, csv);

        first.Imported.ShouldBe(4);
        second.Imported.ShouldBe(0);
        second.Updated.ShouldBe(0);
        second.Unchanged.ShouldBe(4);
        var after = await LeadsAsync(database);
        after.Count.ShouldBe(4);
        after.Select(l => l.UpdatedAt).ShouldBe(before.Select(l => l.UpdatedAt));
    }

    [Fact]
    public async Task A_changed_row_updates_its_lead_and_a_partial_export_keeps_fields_it_lacks()
    {
        await using var database = await databases.CreateAsync(Ct);
        var full = _files.Write("full.csv", """
            Email,First Name,Company,Job Title,Lead Status,Favourite Colour
            ann@change.io,Ann,Change Ltd,Analyst,New,Blue
            bob@change.io,Bob,Change Ltd,Engineer,New,Red
            """);
        var partial = _files.Write("partial.csv", """
            Email,Lead Status,Budget
            ANN@change.io,Closed Won,50k
            """);

        await ImportAsync(database, full);
        var summary = await ImportAsync(database, partial);

        summary.Updated.ShouldBe(1);
        summary.Imported.ShouldBe(0);
        var ann = (await LeadsAsync(database)).Single(l => l.EmailNormalized == "ann@change.io");
        ann.Email.ShouldBe("ANN@change.io");
        ann.Status.ShouldBe("Closed Won");
        ann.Outcome.ShouldBe(LeadOutcome.Won);
        ann.JobTitle.ShouldBe("Analyst");
        ann.Company.ShouldBe("Change Ltd");
        var custom = JsonDocument.Parse(ann.CustomFields).RootElement;
        custom.GetProperty("Favourite Colour").GetString().ShouldBe("Blue");
        custom.GetProperty("Budget").GetString().ShouldBe("50k");
    }

    [Fact]
    public async Task The_same_lead_twice_in_one_file_becomes_one_lead_with_the_later_values()
    {
        await using var database = await databases.CreateAsync(Ct);
        var csv = _files.Write("twice.csv", """
            Email,First Name,Job Title
            twice@dup.io,Tess,Analyst
            other@dup.io,Otto,Engineer
            TWICE@dup.io,Tess,Director
            """);

        var summary = await ImportAsync(database, csv);

        summary.Imported.ShouldBe(2);
        summary.Updated.ShouldBe(1);
        var leads = await LeadsAsync(database);
        leads.Count.ShouldBe(2);
        leads.Single(l => l.EmailNormalized == "twice@dup.io").JobTitle.ShouldBe("Director");
    }

    [Fact]
    public async Task A_row_with_only_an_email_updates_the_earlier_row_with_that_email_and_a_record_id()
    {
        await using var database = await databases.CreateAsync(Ct);
        var csv = _files.Write("mixed.csv", """
            Record ID,Email,First Name,Job Title
            501,mixed@keys.io,Mia,Analyst
            ,mixed@keys.io,Mia,Head of Data
            """);

        var summary = await ImportAsync(database, csv);

        summary.Imported.ShouldBe(1);
        summary.Updated.ShouldBe(1);
        var lead = (await LeadsAsync(database)).Single();
        lead.ExternalId.ShouldBe("501");
        lead.JobTitle.ShouldBe("Head of Data");
    }

    [Fact]
    public async Task Different_crm_records_sharing_an_email_stay_separate()
    {
        await using var database = await databases.CreateAsync(Ct);
        var csv = _files.Write("shared.csv", """
            Record ID,Email,First Name
            10,info@shared.io,Front Desk
            11,info@shared.io,Back Office
            """);

        (await ImportAsync(database, csv)).Imported.ShouldBe(2);

        (await LeadsAsync(database)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task Formula_cells_are_stored_as_text_and_neutralised_in_the_rejects_file()
    {
        await using var database = await databases.CreateAsync(Ct);
        var csv = _files.Write("formula.csv", """
            Email,Company,Create Date
            eve@formula.io,"=HYPERLINK(""http://evil.example"",""click"")",2025-01-01
            mal@formula.io,@SUM(A1:A9),not a date
            """);
        var rejectsPath = _files.PathOf("formula-rejects.csv");

        var summary = await ImportAsync(database, csv, rejects: rejectsPath);

        summary.Imported.ShouldBe(1);
        (await LeadsAsync(database)).Single().Company.ShouldBe("=HYPERLINK(\"http://evil.example\",\"click\")");
        var rejected = (await File.ReadAllLinesAsync(rejectsPath, Ct))[1];
        rejected.ShouldContain(",'@SUM(A1:A9),");
    }

    [Fact]
    public async Task A_mapping_file_says_which_unrecognised_heading_is_which_field()
    {
        await using var database = await databases.CreateAsync(Ct);
        var csv = _files.Write("mapped.csv", """
            Kontakt-Mail,Firma,Angelegt,Intern
            ida@mapped.de,Mapped GmbH,15.02.2025,secret
            """);
        var mapping = _files.Write("map.json", """
            { "columns": { "Kontakt-Mail": "email", "Firma": "company", "Angelegt": "createdAt", "Intern": "ignore" },
              "dateFormat": "dd.MM.yyyy" }
            """);

        (await ImportAsync(database, csv, mapping)).Imported.ShouldBe(1);

        var lead = (await LeadsAsync(database)).Single();
        lead.Email.ShouldBe("ida@mapped.de");
        lead.Company.ShouldBe("Mapped GmbH");
        lead.CreatedAt.ShouldBe(new DateTime(2025, 2, 15, 0, 0, 0, DateTimeKind.Utc));
        lead.CustomFields.ShouldNotContain("secret");
    }

    [Fact]
    public async Task A_mapping_to_an_unknown_field_is_refused_with_the_valid_fields()
    {
        await using var database = await databases.CreateAsync(Ct);
        var csv = _files.Write("m.csv", "Email\nx@y.io\n");
        var mapping = _files.Write("bad-map.json", """{ "columns": { "Email": "electronicMail" } }""");

        var e = await Should.ThrowAsync<InvalidDataException>(() => ImportAsync(database, csv, mapping));

        e.Message.ShouldContain("maps 'Email' to 'electronicMail', which is not a field");
        e.Message.ShouldContain("email");
        (await LeadsAsync(database)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_file_without_any_email_id_or_name_column_is_refused_before_writing()
    {
        await using var database = await databases.CreateAsync(Ct);
        var csv = _files.Write("anon.csv", "Colour,Size\nred,10\n");

        var e = await Should.ThrowAsync<InvalidDataException>(() => ImportAsync(database, csv));

        e.Message.ShouldContain("None of the headings is an e-mail, a record id or a name");
        e.Message.ShouldContain("--mapping");
    }

    [Fact]
    public async Task An_empty_file_or_a_missing_file_is_reported_plainly()
    {
        await using var database = await databases.CreateAsync(Ct);
        var empty = _files.Write("empty.csv", "");

        (await Should.ThrowAsync<InvalidDataException>(() => ImportAsync(database, empty))).Message.ShouldContain("is empty");
        (await Should.ThrowAsync<FileNotFoundException>(() => ImportAsync(database, _files.PathOf("nope.csv")))).Message.ShouldContain("does not exist");
    }

    [Theory]
    [InlineData(CrmExportStyle.HubSpot)]
    [InlineData(CrmExportStyle.Salesforce)]
    [InlineData(CrmExportStyle.Zoho)]
    [InlineData(CrmExportStyle.Pipedrive)]
    public async Task A_generated_export_with_one_percent_dirty_rows_keeps_every_good_row_and_rejects_every_bad_one(CrmExportStyle style)
    {
        await using var database = await databases.CreateAsync(Ct);
        var path = _files.PathOf($"{style}.csv");
        var leads = new SyntheticCrm(new SyntheticCrmOptions(3_000, Seed: 7, Now: database.Clock.GetUtcNow().UtcDateTime)).Generate();
        var export = await SyntheticCsvExport.WriteAsync(leads, path, style, dirtyRowShare: 0.01, seed: 7, ct: Ct);

        var first = await ImportAsync(database, path);
        var second = await ImportAsync(database, path);

        export.DirtyRows.ShouldBe(30);
        first.Rejected.ShouldBe(export.DirtyRows);
        first.Imported.ShouldBe(export.Rows - export.DirtyRows);
        var rejectedRows = (await File.ReadAllLinesAsync(first.RejectsFile!, Ct)).Skip(1)
            .Select(l => int.Parse(l[..l.IndexOf(',')])).Order().ToList();
        rejectedRows.ShouldBe(export.DirtyRowNumbers.Order().ToList());
        second.Imported.ShouldBe(0);
        second.Updated.ShouldBe(0);
        second.Unchanged.ShouldBe(first.Imported);
        await using var db = database.NewContext();
        (await db.Leads.CountAsync(Ct)).ShouldBe(first.Imported);
    }

    [Fact]
    public async Task A_first_load_into_an_empty_database_builds_every_index_again_and_still_merges_repeated_rows()
    {
        await using var database = await databases.CreateAsync(Ct);
        var indexesBefore = await LeadIndexesAsync(database);
        var path = _files.PathOf("first.csv");
        var leads = new SyntheticCrm(new SyntheticCrmOptions(3_000, Seed: 11, Now: database.Clock.GetUtcNow().UtcDateTime)).Generate();
        var export = await SyntheticCsvExport.WriteAsync(leads, path, CrmExportStyle.Salesforce, dirtyRowShare: 0.01, seed: 11, ct: Ct);
        // The same lead again near the end of the file, with a new title: it must update, not duplicate.
        var lines = await File.ReadAllLinesAsync(path, Ct);
        var header = lines[0].Split(',');
        var email = Array.IndexOf(header, "Email");
        var title = Array.IndexOf(header, "Title");
        var repeat = lines.Skip(1).First(l => !l.Contains('"') && l.Split(',').Length == header.Length).Split(',');
        repeat[title] = "Chief Repeat Officer";
        await File.AppendAllLinesAsync(path, [string.Join(',', repeat)], Ct);

        var first = await InitialLoadAsync(database, path);
        var second = await ImportAsync(database, path);

        first.Rejected.ShouldBe(export.DirtyRows);
        first.Imported.ShouldBe(export.Rows - export.DirtyRows);
        first.Updated.ShouldBe(1);
        (await LeadIndexesAsync(database)).ShouldBe(indexesBefore);
        await using var db = database.NewContext();
        (await db.PendingIndexes.CountAsync(Ct)).ShouldBe(0);
        (await db.Leads.CountAsync(Ct)).ShouldBe(first.Imported);
        (await db.Leads.SingleAsync(l => l.EmailNormalized == repeat[email].ToLower(), Ct)).JobTitle.ShouldBe("Chief Repeat Officer");
        // The load ran without the aggregates' triggers and rebuilt the aggregates at its end: they match the rows, and
        // the triggers are back (a lead added now is counted).
        (await db.TeamLeadCounts.SumAsync(c => c.Leads, Ct)).ShouldBe(first.Imported);
        (await db.ClosedLeadDays.SumAsync(c => c.Leads, Ct)).ShouldBe(await db.Leads.CountAsync(l => l.Outcome != LeadOutcome.Open && l.ClosedAt != null, Ct));
        (await db.LeadGroupStats.Where(g => g.Dimension == GrowthBrain.Insights.LeadGroupStat.Owner).SumAsync(g => g.Leads, Ct)).ShouldBe(first.Imported);
        var teamId = await db.Teams.Select(t => t.Id).FirstAsync(Ct);
        var now = database.Clock.GetUtcNow().UtcDateTime;
        db.Leads.Add(new Lead { TeamId = teamId, FirstName = "After", LastName = "Load", CreatedAt = now, ImportedAt = now, UpdatedAt = now });
        await db.SaveChangesAsync(Ct);
        (await db.TeamLeadCounts.SumAsync(c => c.Leads, Ct)).ShouldBe(first.Imported + 1);
        db.Leads.Remove(await db.Leads.SingleAsync(l => l.FirstName == "After" && l.LastName == "Load", Ct));
        await db.SaveChangesAsync(Ct);
        // Re-importing changes nothing lasting: the lead's two rows update it in file order again, the later one wins.
        second.Imported.ShouldBe(0);
        second.Updated.ShouldBe(2);
        second.Unchanged.ShouldBe(first.Imported - 1);
        (await db.Leads.CountAsync(Ct)).ShouldBe(first.Imported);
        (await db.Leads.SingleAsync(l => l.EmailNormalized == repeat[email].ToLower(), Ct)).JobTitle.ShouldBe("Chief Repeat Officer");
    }

    [Fact]
    public async Task Indexes_dropped_by_a_load_that_crashed_are_rebuilt_by_the_next_migrate()
    {
        await using var database = await databases.CreateAsync(Ct);
        var indexesBefore = await LeadIndexesAsync(database);
        await using (var db = database.NewContext())
        {
            await db.Database.OpenConnectionAsync(Ct);
            await IndexRebuild.DropSecondaryIndexesAsync(db, "leads", Ct);
        }
        (await LeadIndexesAsync(database)).Count.ShouldBeLessThan(indexesBefore.Count);

        await using (var db = database.NewContext())
        {
            await new MigrateDatabaseHandler(db, database.Clock).HandleAsync(new MigrateDatabase(), Ct);
        }

        (await LeadIndexesAsync(database)).ShouldBe(indexesBefore);
    }

    [Fact]
    public async Task Aggregates_left_behind_by_a_first_load_that_crashed_are_rebuilt_by_the_next_import()
    {
        await using var database = await databases.CreateAsync(Ct);
        var now = database.Clock.GetUtcNow().UtcDateTime;
        await using (var db = database.NewContext())
        {
            // The load dropped the triggers and wrote rows, then the process died before it rebuilt anything.
            await DatabaseObjects.SuspendAsync(db, GrowthBrain.Insights.LeadStatsTriggers.Set, "leads", Ct);
            var teamId = await db.Teams.Select(t => t.Id).FirstAsync(Ct);
            db.Leads.AddRange(Enumerable.Range(0, 7).Select(i => new Lead
            {
                TeamId = teamId, FirstName = "Orphan", LastName = $"{i}", CreatedAt = now, ImportedAt = now, UpdatedAt = now,
            }));
            await db.SaveChangesAsync(Ct);
            (await db.TeamLeadCounts.SumAsync(c => c.Leads, Ct)).ShouldBe(0, "no trigger counted them");
        }

        var path = _files.PathOf("next.csv");
        await File.WriteAllTextAsync(path, "Email,First Name,Last Name\nnew.lead@example.com,New,Lead\n", Ct);
        (await ImportAsync(database, path)).Imported.ShouldBe(1);

        await using var check = database.NewContext();
        (await check.TeamLeadCounts.SumAsync(c => c.Leads, Ct)).ShouldBe(8);
    }
}
