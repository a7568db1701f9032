using System.Text.Json.Nodes;
using GrowthBrain.Integrations;
using GrowthBrain.Integrations.Pipedrive;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBrain.Tests.Integrations.Pipedrive;

/// <summary>Score fields, score writes, notes and tasks, erasure and the limits of the Pipedrive connector.</summary>
public sealed class PipedriveWriteTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private PipedriveHarness _h = null!;

    public async ValueTask InitializeAsync() => _h = await PipedriveHarness.StartAsync();

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    private static CrmScoreWrite Score(string id, int score = 72) => new(id, score, "B", "+12 Job title: VP; -8 No reply yet");

    [Fact]
    public async Task Score_fields_are_created_when_missing_and_not_again_when_present()
    {
        (await _h.Connector.EnsureScoreFieldsAsync(Ct)).ShouldBeEmpty();
        _h.Fake.Count("POST", "/v1/personFields").ShouldBe(3);
        var fields = _h.Fake.Store.Fields.Where(f => f.Name.StartsWith("GrowthBrain", StringComparison.Ordinal)).ToList();
        fields.Select(f => (f.Name, f.Type)).ShouldBe([("GrowthBrain score", "double"), ("GrowthBrain grade", "varchar"), ("GrowthBrain reasons", "text")]);
        fields.ShouldAllBe(f => f.Key.Length == 40);

        (await _h.Connector.EnsureScoreFieldsAsync(Ct)).ShouldBeEmpty();
        _h.Fake.Count("POST", "/v1/personFields").ShouldBe(3, "present fields are not created again");
    }

    [Fact]
    public async Task A_user_who_may_not_create_fields_gets_what_an_admin_must_do()
    {
        _h.Fake.AllowFieldCreation = false;
        var todo = await _h.Connector.EnsureScoreFieldsAsync(Ct);
        todo.Single().ShouldContain("GrowthBrain score");
        todo.Single().ShouldContain("Settings > Data fields");
    }

    [Fact]
    public async Task Scores_are_written_by_field_key_one_by_one_with_a_result_per_record()
    {
        var ids = _h.Fake.Store.Seed(4);
        _h.Fake.RefuseIds.Add(ids[2]);
        await _h.Connector.EnsureScoreFieldsAsync(Ct);

        var results = await _h.Connector.WriteScoresAsync("persons", [Score(ids[0], 81), Score(ids[1]), Score(ids[2]), Score("999999")], Ct);

        results.Select(r => (r.Key, r.Ok)).ShouldBe([(ids[0], true), (ids[1], true), (ids[2], false), ("999999", false)]);
        results[2].Error!.ShouldContain("locked by a workflow");
        results[3].Error!.ShouldContain("no such person");
        results.ShouldAllBe(r => !r.Retryable);
        _h.Fake.Store.CustomValue(ids[0], "GrowthBrain score")!.GetValue<int>().ShouldBe(81);
        _h.Fake.Store.CustomValue(ids[0], "GrowthBrain grade")!.GetValue<string>().ShouldBe("B");
        _h.Fake.Store.CustomValue(ids[0], "GrowthBrain reasons")!.GetValue<string>().ShouldStartWith("+12 Job title");
    }

    [Fact]
    public async Task A_score_field_deleted_in_pipedrive_is_found_again_after_it_was_recreated()
    {
        var ids = _h.Fake.Store.Seed(1);
        await _h.Connector.EnsureScoreFieldsAsync(Ct);
        (await _h.Connector.WriteScoresAsync("persons", [Score(ids[0])], Ct)).Single().Ok.ShouldBeTrue();
        _h.Fake.Store.RemoveField("GrowthBrain grade");
        _h.Fake.Store.AddField("GrowthBrain grade", "varchar");

        (await _h.Connector.WriteScoresAsync("persons", [Score(ids[0], 10)], Ct)).Single().Ok.ShouldBeTrue();
        _h.Fake.Store.CustomValue(ids[0], "GrowthBrain grade")!.GetValue<string>().ShouldBe("B");
    }

    [Fact]
    public async Task Notes_and_call_tasks_are_created_on_the_person_and_return_their_ids()
    {
        var ids = _h.Fake.Store.Seed(1);
        var due = new DateTime(2026, 12, 3, 14, 30, 0, DateTimeKind.Utc);
        var results = await _h.Connector.WriteActivitiesAsync(
        [
            new CrmActivityWrite("note:1", CrmActivityKind.Note, "persons", ids[0], "Follow-up approved", "Hi <Ana>,\nthanks", null),
            new CrmActivityWrite("task:2", CrmActivityKind.Task, "persons", ids[0], "Call Ana", "Step 3 of the sequence", due),
            new CrmActivityWrite("note:3", CrmActivityKind.Note, "persons", "999999", "Lost", "Nobody", null),
        ], Ct);

        results.Select(r => (r.Key, r.Ok)).ShouldBe([("note:1", true), ("task:2", true), ("note:3", false)]);
        var note = _h.Fake.Store.Activities.Single(a => a.Kind == "notes");
        (note.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), note.PersonId.ToString(System.Globalization.CultureInfo.InvariantCulture)).ShouldBe((results[0].CreatedId, ids[0]));
        note.Body["content"]!.GetValue<string>().ShouldContain("&lt;Ana&gt;");
        var task = _h.Fake.Store.Activities.Single(a => a.Kind == "activities").Body;
        (task["type"]!.GetValue<string>(), task["due_date"]!.GetValue<string>(), task["due_time"]!.GetValue<string>()).ShouldBe(("call", "2026-12-03", "14:30"));
    }

    [Fact]
    public async Task Erase_deletes_the_person_and_a_person_already_gone_counts_as_erased()
    {
        var ids = _h.Fake.Store.Seed(2);
        await _h.Connector.EraseAsync("persons", ids[0], Ct);
        _h.Fake.Store.Person(ids[0]).ShouldBeNull();
        await _h.Connector.EraseAsync("persons", ids[0], Ct);
        await _h.Connector.EraseAsync("persons", "424242", Ct);
        _h.Fake.Store.Person(ids[1]).ShouldNotBeNull();
    }

    [Fact]
    public async Task The_burst_limit_is_never_exceeded_and_pipedrives_lower_limit_is_followed()
    {
        await using var h = await PipedriveHarness.StartAsync(s => { s["Crm:Pipedrive:BurstPer2Seconds"] = "8"; s["Crm:Pipedrive:BurstWindow"] = "00:00:00.300"; });
        h.Fake.BurstLimit = 5;
        h.Fake.BurstWindow = TimeSpan.FromMilliseconds(300);
        var ids = h.Fake.Store.Seed(40);
        await h.Connector.EnsureScoreFieldsAsync(Ct);

        var results = await h.Connector.WriteScoresAsync("persons", ids.Select(id => Score(id)).ToList(), Ct);

        results.ShouldAllBe(r => r.Ok);
        h.Fake.MaxInWindow.ShouldBeLessThanOrEqualTo(5);
        h.Limiter.BurstLimit.ShouldBe(5, "Pipedrive's x-ratelimit-limit is lower than configured");
        // At most the first window's calls may meet Pipedrive's limit before its header says it is lower than configured.
        h.Fake.Limited.ShouldBeLessThanOrEqualTo(3);
    }

    [Fact]
    public async Task A_batch_the_daily_budget_cannot_cover_is_refused_before_its_first_write_and_goes_through_the_next_day()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
        await using var h = await PipedriveHarness.StartAsync(s => s["Crm:Pipedrive:DailyTokenBudget"] = "100", clock);
        var ids = h.Fake.Store.Seed(30);
        await h.Connector.EnsureScoreFieldsAsync(Ct);
        var spent = h.Limiter.SpentToday;
        spent.ShouldBeGreaterThan(0);

        var refused = await Should.ThrowAsync<CrmException>(() => h.Connector.WriteScoresAsync("persons", ids.Select(id => Score(id)).ToList(), Ct));

        refused.Retryable.ShouldBeTrue();
        refused.Message.ShouldContain("daily Pipedrive API budget would be exceeded");
        refused.Message.ShouldContain("continues tomorrow");
        h.Fake.Count("PATCH", "/api/v2/persons").ShouldBe(0, "nothing was written half-way");
        (await h.Connector.TestAsync(Ct)).Message.ShouldContain("API tokens are left");

        clock.Advance(TimeSpan.FromDays(1));
        h.Fake.NewDay();
        (await h.Connector.WriteScoresAsync("persons", ids.Take(10).Select(id => Score(id)).ToList(), Ct)).ShouldAllBe(r => r.Ok);
    }
}
