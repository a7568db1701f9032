using System.Net;
using System.Net.Http.Json;
using GrowthBrain.Accounts;
using GrowthBrain.Data;
using GrowthBrain.Web.Accounts;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GrowthBrain.Web.Tests;

/// <summary>
/// A user of team B guesses team A's ids on every API endpoint the app maps (found at run time, so an
/// endpoint added later is covered without touching this test) and on the pages: nothing of team A
/// comes back and nothing of it changes.
/// </summary>
public abstract class TeamIsolationTests<TFixture>(TFixture app) : IClassFixture<TFixture>
    where TFixture : WebAppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Plausible bodies, so an endpoint gets past validation to the point where it looks the record up.
    private const string Body = """
        {"type":"Call","subject":"guess","occurredAt":"2026-01-01T00:00:00Z","force":true,"reason":"guess","grade":"A",
         "rating":5,"comment":"guess","subjectLine":"guess","body":"guess","email":"guess@example.com","name":"guess",
         "scopes":["read"],"leads":[{"fields":{"Company":"Guess"}}],"goal":"FirstTouch","tone":"Friendly"}
        """;

    private sealed record TeamASnapshot(int Leads, int Activities, int Scores, string Models, DateTime? KnownLeadUpdated, double? KnownLeadScore);

    private async Task<TeamASnapshot> SnapshotAsync()
    {
        await using var scope = app.Services.CreateSystemScope("tests");
        var db = scope.ServiceProvider.GetRequiredService<GrowthBrainDb>();
        var known = await db.Leads.AsNoTracking().FirstAsync(l => l.Id == app.KnownLead.Id, Ct);
        var models = string.Join(",", await db.ModelVersions.AsNoTracking().Where(m => m.TeamId == 1).OrderBy(m => m.Id).Select(m => m.Status).ToListAsync(Ct));
        return new TeamASnapshot(
            await db.Leads.CountAsync(l => l.TeamId == 1, Ct), await db.Activities.CountAsync(a => a.TeamId == 1, Ct),
            await db.LeadScores.CountAsync(s => s.TeamId == 1, Ct), models, known.UpdatedAt, known.ScoreProbability);
    }

    [Fact]
    public async Task A_user_of_another_team_can_neither_read_nor_change_team_As_records_through_any_api_endpoint()
    {
        var (_, key) = await app.AddUserAsync($"rival-{Guid.NewGuid():N}@example.com", UserRole.Manager, "Rivals");
        using var rival = app.CreateClient(key);
        var before = await SnapshotAsync();
        var known = app.KnownLead;
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true).ToList();
        endpoints.Count.ShouldBeGreaterThan(10);
        var failures = new List<string>();
        var checkedCount = 0;

        foreach (var endpoint in endpoints)
        {
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            var hasId = endpoint.RoutePattern.Parameters.Count > 0;
            foreach (var guess in hasId ? new[] { known.Id, 1L } : [0L])
            {
                var path = endpoint.RoutePattern.Parameters.Aggregate(endpoint.RoutePattern.RawText!,
                    (p, parameter) => System.Text.RegularExpressions.Regex.Replace(p, "\\{" + parameter.Name + "[^}]*\\}", guess.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                foreach (var method in methods)
                {
                    using var request = new HttpRequestMessage(new HttpMethod(method), path);
                    if (method is "POST" or "PUT" or "PATCH") request.Content = new StringContent(Body, System.Text.Encoding.UTF8, "application/json");
                    using var response = await rival.SendAsync(request, Ct);
                    var text = await response.Content.ReadAsStringAsync(Ct);
                    checkedCount++;
                    if ((int)response.StatusCode >= 500) failures.Add($"{method} {path}: {(int)response.StatusCode} {text[..Math.Min(200, text.Length)]}");
                    else if (hasId && response.IsSuccessStatusCode) failures.Add($"{method} {path}: {(int)response.StatusCode} for team A's id");
                    else if (known.Email is { } email && text.Contains(email, StringComparison.OrdinalIgnoreCase)) failures.Add($"{method} {path}: shows team A's lead {email}");
                    else if (text.Contains(known.LastName!, StringComparison.Ordinal) && text.Contains(known.FirstName!, StringComparison.Ordinal))
                        failures.Add($"{method} {path}: shows team A's lead {known.FirstName} {known.LastName}");
                }
            }
        }

        failures.ShouldBeEmpty();
        checkedCount.ShouldBeGreaterThan(15);
        (await SnapshotAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task A_user_of_another_team_sees_no_lead_page_of_team_A()
    {
        var (user, _) = await app.AddUserAsync($"rival-page-{Guid.NewGuid():N}@example.com", UserRole.Rep, "Rivals");
        using var client = SignInForms.CookieClient(app.BaseAddress);
        using (var signIn = await SignInForms.SignInAsync(client, user.Email, WebAppFixture.UserPassword, Ct))
        {
            signIn.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        }

        var html = await (await client.GetAsync($"/leads/{app.KnownLead.Id}", Ct)).Content.ReadAsStringAsync(Ct);

        html.ShouldContain($"There is no lead {app.KnownLead.Id}");
        html.ShouldNotContain(app.KnownLead.Email!);
    }
}

public sealed class TeamIsolationTests_Sqlite(ScoredSignInSqliteWebAppFixture app) : TeamIsolationTests<ScoredSignInSqliteWebAppFixture>(app);

public sealed class TeamIsolationTests_Postgres(ScoredSignInPostgresWebAppFixture app) : TeamIsolationTests<ScoredSignInPostgresWebAppFixture>(app);

/// <summary>The live page (a Blazor circuit, whose services are not the request's) is limited to the user's team too.</summary>
public sealed class TeamIsolationPageTests(SignInSqliteWebAppFixture app, BrowserFixture browser)
    : IClassFixture<SignInSqliteWebAppFixture>, IClassFixture<BrowserFixture>
{
    private const float Timeout = 45_000;

    [Fact]
    public async Task A_rep_of_another_team_signs_in_and_the_live_leads_table_shows_none_of_team_As_leads()
    {
        var (user, _) = await app.AddUserAsync($"rival-browser-{Guid.NewGuid():N}@example.com", UserRole.Rep, "Rivals");
        SetDefaultExpectTimeout(Timeout);

        await browser.RunAsync(app.BaseAddress, "/leads", Timeout, async page =>
        {
            // Sent to sign in first, then back to the leads.
            await page.WaitForURLAsync("**/account/login**");
            await page.GetByLabel("E-mail").FillAsync(user.Email);
            await page.GetByLabel("Password", new() { Exact = true }).FillAsync(WebAppFixture.UserPassword);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await page.WaitForURLAsync("**/leads");

            await Expect(page.GetByTestId("signed-in-as")).ToContainTextAsync("(Rep)");
            // "No leads match" appears only once the live table has asked the server for its rows.
            await Expect(page.GetByText("No leads match.")).ToBeVisibleAsync();
            await Expect(page.Locator("#leads-table")).Not.ToContainTextAsync(app.KnownLead.Email!);
        }, nameof(A_rep_of_another_team_signs_in_and_the_live_leads_table_shows_none_of_team_As_leads));
    }
}
