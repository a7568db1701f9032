using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GrowthBrain.Leads;

namespace GrowthBrain.Web.Tests;

public sealed class ScoringApiTests_Sqlite(ScoredSqliteWebAppFixture app) : ScoringApiTests<ScoredSqliteWebAppFixture>(app);

public sealed class ScoringApiTests_Postgres(ScoredPostgresWebAppFixture app) : ScoringApiTests<ScoredPostgresWebAppFixture>(app);

/// <summary>The scoring and model API over HTTP on the real app, with a model trained and open leads scored at start.</summary>
public abstract class ScoringApiTests<TFixture>(TFixture app) : IClassFixture<TFixture>
    where TFixture : WebAppFixture
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> OkJsonAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static async Task<string> ProblemDetailAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(status, body);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        using var problem = JsonDocument.Parse(body);
        problem.RootElement.GetProperty("status").GetInt32().ShouldBe((int)status);
        return problem.RootElement.GetProperty("detail").GetString()!;
    }

    private static async Task<LeadPage> PageAsync(HttpClient client, string query) =>
        (await client.GetFromJsonAsync<LeadPage>("/api/leads" + query, Json, Ct))!;

    /// <summary>Every page of a query, in order.</summary>
    private static async Task<List<LeadRow>> AllAsync(HttpClient client, string query)
    {
        var items = new List<LeadRow>();
        for (var page = 1; ; page++)
        {
            var p = await PageAsync(client, $"{query}&pageSize=500&page={page}");
            items.AddRange(p.Items);
            if (items.Count >= p.Total || p.Items.Count == 0) return items;
        }
    }

    /// <summary>The open lead with the lowest score: the one most room a rep can do something about.</summary>
    private static async Task<LeadRow> LowestOpenLeadAsync(HttpClient client) =>
        (await PageAsync(client, "?outcome=Open&sortBy=score&pageSize=1")).Items.Single();

    private static void ShouldBeAScore(JsonElement view)
    {
        view.GetProperty("probability").GetDouble().ShouldBeInRange(0, 1);
        view.GetProperty("grade").GetString().ShouldBeOneOf("A", "B", "C", "D");
        view.GetProperty("modelVersion").GetString().ShouldBe("v1");
        view.GetProperty("for").ValueKind.ShouldBe(JsonValueKind.Array);
        view.GetProperty("against").ValueKind.ShouldBe(JsonValueKind.Array);
    }

    [Fact]
    public async Task A_leads_score_comes_with_probability_grade_and_factors_for_and_against()
    {
        using var client = app.CreateClient();
        var lead = await LowestOpenLeadAsync(client);

        using var response = await client.GetAsync($"/api/leads/{lead.Id}/score", Ct);

        var view = await OkJsonAsync(response);
        ShouldBeAScore(view);
        view.GetProperty("leadId").GetInt64().ShouldBe(lead.Id);
        (view.GetProperty("for").GetArrayLength() + view.GetProperty("against").GetArrayLength()).ShouldBeGreaterThan(0);
        foreach (var f in view.GetProperty("for").EnumerateArray()) f.GetProperty("points").GetInt32().ShouldBeGreaterThan(0);
        foreach (var f in view.GetProperty("against").EnumerateArray()) f.GetProperty("points").GetInt32().ShouldBeLessThan(0);
        view.GetProperty("probability").GetDouble().ShouldBe(lead.Probability!.Value, 0.0005);
    }

    [Fact]
    public async Task The_score_of_an_unknown_lead_is_a_404_problem()
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/api/leads/987654321/score", Ct);

        (await ProblemDetailAsync(response, HttpStatusCode.NotFound)).ShouldBe("There is no lead 987654321.");
    }

    [Fact]
    public async Task Posting_a_lead_as_json_scores_it_without_storing_it()
    {
        using var client = app.CreateClient();
        var before = (await PageAsync(client, "")).Total;
        var body = new
        {
            leads = new object[]
            {
                new
                {
                    email = "cto@acme-robotics.com", jobTitle = "CTO", industry = "Software", companySize = 250, country = "Germany",
                    source = "Referral", activities = new object[] { new { type = "Meeting", occurredAt = DateTime.UtcNow.AddDays(-2) } },
                },
                new { jobTitle = "Intern" },
            },
        };

        using var response = await client.PostAsJsonAsync("/api/score", body, Ct);

        var views = await OkJsonAsync(response);
        views.GetArrayLength().ShouldBe(2);
        foreach (var view in views.EnumerateArray()) ShouldBeAScore(view);
        (await PageAsync(client, "")).Total.ShouldBe(before);
    }

    [Fact]
    public async Task Posting_a_negative_company_size_is_a_400_problem_saying_so()
    {
        using var client = app.CreateClient();

        using var response = await client.PostAsJsonAsync("/api/score", new { leads = new[] { new { companySize = -5 } } }, Ct);

        var detail = await ProblemDetailAsync(response, HttpStatusCode.BadRequest);
        detail.ShouldContain("companySize is -5");
        detail.ShouldContain("can't be negative");
    }

    [Fact]
    public async Task Recording_a_meeting_rescores_the_lead_right_away()
    {
        using var client = app.CreateClient();
        var lead = await LowestOpenLeadAsync(client);

        using var meeting = await client.PostAsJsonAsync($"/api/leads/{lead.Id}/activities", new { type = "Meeting" }, Ct);
        var afterMeeting = await OkJsonAsync(meeting);
        using var reply = await client.PostAsJsonAsync($"/api/leads/{lead.Id}/activities", new { type = "EmailReplied", subject = "Let's talk" }, Ct);
        var afterReply = await OkJsonAsync(reply);

        ShouldBeAScore(afterMeeting);
        ShouldBeAScore(afterReply);
        afterReply.GetProperty("leadId").GetInt64().ShouldBe(lead.Id);
        Math.Abs(afterReply.GetProperty("probability").GetDouble() - lead.Probability!.Value).ShouldBeGreaterThanOrEqualTo(0.005,
            "a meeting and a reply should move the score of the quietest open lead");
        // The new score is stored: the list shows it too.
        var listed = (await AllAsync(client, "?outcome=Open&sortBy=score")).Single(i => i.Id == lead.Id);
        listed.Probability!.Value.ShouldBe(afterReply.GetProperty("probability").GetDouble(), 0.0005);
    }

    [Fact]
    public async Task Recording_an_activity_for_an_unknown_lead_is_a_404_and_an_unknown_type_a_400()
    {
        using var client = app.CreateClient();
        var lead = await LowestOpenLeadAsync(client);

        using var unknownLead = await client.PostAsJsonAsync("/api/leads/987654321/activities", new { type = "Meeting" }, Ct);
        using var unknownType = await client.PostAsJsonAsync($"/api/leads/{lead.Id}/activities", new { type = "Telepathy" }, Ct);

        (await ProblemDetailAsync(unknownLead, HttpStatusCode.NotFound)).ShouldContain("987654321");
        unknownType.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_models_list_shows_v1_active()
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/api/models", Ct);

        var model = (await OkJsonAsync(response)).EnumerateArray().ShouldHaveSingleItem();
        model.GetProperty("version").GetInt32().ShouldBe(1);
        model.GetProperty("status").GetString().ShouldBe("Active");
        model.GetProperty("holdoutRocAuc").GetDouble().ShouldBeInRange(0.5, 1);
    }

    [Fact]
    public async Task Sorting_leads_by_score_descending_puts_the_highest_first_and_unscored_last()
    {
        using var client = app.CreateClient();
        var items = await AllAsync(client, "?sortBy=score&descending=true");

        items.Count.ShouldBe(app.SeededCount);
        var scored = items.TakeWhile(i => i.Probability is not null).ToList();
        scored.Count.ShouldBeGreaterThan(0);
        items.Skip(scored.Count).ShouldAllBe(i => i.Probability == null, "unscored leads come after every scored one");
        scored.Select(i => i.Probability!.Value).ShouldBeInOrder(SortDirection.Descending);
        scored.ShouldAllBe(i => i.Outcome == LeadOutcome.Open && i.Grade != null);
    }
    [Fact]
    public async Task A_draft_for_a_lead_comes_from_the_template_writer_and_passes_every_guardrail()
    {
        using var client = app.CreateClient();
        var lead = await LowestOpenLeadAsync(client);

        var draft = await OkJsonAsync(await client.PostAsJsonAsync($"/api/leads/{lead.Id}/drafts", new { goal = "NoReplyYet", tone = "Brief" }, Ct));

        draft.GetProperty("writer").GetString().ShouldBe("template");
        draft.GetProperty("writerLabel").GetString().ShouldBe("Built-in template writer (offline)");
        draft.GetProperty("inputTokens").GetInt64().ShouldBe(0);
        draft.GetProperty("warnings").GetArrayLength().ShouldBe(0);
        draft.GetProperty("goal").GetString().ShouldBe("NoReplyYet");
        draft.GetProperty("tone").GetString().ShouldBe("Brief");
        draft.GetProperty("subject").GetString().ShouldNotBeNullOrWhiteSpace();
        draft.GetProperty("violations").GetArrayLength().ShouldBe(0);
        draft.GetProperty("sendable").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task A_draft_for_an_unknown_lead_is_a_404_problem()
    {
        using var client = app.CreateClient();

        var detail = await ProblemDetailAsync(await client.PostAsJsonAsync("/api/leads/987654321/drafts", new { }, Ct), HttpStatusCode.NotFound);

        detail.ShouldContain("987654321");
    }
}

