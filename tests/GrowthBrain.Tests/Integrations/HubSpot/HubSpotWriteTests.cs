using GrowthBrain.Integrations;
using GrowthBrain.Privacy;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBrain.Tests.Integrations.HubSpot;

/// <summary>Writing back: score properties, scores with per-record errors, notes and tasks, erasure.</summary>
public sealed class HubSpotWriteTests
{
    [Fact]
    public async Task Scores_land_on_the_contacts_as_text()
    {
        await using var hub = await HubSpotHarness.StartAsync();
        await hub.Connector.EnsureScoreFieldsAsync(HubSpotHarness.Ct);
        var ids = hub.Fake.SeedContacts(3);

        var results = await hub.Connector.WriteScoresAsync("contacts", ids.Select((id, i) => new CrmScoreWrite(id, 90 - i, "A", $"+12 Job title: VP #{i}")).ToList(), HubSpotHarness.Ct);

        results.ShouldAllBe(r => r.Ok);
        var written = hub.Fake.ContactProperties(ids[1])!;
        (written["growthbrain_score"], written["growthbrain_grade"], written["growthbrain_reasons"]).ShouldBe(("89", "A", "+12 Job title: VP #1"));
    }

    [Fact]
    public async Task A_207_answer_fails_only_the_records_it_names_with_hubspot_s_words()
    {
        await using var hub = await HubSpotHarness.StartAsync();
        await hub.Connector.EnsureScoreFieldsAsync(HubSpotHarness.Ct);
        var ids = hub.Fake.SeedContacts(4);
        hub.Fake.FailingUpdates[ids[2]] = ("LOCKED", "The record is locked by another process");

        var results = await hub.Connector.WriteScoresAsync("contacts",
            [.. ids.Select(id => new CrmScoreWrite(id, 50, "B", "r")), new CrmScoreWrite("404404404", 50, "B", "r")], HubSpotHarness.Ct);

        results.Count.ShouldBe(5);
        results.Where(r => r.Ok).Select(r => r.Key).ShouldBe([ids[0], ids[1], ids[3]], ignoreOrder: true);
        var locked = results.Single(r => r.Key == ids[2]);
        (locked.Ok, locked.Retryable).ShouldBe((false, true));
        locked.Error!.ShouldContain("locked");
        var missing = results.Single(r => r.Key == "404404404");
        (missing.Ok, missing.Retryable).ShouldBe((false, false));
        missing.Error!.ShouldContain("OBJECT_NOT_FOUND");
        hub.Fake.ContactProperties(ids[3])!["growthbrain_grade"].ShouldBe("B");
    }

    [Fact]
    public async Task A_value_hubspot_refuses_fails_its_record_and_the_rest_of_the_batch_is_still_written()
    {
        await using var hub = await HubSpotHarness.StartAsync();
        await hub.Connector.EnsureScoreFieldsAsync(HubSpotHarness.Ct);
        var ids = hub.Fake.SeedContacts(100);
        var batch = ids.Select((id, i) => new CrmScoreWrite(id, 70, i == 37 ? "E" : "C", "r")).ToList();

        var results = await hub.Connector.WriteScoresAsync("contacts", batch, HubSpotHarness.Ct);

        results.Single(r => !r.Ok).Key.ShouldBe(ids[37]);
        results.Single(r => !r.Ok).Error!.ShouldContain("not one of the allowed options");
        results.Count(r => r.Ok).ShouldBe(99);
        hub.Fake.ContactProperties(ids[99])!["growthbrain_grade"].ShouldBe("C");
    }

    [Fact]
    public async Task A_refused_token_fails_the_whole_write_call()
    {
        await using var hub = await HubSpotHarness.StartAsync();
        var ids = hub.Fake.SeedContacts(2);
        hub.Fake.ExpireToken();

        var error = await Should.ThrowAsync<CrmException>(() => hub.Connector.WriteScoresAsync("contacts", [new CrmScoreWrite(ids[0], 1, "D", "r")], HubSpotHarness.Ct));

        error.Status.ShouldBe(401);
    }

    [Fact]
    public async Task Score_fields_are_created_once_in_a_growthbrain_group()
    {
        await using var hub = await HubSpotHarness.StartAsync();

        (await hub.Connector.EnsureScoreFieldsAsync(HubSpotHarness.Ct)).ShouldBeEmpty();
        (await hub.Connector.EnsureScoreFieldsAsync(HubSpotHarness.Ct)).ShouldBeEmpty();

        hub.Fake.Count("POST", "/crm/v3/properties/contacts").ShouldBe(4);
        hub.Fake.Store.HasGroup("growthbrain").ShouldBeTrue();
        hub.Fake.Store.Property("growthbrain_score")!["type"]!.GetValue<string>().ShouldBe("number");
        hub.Fake.Store.Property("growthbrain_grade")!["type"]!.GetValue<string>().ShouldBe("enumeration");
        hub.Fake.Store.Property("growthbrain_reasons")!["fieldType"]!.GetValue<string>().ShouldBe("textarea");
    }

