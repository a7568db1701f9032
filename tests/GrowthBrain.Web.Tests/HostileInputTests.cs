using System.Net;
using System.Text;
using GrowthBrain.Data;
using GrowthBrain.Web.Accounts;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBrain.Web.Tests;

/// <summary>
/// Malformed and hostile input to every API endpoint the app maps, as the owner (so nothing is stopped
/// by authorisation first): never a 500, and nothing written.
/// </summary>
public abstract class HostileInputTests<TFixture>(TFixture app) : IClassFixture<TFixture>
    where TFixture : WebAppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] Bodies =
    [
        "{", "[]", "null", "\"text\"", "12", "{\"leads\":null}", "{\"leads\":[null]}", "{\"type\":12,\"occurredAt\":\"yesterday\"}",
        "{\"name\":\"" + new string('x', 100_000) + "\",\"email\":\"" + new string('y', 5_000) + "@x\"}",
        "{\"leads\":[{\"fields\":{\"Company\":\"=cmd|' /C calc'!A0\",\"Notes\":\"\\u0000<script>alert(1)</script>\",\"CompanySize\":\"1e400\"}}]}",
        "{\"page\":-1,\"pageSize\":1000000,\"rating\":99,\"scopes\":[\"root\"],\"expiresInDays\":-5,\"role\":\"God\"}",
    ];

    private static readonly string[] Queries =
    [
        "?page=-5&pageSize=100000", "?page=abc", "?sortBy=name;DROP TABLE leads&descending=maybe", "?grade=Z&outcome=Maybe",
        "?search=" + Uri.EscapeDataString("' OR 1=1 --") + "&from=notadate", "?search=" + new string('%', 3000),
    ];

    private async Task<(int Leads, int Activities, int Users, int Models)> CountsAsync()
    {
        await using var scope = app.Services.CreateSystemScope("tests");
        var db = scope.ServiceProvider.GetRequiredService<GrowthBrainDb>();
        return (await db.Leads.CountAsync(Ct), await db.Activities.CountAsync(Ct), await db.Users.CountAsync(Ct), await db.ModelVersions.CountAsync(Ct));
    }

    [Fact]
    public async Task No_endpoint_answers_500_or_writes_anything_for_malformed_or_hostile_input()
    {
        using var client = app.CreateClient();
        var before = await CountsAsync();
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true).ToList();
        var failures = new List<string>();

        foreach (var endpoint in endpoints)
        {
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                foreach (var id in endpoint.RoutePattern.Parameters.Count > 0 ? new[] { "-1", "0", "99999999999999999999", "%00", "1" } : [""])
                {
                    var path = endpoint.RoutePattern.Parameters.Aggregate(endpoint.RoutePattern.RawText!,
                        (p, parameter) => System.Text.RegularExpressions.Regex.Replace(p, "\\{" + parameter.Name + "[^}]*\\}", id));
                    var attempts = method is "POST" or "PUT" or "PATCH"
                        ? Bodies.Select(b => (path, (string?)b))
                        : Queries.Select(q => (path + q, (string?)null));
                    foreach (var (url, body) in attempts)
                    {
                        using var request = new HttpRequestMessage(new HttpMethod(method), url);
                        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
                        using var response = await client.SendAsync(request, Ct);
                        if ((int)response.StatusCode >= 500)
                        {
                            var text = await response.Content.ReadAsStringAsync(Ct);
                            failures.Add($"{method} {url[..Math.Min(url.Length, 120)]} with {body?[..Math.Min(body.Length, 60)]}: {(int)response.StatusCode} {text[..Math.Min(text.Length, 300)]}");
                        }
                    }
                }
            }
        }

        failures.ShouldBeEmpty();
        (await CountsAsync()).ShouldBe(before);
    }
}

public sealed class HostileInputTests_Sqlite(ScoredSqliteWebAppFixture app) : HostileInputTests<ScoredSqliteWebAppFixture>(app);

public sealed class HostileInputTests_Postgres(ScoredPostgresWebAppFixture app) : HostileInputTests<ScoredPostgresWebAppFixture>(app);
