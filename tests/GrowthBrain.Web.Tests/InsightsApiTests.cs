using System.Net;
using System.Text.Json;

namespace GrowthBrain.Web.Tests;

public sealed class InsightsApiTests_Sqlite(ScoredSqliteWebAppFixture app) : InsightsApiTests<ScoredSqliteWebAppFixture>(app);

public sealed class InsightsApiTests_Postgres(ScoredPostgresWebAppFixture app) : InsightsApiTests<ScoredPostgresWebAppFixture>(app);

/// <summary>The overview's numbers over HTTP on the real app, with a model trained and open leads scored.</summary>
public abstract class InsightsApiTests<TFixture>(TFixture app) : IClassFixture<TFixture>
    where TFixture : WebAppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_kpis_give_a_conversion_rate_with_its_interval_and_the_models_grades()
    {
        using var client = app.CreateClient();
        using var response = await client.GetAsync("/api/insights/kpis", Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        var kpis = JsonDocument.Parse(body).RootElement;

        var recent = kpis.GetProperty("conversion").GetProperty("recent");
        var rate = recent.GetProperty("rate").GetDouble();
        rate.ShouldBeInRange(0, 1);
        rate.ShouldBeInRange(recent.GetProperty("low").GetDouble(), recent.GetProperty("high").GetDouble());
        kpis.GetProperty("salesCycle").GetProperty("recent").GetProperty("averageDays").GetDouble().ShouldBeGreaterThan(0);

        var byGrade = kpis.GetProperty("model").GetProperty("byGrade");
        byGrade.GetArrayLength().ShouldBeGreaterThan(0);
        byGrade[0].GetProperty("grade").GetString().ShouldBe("A");
        kpis.GetProperty("model").GetProperty("version").GetString().ShouldStartWith("v");

        kpis.GetProperty("monthly").GetArrayLength().ShouldBe(12);
        kpis.GetProperty("funnel").GetArrayLength().ShouldBeGreaterThan(0);
        // The model was trained when the app started: that is the adoption date the comparisons say they use.
        var reply = kpis.GetProperty("replyRate");
        reply.GetProperty("adoption").GetProperty("since").ValueKind.ShouldBe(JsonValueKind.String);
        reply.GetProperty("basis").GetString().ShouldStartWith("Since ");
        reply.GetProperty("since").GetProperty("trials").GetInt32().ShouldBeGreaterThanOrEqualTo(0);
        var users = kpis.GetProperty("activeUsers");
        users.GetProperty("teamUsers").GetInt32().ShouldBeGreaterThanOrEqualTo(1, "the owner is a user of the first team");
        users.GetProperty("allTeams").GetInt32().ShouldBeGreaterThanOrEqualTo(1);
        users.GetProperty("beforeReason").GetString().ShouldStartWith("No sign-ins exist before GrowthBrain");
    }
}
