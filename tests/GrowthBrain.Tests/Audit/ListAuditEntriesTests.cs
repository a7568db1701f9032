using GrowthBrain.Audit;
using GrowthBrain.Tests.Infrastructure;

namespace GrowthBrain.Tests.Audit;

public sealed class ListAuditEntriesTestsOnSqlite(SqliteDatabases databases) : ListAuditEntriesTests(databases);

public sealed class ListAuditEntriesTestsOnPostgres(PostgresDatabases databases) : ListAuditEntriesTests(databases);

/// <summary>The one audit filter the owners' page, the API and the CSV export share.</summary>
public abstract class ListAuditEntriesTests(IDatabaseProvider databases)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task SeedAsync(TestDatabase database)
    {
        var log = new AuditLog(database.Clock);
        await using var db = database.NewContext();
        // Day 1: two lead actions by ana; day 2: a draft action by ben; day 3: a lead action by ben.
        log.Add(db, "ana@example.com", "lead.scored", subjectKind: "lead", subjectId: "1");
        log.Add(db, "ana@example.com", "lead.created", subjectKind: "lead", subjectId: "2");
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        database.Clock.Advance(TimeSpan.FromDays(1));
        await log.RecordAsync(db, "ben@example.com", "draft.approved", ct: TestContext.Current.CancellationToken);
        database.Clock.Advance(TimeSpan.FromDays(1));
        await log.RecordAsync(db, "ben@example.com", "lead.scored", ct: TestContext.Current.CancellationToken);
    }

    private static async Task<AuditPage> ListAsync(TestDatabase database, AuditFilter filter, int page = 1, int pageSize = 50)
    {
        await using var db = database.NewContext();
        return await new ListAuditEntriesHandler(db).HandleAsync(new ListAuditEntries(filter, page, pageSize), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Filters_by_exact_actor_action_prefix_and_time_range_newest_first()
    {
        await using var database = await databases.CreateAsync(Ct);
        await SeedAsync(database);
        var start = new DateTime(2026, 11, 30, 0, 0, 0, DateTimeKind.Utc);

        (await ListAsync(database, new AuditFilter())).Total.ShouldBe(4);
        var ben = await ListAsync(database, new AuditFilter(Actor: "ben@example.com"));
        ben.Entries.Select(e => e.Action).ShouldBe(["lead.scored", "draft.approved"]);
        (await ListAsync(database, new AuditFilter(Actor: "ben"))).Total.ShouldBe(0, "the actor is matched exactly");
        var leads = await ListAsync(database, new AuditFilter(Action: "lead."));
        leads.Entries.Select(e => (e.Actor, e.Action)).ShouldBe([("ben@example.com", "lead.scored"), ("ana@example.com", "lead.created"), ("ana@example.com", "lead.scored")]);
        var dayTwo = await ListAsync(database, new AuditFilter(From: start.AddDays(1), To: start.AddDays(2)));
        dayTwo.Entries.Single().Action.ShouldBe("draft.approved");
    }

    [Fact]
    public async Task Pages_count_the_whole_match_and_the_export_streams_it_oldest_first()
    {
        await using var database = await databases.CreateAsync(Ct);
        await SeedAsync(database);

        var second = await ListAsync(database, new AuditFilter(), page: 2, pageSize: 3);
        second.Total.ShouldBe(4);
        second.Page.ShouldBe(2);
        second.Entries.Single().Action.ShouldBe("lead.scored");
        second.Entries.Single().Actor.ShouldBe("ana@example.com");
        await Should.ThrowAsync<ArgumentException>(() => ListAsync(database, new AuditFilter(), page: 0));
        await Should.ThrowAsync<ArgumentException>(() => ListAsync(database, new AuditFilter(), pageSize: ListAuditEntriesHandler.MaxPageSize + 1));

        await using var db = database.NewContext();
        var exported = new List<AuditEntry>();
        await foreach (var entry in new ListAuditEntriesHandler(db).ExportAsync(new AuditFilter(Action: "lead."), Ct)) exported.Add(entry);
        exported.Select(e => e.Action).ShouldBe(["lead.scored", "lead.created", "lead.scored"]);
        exported.Select(e => e.Id).ShouldBeInOrder();
    }
}