    [Fact]
    public async Task Without_the_schema_write_scope_the_admin_is_told_what_to_create_by_hand()
    {
        await using var hub = await HubSpotHarness.StartAsync();
        hub.Fake.Scopes.Remove(FakeHubSpotServer.SchemaWriteScope);

        var manual = await hub.Connector.EnsureScoreFieldsAsync(HubSpotHarness.Ct);

        manual.Count.ShouldBe(3);
        manual.ShouldAllBe(m => m.Contains("crm.schemas.contacts.write"));
        manual.ShouldContain(m => m.Contains("growthbrain_grade") && m.Contains("Dropdown select"));
    }

    [Fact]
    public async Task Notes_and_call_tasks_are_created_on_their_contacts_and_each_key_gets_its_own_id()
    {
        await using var hub = await HubSpotHarness.StartAsync();
        var ids = hub.Fake.SeedContacts(2);
        var due = new DateTime(2024, 6, 3, 14, 0, 0, DateTimeKind.Utc);

        var results = await hub.Connector.WriteActivitiesAsync(
        [
            new CrmActivityWrite("draft:1", CrmActivityKind.Note, "contacts", ids[0], "Pipeline planning", "Hi Anna,\nshall we talk?", null),
            new CrmActivityWrite("draft:2", CrmActivityKind.Note, "contacts", ids[1], "Second", "Body two", null),
            new CrmActivityWrite("step:7:3", CrmActivityKind.Task, "contacts", ids[1], "Call Anna", "Ask about the pilot", due),
        ], HubSpotHarness.Ct);

        results.ShouldAllBe(r => r.Ok && r.CreatedId != null);
        var notes = hub.Fake.Store.Activities("notes");
        var first = notes.Single(n => n.Id == results.Single(r => r.Key == "draft:1").CreatedId);
        first.Associations.ShouldBe([(ids[0], 202)]);
        first.Properties["hs_note_body"].ShouldBe("<strong>Pipeline planning</strong><br>Hi Anna,<br>shall we talk?");
        var task = hub.Fake.Store.Activities("tasks").Single();
        task.Id.ShouldBe(results.Single(r => r.Key == "step:7:3").CreatedId);
        task.Associations.ShouldBe([(ids[1], 204)]);
        (task.Properties["hs_task_subject"], task.Properties["hs_task_status"], task.Properties["hs_task_type"], task.Properties["hs_timestamp"])
            .ShouldBe(("Call Anna", "NOT_STARTED", "CALL", "2024-06-03T14:00:00.000Z"));
    }

    [Fact]
    public async Task A_note_for_a_contact_that_is_gone_fails_alone()
    {
        await using var hub = await HubSpotHarness.StartAsync();
        var ids = hub.Fake.SeedContacts(3);

        var results = await hub.Connector.WriteActivitiesAsync(
            [.. ids.Select((id, i) => new CrmActivityWrite($"draft:{i}", CrmActivityKind.Note, "contacts", id, "s", "b", null)),
                new CrmActivityWrite("draft:gone", CrmActivityKind.Note, "contacts", "777777", "s", "b", null)], HubSpotHarness.Ct);

        results.Single(r => !r.Ok).Key.ShouldBe("draft:gone");
        hub.Fake.Store.Activities("notes").Count.ShouldBe(3);
    }

    [Fact]
    public async Task Erasure_deletes_the_contact_and_a_contact_already_gone_counts_as_erased()
    {
        await using var hub = await HubSpotHarness.StartAsync();
        var ids = hub.Fake.SeedContacts(2);

        await hub.Connector.EraseAsync("contacts", ids[0], HubSpotHarness.Ct);
        await hub.Connector.EraseAsync("contacts", ids[0], HubSpotHarness.Ct);

        hub.Fake.ContactProperties(ids[0]).ShouldBeNull();
        hub.Fake.ContactProperties(ids[1]).ShouldNotBeNull();
        hub.Fake.Count("POST", "/crm/v3/objects/contacts/gdpr-delete").ShouldBe(2);
    }

    [Fact]
    public async Task An_erasure_hubspot_refuses_is_not_reported_done()
    {
        await using var hub = await HubSpotHarness.StartAsync();
        var id = hub.Fake.SeedContacts(1)[0];
        hub.Fake.Scopes.Remove(FakeHubSpotServer.WriteScope);

        var error = await Should.ThrowAsync<CrmException>(() => hub.Connector.EraseAsync("contacts", id, HubSpotHarness.Ct));

        error.Message.ShouldContain("crm.objects.contacts.write");
        hub.Fake.ContactProperties(id).ShouldNotBeNull();
    }
}
