using System.Net;
using System.Text.Json;

namespace GrowthBrain.Web.Tests;

public sealed class DashboardApiTests_Sqlite(ScoredSqliteWebAppFixture app) : DashboardApiTests<ScoredSqliteWebAppFixture>(app);

public sealed class DashboardApiTests_Postgres(ScoredPostgresWebAppFixture app) : DashboardApiTests<ScoredPostgresWebAppFixture>(app);

/// <summary>The sources, team and model reports over HTTP on the real app, with a model trained and open leads scored.</summary>
public abstract class DashboardApiTests<TFixture>(TFixture app) : IClassFixture<TFixture>
    where TFixture : WebAppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<JsonElement> GetAsync(string path)
    {
        using var client = app.CreateClient();
        using var response = await client.GetAsync(path, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    [Fact]
    public async Task Sources_and_campaigns_account_for_every_lead_with_rates_inside_their_intervals()
    {
        var report = await GetAsync("/api/insights/sources");

        report.GetProperty("totalLeads").GetInt32().ShouldBe(app.SeededCount);
        foreach (var table in new[] { "sources", "campaigns" })
        {
            var rows = report.GetProperty(table).EnumerateArray().ToList();
            rows.ShouldNotBeEmpty();
            rows.Sum(r => r.GetProperty("leads").GetInt32()).ShouldBe(app.SeededCount);
            foreach (var r in rows)
            {
                (r.GetProperty("won").GetInt32() + r.GetProperty("lost").GetInt32() + r.GetProperty("open").GetInt32()).ShouldBe(r.GetProperty("leads").GetInt32());
                if (r.GetProperty("conversionRate").ValueKind == JsonValueKind.Number)
                    r.GetProperty("conversionRate").GetDouble().ShouldBeInRange(r.GetProperty("conversionLow").GetDouble(), r.GetProperty("conversionHigh").GetDouble());
            }
            // Open leads are scored in this app, so some rows have a mean score.
            rows.ShouldContain(r => r.GetProperty("meanScore").ValueKind == JsonValueKind.Number);
        }
    }

    [Fact]
    public async Task The_team_report_covers_every_lead_per_rep_and_refuses_an_unknown_period()
    {
        var report = await GetAsync("/api/insights/team?days=365");

        report.GetProperty("days").GetInt32().ShouldBe(365);
        var reps = report.GetProperty("reps").EnumerateArray().ToList();
        reps.Count.ShouldBeGreaterThan(1);
        reps.Sum(r => r.GetProperty("leadsOwned").GetInt32()).ShouldBe(app.SeededCount);
        reps.ShouldContain(r => r.GetProperty("followUpsSent").GetInt32() > 0);
        foreach (var r in reps)
        {
            var hasRate = r.GetProperty("replyRate").ValueKind == JsonValueKind.Number;
            // Either a rate or the reason there is none, never both or neither.
            (r.GetProperty("replyRateNote").ValueKind == JsonValueKind.String).ShouldBe(!hasRate);
        }

        using var client = app.CreateClient();
        using var bad = await client.GetAsync("/api/insights/team?days=7", Ct);
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = JsonDocument.Parse(await bad.Content.ReadAsStringAsync(Ct)).RootElement;
        problem.GetProperty("detail").GetString().ShouldBe("'days' is 7; use one of 30, 90, 365.");
    }

    [Fact]
    public async Task The_model_report_has_the_active_versions_charts_and_drift_over_ten_bands()
    {
        var report = await GetAsync("/api/models/report");

        var active = report.GetProperty("active");
        active.GetProperty("version").GetProperty("status").GetString().ShouldBe("Active");
        var evaluation = active.GetProperty("evaluation");
        evaluation.GetProperty("reliability").GetArrayLength().ShouldBeGreaterThan(0);
        evaluation.GetProperty("lift").GetArrayLength().ShouldBe(10);
        evaluation.GetProperty("importance").GetArrayLength().ShouldBeGreaterThan(0);
        var drift = active.GetProperty("drift");
        drift.GetProperty("bins").GetArrayLength().ShouldBe(10);
        drift.GetProperty("openLeads").GetInt32().ShouldBeGreaterThan(0);
        drift.GetProperty("psi").GetDouble().ShouldBeGreaterThanOrEqualTo(0);
        drift.GetProperty("bins").EnumerateArray().Sum(b => b.GetProperty("openShare").GetDouble()).ShouldBe(1, 1e-9);
        report.GetProperty("versions").GetArrayLength().ShouldBeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task The_sources_campaigns_and_team_tables_export_as_csv_and_xlsx_with_a_row_each()
    {
        using var client = app.CreateClient();
        var report = await GetAsync("/api/insights/sources");
        var team = await GetAsync("/api/insights/team?days=365");

        var sources = await client.GetStringAsync("/api/insights/sources/export?format=csv", Ct);
        var campaigns = await client.GetStringAsync("/api/insights/sources/export?format=csv&by=campaign", Ct);
        var reps = await client.GetStringAsync("/api/insights/team/export?format=csv&days=365", Ct);
        using var xlsx = await client.GetAsync("/api/insights/team/export?format=xlsx&days=365", Ct);
        using var badPeriod = await client.GetAsync("/api/insights/team/export?format=csv&days=7", Ct);

        static int Lines(string csv) => csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1;
        sources.ShouldStartWith("Source,Leads,Won,Lost,Open,Conversion rate");
        Lines(sources).ShouldBe(report.GetProperty("sources").GetArrayLength());
        campaigns.ShouldStartWith("Campaign,");
        Lines(campaigns).ShouldBe(report.GetProperty("campaigns").GetArrayLength());
        Lines(reps).ShouldBe(team.GetProperty("reps").GetArrayLength());
        xlsx.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        (await xlsx.Content.ReadAsByteArrayAsync(Ct)).Take(2).ShouldBe("PK"u8.ToArray()); // a zip container, as every .xlsx is
        badPeriod.StatusCode.ShouldBe(System.Net.HttpStatusCode.BadRequest);
    }
}
