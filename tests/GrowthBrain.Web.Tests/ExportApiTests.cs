using System.Net;
using GrowthBrain.Data;
using GrowthBrain.Leads;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;

using GrowthBrain.Web.Accounts;

namespace GrowthBrain.Web.Tests;

public sealed class ExportApiTestsOnSqlite(SqliteWebAppFixture app) : ExportApiTests<SqliteWebAppFixture>(app);

public sealed class ExportApiTestsOnPostgres(PostgresWebAppFixture app) : ExportApiTests<PostgresWebAppFixture>(app);

/// <summary>Table exports over HTTP: every matching row, filters applied, and cells that can't run as formulas.</summary>
public abstract class ExportApiTests<TFixture>(TFixture app) : IClassFixture<TFixture>
    where TFixture : WebAppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A lead whose company is a formula, as a hostile CRM record could be.</summary>
    private async Task<Lead> HostileLeadAsync()
    {
        await using var scope = app.Services.CreateSystemScope("tests");
        var db = scope.ServiceProvider.GetRequiredService<GrowthBrainDb>();
        var lead = await db.Leads.OrderBy(l => l.Id).FirstAsync(l => l.Outcome == LeadOutcome.Open, Ct);
        lead.Company = "=cmd|' /C calc'!A0";
        lead.JobTitle = "@SUM(1+1)";
        await db.SaveChangesAsync(Ct);
        return lead;
    }

    private static async Task<(HttpResponseMessage Response, byte[] Body)> GetAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url, Ct);
        return (response, await response.Content.ReadAsByteArrayAsync(Ct));
    }

    private static List<string[]> ParseCsv(byte[] body)
    {
        // Enough of RFC 4180 for these rows: quoted cells with commas and doubled quotes.
        var text = System.Text.Encoding.UTF8.GetString(body).TrimStart('\uFEFF');
        var rows = new List<string[]>();
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else cell.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { cells.Add(cell.ToString()); cell.Clear(); }
            else if (c == '\n') { cells.Add(cell.ToString().TrimEnd('\r')); cell.Clear(); rows.Add([.. cells]); cells.Clear(); }
            else cell.Append(c);
        }
        return rows;
    }

    [Fact]
    public async Task Leads_export_as_csv_has_every_lead_and_neutralises_formulas()
    {
        using var client = app.CreateClient();
        var hostile = await HostileLeadAsync();
        var (response, body) = await GetAsync(client, "/api/leads/export?format=csv");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        response.Content.Headers.ContentDisposition!.FileName!.Trim('"').ShouldStartWith("leads-");
        var rows = ParseCsv(body);
        rows[0].ShouldBe(["Id", "Name", "E-mail", "Company", "Job title", "Source", "Owner", "Stage", "Outcome", "Created", "Last activity",
            "Probability", "Grade", "Overridden"]);
        rows.Count.ShouldBe(app.SeededCount + 1);
        var row = rows.Single(r => r[0] == hostile.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        row[3].ShouldBe("'=cmd|' /C calc'!A0");
        row[4].ShouldBe("'@SUM(1+1)");
    }

    [Fact]
    public async Task Leads_export_applies_the_lists_filters()
    {
        using var client = app.CreateClient();
        await using var scope = app.Services.CreateSystemScope("tests");
        var db = scope.ServiceProvider.GetRequiredService<GrowthBrainDb>();
        var won = await db.Leads.CountAsync(l => l.Outcome == LeadOutcome.Won, Ct);
        won.ShouldBeGreaterThan(0);

        var rows = ParseCsv((await GetAsync(client, "/api/leads/export?format=csv&outcome=Won")).Body);
        rows.Count.ShouldBe(won + 1);
        rows.Skip(1).ShouldAllBe(r => r[8] == "Won");

        var known = app.KnownLead;
        var searched = ParseCsv((await GetAsync(client, "/api/leads/export?search=" + Uri.EscapeDataString(known.Email!))).Body);
        searched.Count.ShouldBe(2, "csv is the default format, and the search matches one lead");
        searched[1][2].ShouldBe(known.Email);
    }

    [Fact]
    public async Task Leads_export_as_xlsx_opens_with_every_row_and_text_that_is_not_a_formula()
    {
        using var client = app.CreateClient();
        var hostile = await HostileLeadAsync();
        var (response, body) = await GetAsync(client, "/api/leads/export?format=xlsx&sortBy=name");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        response.Content.Headers.ContentDisposition!.FileName!.Trim('"').ShouldEndWith(".xlsx");
        using var stream = new MemoryStream(body);
        var rows = stream.Query(useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        rows.Count.ShouldBe(app.SeededCount);
        var row = rows.Single(r => Convert.ToInt64(r["Id"], System.Globalization.CultureInfo.InvariantCulture) == hostile.Id);
        row["Company"].ShouldBe("'=cmd|' /C calc'!A0");
        row["Created"].ShouldBeOfType<DateTime>();

        // No cell in the sheet is a formula.
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(body));
        var sheet = zip.Entries.Single(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal) && e.FullName.EndsWith(".xml", StringComparison.Ordinal));
        using var reader = new StreamReader(sheet.Open());
        System.Text.RegularExpressions.Regex.IsMatch(await reader.ReadToEndAsync(Ct), "<(x:)?f[ >]").ShouldBeFalse();
    }

    [Theory]
    [InlineData("/api/leads/export?format=pdf", "format is 'pdf'; use csv or xlsx.")]
    [InlineData("/api/leads/export?grade=Z", "grade is 'Z'; use A, B, C or D.")]
    [InlineData("/api/leads/export?sortBy=shoeSize", "sortBy is 'shoeSize'")]
    [InlineData("/api/insights/export/everything", "table is 'everything'; use one of monthly, funnel")]
    public async Task A_bad_export_request_is_a_400_problem_saying_what_to_fix(string url, string message)
    {
        using var client = app.CreateClient();
        var (response, body) = await GetAsync(client, url);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        System.Text.Encoding.UTF8.GetString(body).ShouldContain(message);
    }

    [Theory]
    [InlineData("monthly", "Month,Won,Lost,Conversion rate,Median sales cycle (days)", 13)]
    [InlineData("funnel", "Stage,Open leads", -1)]
    public async Task Overview_tables_export_too(string table, string header, int lines)
    {
        using var client = app.CreateClient();
        var rows = ParseCsv((await GetAsync(client, $"/api/insights/export/{table}?format=csv")).Body);
        string.Join(',', rows[0]).ShouldBe(header);
        if (lines > 0) rows.Count.ShouldBe(lines);
        else rows.Count.ShouldBeGreaterThan(1);
        var (xlsx, body) = await GetAsync(client, $"/api/insights/export/{table}?format=xlsx");
        xlsx.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var stream = new MemoryStream(body);
        stream.Query(useHeaderRow: true).Count().ShouldBe(rows.Count - 1);
    }
}
