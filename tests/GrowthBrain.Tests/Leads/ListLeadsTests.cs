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

    [Fact]
    public async Task Source_owner_and_stage_filter_together_and_the_filter_options_list_what_exists()
    {
        await using var database = await databases.CreateAsync(Ct);
        var now = database.Clock.GetUtcNow().UtcDateTime;
        await using (var db = database.NewContext())
        {
            var teamId = await db.Teams.Select(t => t.Id).FirstAsync(Ct);
            var n = 0;
            Lead L(string? source, string? owner, string? stage, string? status = null, LeadOutcome outcome = LeadOutcome.Open) => new()
            {
                TeamId = teamId, FirstName = $"Lead {++n}", Source = source, Owner = owner, Stage = stage, Status = status, Outcome = outcome,
                CreatedAt = now.AddDays(-n), ClosedAt = outcome == LeadOutcome.Open ? null : now, ImportedAt = now, UpdatedAt = now,
            };
            db.Leads.AddRange(
                L("Web", "Ana", "Qualified"), L("Web", "Ana", "New"), L("Web", "Ben", "Qualified"), L("Fair", "Ana", "Qualified"),
                // No stage: the list shows (and filters by) its status instead.
                L("Fair", "Ben", null, "Nurture"), L(null, null, null),
                L("Partner", "Cleo", "Closed won", outcome: LeadOutcome.Won));
            await db.SaveChangesAsync(Ct);
        }

        await using var read = database.NewContext();
        var handler = new ListLeadsHandler(read);
        var page = await handler.HandleAsync(new ListLeads(Source: "Web", Owner: "Ana", Stage: "Qualified"), Ct);
        var byStatus = await handler.HandleAsync(new ListLeads(Stage: "Nurture"), Ct);
        var options = await new GetLeadFilterOptionsHandler(read).HandleAsync(Ct);

        page.Items.ShouldHaveSingleItem().Name.ShouldBe("Lead 1");
        (page.Total, page.TotalIsCapped).ShouldBe((1, false));
        byStatus.Items.ShouldHaveSingleItem().Stage.ShouldBe("Nurture");
        options.Sources.ShouldBe(["Fair", "Partner", "Web"]);
        options.Owners.ShouldBe(["Ana", "Ben", "Cleo"]);
        options.Stages.ShouldBe(["New", "Qualified"], "the open pipeline's stages; won and lost leads' stages are not offered");
    }
}
