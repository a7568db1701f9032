using GrowthBrain.Leads;
using GrowthBrain.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace GrowthBrain.Tests.Leads;

public sealed class ListLeadsTestsOnSqlite(SqliteDatabases databases) : ListLeadsTests(databases);

public sealed class ListLeadsTestsOnPostgres(PostgresDatabases databases) : ListLeadsTests(databases);

/// <summary>Filtered lists count their matches only up to the cap, so a broad filter does not read a million leads per page.</summary>
public abstract class ListLeadsTests(IDatabaseProvider databases)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_filter_matching_more_than_the_cap_says_so_and_still_gives_the_right_first_page()
    {
        await using var database = await databases.CreateAsync(Ct);
        var now = database.Clock.GetUtcNow().UtcDateTime;
        await using (var db = database.NewContext())
        {
            var teamId = await db.Teams.Select(t => t.Id).FirstAsync(Ct);
            Lead L(int i, string source) => new()
            {
                TeamId = teamId, FirstName = $"Lead {i}", Source = source, CreatedAt = now.AddMinutes(-i), ImportedAt = now, UpdatedAt = now,
                ScoreProbability = i % 7 == 0 ? null : (i % 1000) / 1000.0, ScoreGrade = "C",
            };
            db.Leads.AddRange(Enumerable.Range(0, ListLeads.CountCap + 5).Select(i => L(i, "Web")));
            db.Leads.AddRange(Enumerable.Range(0, 3).Select(i => L(i, "Fair")));
            await db.SaveChangesAsync(Ct);
        }

        await using var read = database.NewContext();
        var handler = new ListLeadsHandler(read);
        var web = await handler.HandleAsync(new ListLeads(Source: "Web", SortBy: "score", Descending: true), Ct);
        var fair = await handler.HandleAsync(new ListLeads(Source: "Fair"), Ct);
        var all = await handler.HandleAsync(new ListLeads(), Ct);
        // "Lead 1", 10..19, 100..199, 1000..1999 and 10000..10004 from Web, and "Lead 1" from Fair: under the cap, counted exactly.
        var searched = await handler.HandleAsync(new ListLeads(Search: "Lead 1"), Ct);

        (web.Total, web.TotalIsCapped).ShouldBe((ListLeads.CountCap, true));
        web.Items.Count.ShouldBe(25);
        var expected = await read.Leads.AsNoTracking().Where(l => l.Source == "Web").Select(l => new { l.Id, l.ScoreProbability }).ToListAsync(Ct);
        web.Items.Select(i => i.Id).ShouldBe(expected.OrderBy(l => l.ScoreProbability == null).ThenByDescending(l => l.ScoreProbability).ThenBy(l => l.Id)
            .Take(25).Select(l => l.Id));
        (fair.Total, fair.TotalIsCapped).ShouldBe((3, false));
        (all.Total, all.TotalIsCapped).ShouldBe((ListLeads.CountCap + 8, false), "the unfiltered total comes from the kept counts, exact at any size");
        (searched.Total, searched.TotalIsCapped).ShouldBe((1 + 10 + 100 + 1000 + 5 + 1, false));
    }
}