public sealed class ScoringApiWithoutModelTests_Sqlite(SqliteWebAppFixture app) : ScoringApiWithoutModelTests<SqliteWebAppFixture>(app);

public sealed class ScoringApiWithoutModelTests_Postgres(PostgresWebAppFixture app) : ScoringApiWithoutModelTests<PostgresWebAppFixture>(app);

/// <summary>Leads imported, no model trained yet: the API says what to do instead of failing.</summary>
public abstract class ScoringApiWithoutModelTests<TFixture>(TFixture app) : IClassFixture<TFixture>
    where TFixture : WebAppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Scoring_before_any_model_exists_is_a_409_problem_saying_to_train()
    {
        using var client = app.CreateClient();

        using var adHoc = await client.PostAsJsonAsync("/api/score", new { leads = new[] { new { jobTitle = "CTO" } } }, Ct);
        using var stored = await client.GetAsync($"/api/leads/{app.KnownLead.Id}/score", Ct);
        using var models = await client.GetAsync("/api/models", Ct);

        foreach (var response in new[] { adHoc, stored })
        {
            var body = await response.Content.ReadAsStringAsync(Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.Conflict, body);
            response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
            JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString()!.ShouldContain("./growthbrain train");
        }
        (await models.Content.ReadAsStringAsync(Ct)).ShouldBe("[]");
    }

}
