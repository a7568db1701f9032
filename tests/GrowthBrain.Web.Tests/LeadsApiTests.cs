using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GrowthBrain.Leads;

namespace GrowthBrain.Web.Tests;

/// <summary>The leads API over HTTP on the real app; every test runs on SQLite and on PostgreSQL.</summary>
public abstract class LeadsApiTests<TFixture>(TFixture app) : IClassFixture<TFixture>
    where TFixture : WebAppFixture
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<LeadPage> GetPageAsync(HttpClient client, string query)
    {
        using var response = await client.GetAsync("/api/leads" + query, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, $"GET /api/leads{query} answered: {body}");
        return JsonSerializer.Deserialize<LeadPage>(body, Json)!;
    }

    [Fact]
    public async Task Leads_api_returns_a_first_page_with_the_seeded_total()
    {
        using var client = app.CreateClient();
        var page = await GetPageAsync(client, "");

        page.Total.ShouldBe(app.SeededCount);
        page.Page.ShouldBe(1);
        page.PageSize.ShouldBe(25);
        page.Items.Count.ShouldBe(25);
        page.Items.Select(i => i.Id).ShouldBeUnique();
    }

    [Fact]
    public async Task Leads_api_pages_without_overlap()
    {
        using var client = app.CreateClient();
        var first = await GetPageAsync(client, "?page=1&pageSize=50");
        var second = await GetPageAsync(client, "?page=2&pageSize=50");

        second.Page.ShouldBe(2);
        second.Items.Count.ShouldBe(50);
        second.Items.Select(i => i.Id).Intersect(first.Items.Select(i => i.Id)).ShouldBeEmpty();
        second.Total.ShouldBe(first.Total);
    }

    [Theory]
    [InlineData("?pageSize=0", "pageSize is 0", "use 1 to 500")]
    [InlineData("?pageSize=501", "pageSize is 501", "use 1 to 500")]
    [InlineData("?page=0", "page is 0", "pages start at 1")]
    [InlineData("?sortBy=shoeSize", "sortBy is 'shoeSize'", "use one of score, name, company")]
    public async Task Leads_api_rejects_a_bad_query_with_problem_details_saying_what_to_fix(string query, string problemStated, string fix)
    {
        using var client = app.CreateClient();
        using var response = await client.GetAsync("/api/leads" + query, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        problem.RootElement.GetProperty("status").GetInt32().ShouldBe(400);
        var detail = problem.RootElement.GetProperty("detail").GetString();
        detail.ShouldNotBeNullOrWhiteSpace();
        detail.ShouldStartWith(problemStated);
        detail.ShouldContain(fix);
    }

    // (page - 1) * pageSize overflows an int long before the page number does.
    [Theory]
    [InlineData("/api/leads?page=2147483647")]
    [InlineData("/api/leads?page=2147483647&pageSize=500")]
    [InlineData("/api/leads?page=1000001")]
    [InlineData("/api/audit?page=2147483647")]
    [InlineData("/api/audit?page=1000001&pageSize=500")]
    public async Task A_huge_page_number_is_refused_with_the_allowed_range(string path)
    {
        using var client = app.CreateClient();
        using var response = await client.GetAsync(path, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, $"GET {path} answered: {body}");
        using var problem = JsonDocument.Parse(body);
        problem.RootElement.GetProperty("detail").GetString().ShouldNotBeNull().ShouldContain("1 to 1000000");
    }

    [Theory]
    [InlineData("/api/leads?pageSize=abc", HttpStatusCode.BadRequest)]
    [InlineData("/api/leads?outcome=Maybe", HttpStatusCode.BadRequest)]
    [InlineData("/api/leads/not-a-number", HttpStatusCode.NotFound)]
    public async Task Leads_api_answers_problem_details_not_a_page_for_a_malformed_request(string url, HttpStatusCode status)
    {
        using var client = app.CreateClient();
        using var response = await client.GetAsync(url, Ct);

        response.StatusCode.ShouldBe(status);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        problem.RootElement.GetProperty("status").GetInt32().ShouldBe((int)status);
    }

    [Fact]
    public async Task An_unknown_page_outside_the_api_still_shows_the_html_not_found_page()
    {
        using var client = app.CreateClient();
        using var response = await client.GetAsync("/no-such-page", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("text/html");
        (await response.Content.ReadAsStringAsync(Ct)).ShouldContain("Sorry, the content you are looking for does not exist.");
    }

    [Fact]
    public async Task Leads_api_sorts_by_company_ascending()
    {
        using var client = app.CreateClient();
        var page = await GetPageAsync(client, "?sortBy=company&pageSize=500");

        page.Items.Count.ShouldBe(app.SeededCount);
        var companies = page.Items.Select(i => i.Company).Where(c => c is not null).ToList();
        companies.Count.ShouldBeGreaterThan(1);
        // SQLite compares bytes; the PostgreSQL test database is created with C collation, so ordinal on both.
        var sorted = companies.Order(StringComparer.Ordinal).ToList();
        companies.ShouldBe(sorted, $"sortBy=company gave {string.Join(" | ", companies.Take(10))} ...");

        var descending = await GetPageAsync(client, "?sortBy=company&descending=true&pageSize=5");
        descending.Items[0].Company.ShouldNotBe(page.Items[0].Company);
    }

    [Fact]
    public async Task Leads_api_search_by_email_finds_the_lead()
    {
        using var client = app.CreateClient();
        var email = app.KnownLead.Email!;
        var page = await GetPageAsync(client, "?search=" + Uri.EscapeDataString(email.ToUpperInvariant()));

        page.Total.ShouldBe(1);
        page.Items.ShouldHaveSingleItem().Id.ShouldBe(app.KnownLead.Id);
        page.Items[0].Email.ShouldBe(email);
    }

    [Fact]
    public async Task Leads_api_filters_by_outcome()
    {
        using var client = app.CreateClient();
        var won = await GetPageAsync(client, "?outcome=Won&pageSize=500");
        var all = await GetPageAsync(client, "?pageSize=500");

        won.Total.ShouldBeGreaterThan(0);
        won.Total.ShouldBeLessThan(all.Total);
        won.Items.Count.ShouldBe(won.Total);
        won.Items.ShouldAllBe(i => i.Outcome == LeadOutcome.Won);
        won.Total.ShouldBe(all.Items.Count(i => i.Outcome == LeadOutcome.Won));
    }

    [Fact]
    public async Task Leads_api_writes_enums_as_strings()
    {
        using var client = app.CreateClient();
        using var doc = JsonDocument.Parse(await client.GetStringAsync("/api/leads?outcome=Won&pageSize=1", Ct));

        var outcome = doc.RootElement.GetProperty("items")[0].GetProperty("outcome");
        outcome.ValueKind.ShouldBe(JsonValueKind.String);
        outcome.GetString().ShouldBe("Won");
    }

    [Fact]
    public async Task Leads_api_returns_one_lead_with_its_activities()
    {
        using var client = app.CreateClient();
        var known = app.KnownLead;
        using var response = await client.GetAsync($"/api/leads/{known.Id}", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var lead = doc.RootElement.GetProperty("lead");
        lead.GetProperty("id").GetInt64().ShouldBe(known.Id);
        lead.GetProperty("email").GetString().ShouldBe(known.Email);
        lead.GetProperty("outcome").ValueKind.ShouldBe(JsonValueKind.String);
        var activities = doc.RootElement.GetProperty("recentActivities");
        activities.GetArrayLength().ShouldBeGreaterThan(0);
        doc.RootElement.GetProperty("activityCount").GetInt32().ShouldBeGreaterThanOrEqualTo(activities.GetArrayLength());
        foreach (var a in activities.EnumerateArray())
        {
            a.GetProperty("leadId").GetInt64().ShouldBe(known.Id);
            a.GetProperty("type").ValueKind.ShouldBe(JsonValueKind.String);
        }
    }

    [Fact]
    public async Task Leads_api_answers_404_problem_details_for_an_unknown_lead()
    {
        using var client = app.CreateClient();
        using var response = await client.GetAsync("/api/leads/987654321", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        problem.RootElement.GetProperty("status").GetInt32().ShouldBe(404);
        problem.RootElement.GetProperty("detail").GetString()!.ShouldContain("987654321");
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_endpoints_answer_200(string path)
    {
        using var client = app.CreateClient();
        using var response = await client.GetAsync(path, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        (await response.Content.ReadAsStringAsync(Ct)).ShouldBe("Healthy");
    }

    [Fact]
    public async Task OpenApi_document_is_json_listing_the_leads_endpoints()
    {
        using var client = app.CreateClient();
        using var response = await client.GetAsync("/openapi/v1.json", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        doc.RootElement.GetProperty("openapi").GetString().ShouldNotBeNullOrEmpty();
        var paths = doc.RootElement.GetProperty("paths");
        paths.TryGetProperty("/api/leads", out var list).ShouldBeTrue($"paths: {string.Join(", ", paths.EnumerateObject().Select(p => p.Name))}");
        list.TryGetProperty("get", out _).ShouldBeTrue();
        paths.TryGetProperty("/api/leads/{id}", out _).ShouldBeTrue();
    }
}

public sealed class LeadsApiTests_Sqlite(SqliteWebAppFixture app) : LeadsApiTests<SqliteWebAppFixture>(app);

public sealed class LeadsApiTests_Postgres(PostgresWebAppFixture app) : LeadsApiTests<PostgresWebAppFixture>(app);
