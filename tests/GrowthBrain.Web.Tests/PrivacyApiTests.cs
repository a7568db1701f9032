using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GrowthBrain.Leads;

namespace GrowthBrain.Web.Tests;

/// <summary>The privacy API over HTTP on the real app, on SQLite and on PostgreSQL.</summary>
public abstract class PrivacyApiTests<TFixture>(TFixture app) : IClassFixture<TFixture>
    where TFixture : WebAppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> JsonOf(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(expected, body);
        return JsonDocument.Parse(body).RootElement;
    }

    [Fact]
    public async Task Export_returns_the_person_as_json_or_as_a_zip_of_csv_files()
    {
        using var client = app.CreateClient();

        using var json = await client.PostAsJsonAsync("/api/privacy/export", new { email = app.KnownLead.Email!.ToUpperInvariant() }, Ct);
        using var csv = await client.PostAsJsonAsync("/api/privacy/export", new { email = app.KnownLead.Email, format = "csv" }, Ct);

        var export = await JsonOf(json, HttpStatusCode.OK);
        var lead = export.GetProperty("leads").EnumerateArray().Single();
        lead.GetProperty("id").GetInt64().ShouldBe(app.KnownLead.Id);
        lead.GetProperty("lastName").GetString().ShouldBe(app.KnownLead.LastName);
        lead.GetProperty("activities").GetArrayLength().ShouldBeGreaterThan(0);
        csv.StatusCode.ShouldBe(HttpStatusCode.OK);
        csv.Content.Headers.ContentType!.MediaType.ShouldBe("application/zip");
        using var zip = new ZipArchive(await csv.Content.ReadAsStreamAsync(Ct));
        using var reader = new StreamReader(zip.GetEntry("leads.csv")!.Open());
        (await reader.ReadToEndAsync(Ct)).ShouldContain(app.KnownLead.LastName!);
    }

    [Theory]
    [InlineData("""{"email":"not an address"}""", "is not an e-mail address")]
    [InlineData("""{"email":null}""", "No e-mail address given")]
    [InlineData("""{"email":"ada@example.com","format":"xml"}""", "use json or csv")]
    public async Task Bad_requests_get_problem_details_that_say_what_to_fix(string body, string message)
    {
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/api/privacy/export", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);

        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await JsonOf(response, HttpStatusCode.BadRequest)).GetProperty("detail").GetString()!.ShouldContain(message);
    }

    [Fact]
    public async Task Malformed_json_is_a_bad_request_not_a_server_error()
    {
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/api/privacy/erase", new StringContent("{\"email\":", System.Text.Encoding.UTF8, "application/json"), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Erase_anonymises_the_lead_the_api_then_shows()
    {
        using var client = app.CreateClient();
        var page = await client.GetFromJsonAsync<JsonElement>("/api/leads?page=2&pageSize=5&sortBy=created", Ct);
        // Not the lead the other tests of this class look at.
        var row = page.GetProperty("items").EnumerateArray()
            .First(r => r.GetProperty("id").GetInt64() != app.KnownLead.Id && r.GetProperty("email").ValueKind == JsonValueKind.String);
        var (id, email) = (row.GetProperty("id").GetInt64(), row.GetProperty("email").GetString()!);

        using var erase = await client.PostAsJsonAsync("/api/privacy/erase", new { email }, Ct);
        var result = await JsonOf(erase, HttpStatusCode.OK);
        using var again = await client.PostAsJsonAsync("/api/privacy/erase", new { email }, Ct);

        result.GetProperty("leads").GetInt32().ShouldBeGreaterThanOrEqualTo(1);
        result.GetProperty("storageScrubbed").GetBoolean().ShouldBeTrue();
        (await JsonOf(again, HttpStatusCode.OK)).GetProperty("nothingHeld").GetBoolean().ShouldBeTrue();
        var lead = (await client.GetFromJsonAsync<JsonElement>($"/api/leads/{id}", Ct)).GetProperty("lead");
        lead.GetProperty("email").ValueKind.ShouldBe(JsonValueKind.Null);
        lead.GetProperty("firstName").ValueKind.ShouldBe(JsonValueKind.Null);
        lead.GetProperty("anonymisedAt").ValueKind.ShouldBe(JsonValueKind.String);
    }

    [Fact]
    public async Task Consent_is_recorded_and_shown_with_the_lead()
    {
        using var client = app.CreateClient();
        var id = app.KnownLead.Id;

        using var recorded = await client.PostAsJsonAsync($"/api/leads/{id}/consent",
            new { status = "Granted", basis = "LegitimateInterest", source = "trade fair form" }, Ct);
        using var missing = await client.PostAsJsonAsync("/api/leads/99999999/consent", new { status = "Granted", source = "x" }, Ct);
        using var noSource = await client.PostAsJsonAsync($"/api/leads/{id}/consent", new { status = "Withdrawn" }, Ct);

        (await JsonOf(recorded, HttpStatusCode.OK)).GetProperty("consentStatus").GetString().ShouldBe("Granted");
        var lead = (await client.GetFromJsonAsync<JsonElement>($"/api/leads/{id}", Ct)).GetProperty("lead");
        (lead.GetProperty("consentStatus").GetString(), lead.GetProperty("lawfulBasis").GetString(), lead.GetProperty("consentSource").GetString())
            .ShouldBe(("Granted", "LegitimateInterest", "trade fair form"));
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await JsonOf(noSource, HttpStatusCode.BadRequest)).GetProperty("detail").GetString()!.ShouldContain("source");
    }

    [Fact]
    public async Task Retention_without_a_policy_changes_nothing()
    {
        using var client = app.CreateClient();

        using var response = await client.PostAsJsonAsync("/api/privacy/retention", new { dryRun = false }, Ct);

        var result = await JsonOf(response, HttpStatusCode.OK);
        (result.GetProperty("enabled").GetBoolean(), result.GetProperty("leads").GetInt32()).ShouldBe((false, 0));
    }
}

public sealed class PrivacyApiTests_Sqlite(SqliteWebAppFixture app) : PrivacyApiTests<SqliteWebAppFixture>(app);

public sealed class PrivacyApiTests_Postgres(PostgresWebAppFixture app) : PrivacyApiTests<PostgresWebAppFixture>(app);
