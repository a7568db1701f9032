using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using GrowthBrain.Data;
using GrowthBrain.Leads;
using GrowthBrain.Scoring;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

using GrowthBrain.Web.Accounts;

namespace GrowthBrain.Web.Tests;

public sealed class ScoreOverrideApiTestsOnSqlite(ScoredSqliteWebAppFixture app) : ScoreOverrideApiTests<ScoredSqliteWebAppFixture>(app);

public sealed class ScoreOverrideApiTestsOnPostgres(ScoredPostgresWebAppFixture app) : ScoreOverrideApiTests<ScoredPostgresWebAppFixture>(app);

/// <summary>POST and DELETE /api/leads/{id}/score/override: set, shown in the list, kept through rescoring, audited, cleared.</summary>
public abstract class ScoreOverrideApiTests<TFixture>(TFixture app) : IClassFixture<TFixture>
    where TFixture : WebAppFixture
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<long> OpenDLeadAsync(int skip = 0)
    {
        await using var scope = app.Services.CreateSystemScope("tests");
        var db = scope.ServiceProvider.GetRequiredService<GrowthBrainDb>();
        return await db.Leads.Where(l => l.Outcome == LeadOutcome.Open && l.ScoreGrade == "D" && l.ScoreOverrideId == null)
            .OrderBy(l => l.Id).Skip(skip).Select(l => l.Id).FirstAsync(Ct);
    }

    [Fact]
    public async Task An_override_set_over_http_is_shown_in_the_list_kept_through_rescoring_audited_and_cleared()
    {
        using var client = app.CreateClient();
        var id = await OpenDLeadAsync();

        using var set = await client.PostAsJsonAsync($"/api/leads/{id}/score/override", new { grade = "A", reason = "CFO confirmed budget on the call" }, Ct);
        set.StatusCode.ShouldBe(HttpStatusCode.OK, await set.Content.ReadAsStringAsync(Ct));
        var view = (await set.Content.ReadFromJsonAsync<ScoreOverrideView>(Json, Ct))!;
        view.Grade.ShouldBe("A");
        view.SetBy.ShouldBe(WebAppFixture.OwnerEmail);

        await using (var scope = app.Services.CreateSystemScope("tests"))
        {
            await scope.ServiceProvider.GetRequiredService<ScoreLeadsHandler>().HandleAsync(new ScoreLeads(), null, Ct);
        }

        var page = (await client.GetFromJsonAsync<LeadPage>("/api/leads?grade=A&outcome=Open&sortBy=score&pageSize=500", Json, Ct))!;
        page.Items.ShouldContain(r => r.Id == id && r.Overridden && r.Grade == "A");
        var history = (await client.GetFromJsonAsync<ScoreHistory>($"/api/leads/{id}/score/history", Json, Ct))!;
        history.ActiveOverride!.Reason.ShouldBe("CFO confirmed budget on the call");

        using var clear = await client.DeleteAsync($"/api/leads/{id}/score/override?reason=Deal%20fell%20through", Ct);
        clear.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        using var after = JsonDocument.Parse(await client.GetStringAsync($"/api/leads/{id}", Ct));
        var lead = after.RootElement.GetProperty("lead");
        lead.GetProperty("scoreGrade").GetString().ShouldBe("D", "the model's latest grade stands again");
        lead.GetProperty("scoreOverrideId").ValueKind.ShouldBe(JsonValueKind.Null);

        await using (var scope = app.Services.CreateSystemScope("tests"))
        {
            var db = scope.ServiceProvider.GetRequiredService<GrowthBrainDb>();
            (await db.AuditEntries.Where(a => a.SubjectKind == "lead" && a.SubjectId == id.ToString()).Select(a => a.Action).ToListAsync(Ct))
                .ShouldBe(["score.override", "score.override.clear"], ignoreOrder: true);
        }
    }

    [Theory]
    [InlineData("""{"grade":"A"}""", "reason is required")]
    [InlineData("""{"grade":"F","reason":"Because I know"}""", "grade is 'F'; use A, B, C or D.")]
    [InlineData("""{"grade":"A","probability":2,"reason":"Because I know"}""", "probability is 2; give a number from 0 to 1")]
    [InlineData("""{"grade":"A","probability":"high","reason":"Because I know"}""", "")]
    public async Task A_bad_override_is_a_400_problem_with_a_clear_message(string json, string message)
    {
        using var client = app.CreateClient();
        var id = await OpenDLeadAsync(1);
        using var response = await client.PostAsync($"/api/leads/{id}/score/override",
            new StringContent(json, System.Text.Encoding.UTF8, "application/json"), Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, body);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        body.ShouldContain(message);
    }

    [Fact]
    public async Task Overriding_an_unknown_lead_is_a_404_problem()
    {
        using var client = app.CreateClient();
        using var response = await client.PostAsJsonAsync("/api/leads/987654321/score/override", new { grade = "B", probability = 0.5, reason = "Known customer" }, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldContain("There is no lead 987654321.");
        using var clear = await client.DeleteAsync("/api/leads/987654321/score/override", Ct);
        clear.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
