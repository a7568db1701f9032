using GrowthBrain.Integrations;

namespace GrowthBrain.Tests.Integrations.Salesforce;

/// <summary>What GrowthBrain writes into Salesforce: scores into the fields an admin made, tasks, erasures; and the describe it reads.</summary>
public sealed class SalesforceWriteTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Describe_lists_lead_status_and_is_converted_with_picklist_values_for_the_outcome()
    {
        await using var h = await SalesforceHarness.StartAsync();

        var properties = await h.Connector.DescribeAsync(Ct);

        var status = properties.Single(p => p is { Object: "Lead", Name: "Status" });
        status.Label.ShouldBe("Lead Status");
        status.Options.ShouldBe(FakeSalesforceStore.LeadStatuses);
        properties.ShouldContain(p => p.Object == "Lead" && p.Name == "IsConverted" && p.Type == "boolean");
        properties.ShouldContain(p => p.Object == "Contact" && p.Name == "Email");
        properties.ShouldNotContain(p => p.Type == "address");
        var mapping = GrowthBrain.Integrations.Sync.CrmMapping.Suggest(properties);
        mapping.Won.ShouldContain("Closed - Converted");
        mapping.Lost.ShouldContain("Closed - Not Converted");
    }

    [Fact]
    public async Task Missing_score_fields_become_exact_instructions_per_field()
    {
        await using var h = await SalesforceHarness.StartAsync();
        h.Fake.Store.RemoveField("Lead", "GrowthBrain_Reasons__c");
        foreach (var f in FakeSalesforceStore.ScoreFields) h.Fake.Store.RemoveField("Contact", f.Name);
        h.Fake.Store.ReplaceField("Lead", FakeSalesforceStore.ScoreFields[1] with { Updateable = false });

        var todo = await h.Connector.EnsureScoreFieldsAsync(Ct);

        todo.Count.ShouldBe(5);
        todo.ShouldContain("In Salesforce Setup → Object Manager → Lead → Fields & Relationships → New: Long Text Area(2000) 'GrowthBrain Reasons' " +
                           "(API name GrowthBrain_Reasons__c), visible and editable for the user GrowthBrain connects as (the REST API cannot create fields).");
        todo.ShouldContain(t => t.Contains("Contact → Fields & Relationships → New: Number(3, 0) 'GrowthBrain Score' (API name GrowthBrain_Score__c)"));
        todo.ShouldContain(t => t.Contains("Lead → Fields & Relationships → GrowthBrain Grade (GrowthBrain_Grade__c) → Set Field-Level Security"));
        (await h.NewConnector().EnsureScoreFieldsAsync(Ct)).Count.ShouldBe(5);
        h.Fake.ApiCalls.ShouldAllBe(c => c.Method == "GET");
    }

    [Fact]
    public async Task Scores_are_written_200_at_a_time_with_refusals_per_record()
    {
        await using var h = await SalesforceHarness.StartAsync();
        var ids = h.Fake.Store.Seed("Lead", 200);
        h.Fake.RefuseIds[ids[3]] = ("FIELD_CUSTOM_VALIDATION_EXCEPTION", "Score cannot change while the lead is in review");
        h.Fake.RefuseIds[ids[4]] = ("UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access to this record");
        var batch = ids.Select((id, i) => new CrmScoreWrite(id, i % 101, "A", $"+12 Job title: VP; -8 No activity in {i} days")).ToList();
        batch[10] = batch[10] with { ExternalId = "00QDn9999999999AAA" };

        var results = await h.Connector.WriteScoresAsync("Lead", batch, Ct);

        results.Count.ShouldBe(200);
        results.Count(r => r.Ok).ShouldBe(197);
        results.Single(r => r.Key == ids[3]).Error!.ShouldStartWith("FIELD_CUSTOM_VALIDATION_EXCEPTION: Score cannot change");
        results.Single(r => r.Key == ids[3]).Retryable.ShouldBeFalse();
        results.Single(r => r.Key == ids[4]).Retryable.ShouldBeTrue();
        results.Single(r => r.Key == "00QDn9999999999AAA").Error!.ShouldContain("INVALID_CROSS_REFERENCE_KEY");
        var written = h.Fake.Store.Get("Lead", ids[42])!;
        written.Text("GrowthBrain_Score__c").ShouldBe("42");
        written.Text("GrowthBrain_Grade__c").ShouldBe("A");
        written.Text("GrowthBrain_Reasons__c").ShouldBe("+12 Job title: VP; -8 No activity in 42 days");
        h.Fake.ApiCalls.Count(c => c.Method == "PATCH").ShouldBe(1);
        h.Fake.ApiCalls.Single(c => c.Method == "PATCH").Body.ShouldContain("\"allOrNone\":false");
    }

    [Fact]
    public async Task Only_the_score_fields_that_exist_are_written_and_with_none_each_record_says_what_to_create()
    {
        await using var h = await SalesforceHarness.StartAsync();
        var lead = h.Fake.Store.Seed("Lead", 1).Single();
        var contact = h.Fake.Store.Seed("Contact", 1).Single();
        h.Fake.Store.RemoveField("Lead", "GrowthBrain_Reasons__c");
        foreach (var f in FakeSalesforceStore.ScoreFields) h.Fake.Store.RemoveField("Contact", f.Name);

        var leads = await h.Connector.WriteScoresAsync("Lead", [new CrmScoreWrite(lead, 80, "A", "r")], Ct);
        var contacts = await h.Connector.WriteScoresAsync("Contact", [new CrmScoreWrite(contact, 80, "A", "r")], Ct);

        leads.Single().Ok.ShouldBeTrue();
        h.Fake.Store.Get("Lead", lead)!.Text("GrowthBrain_Score__c").ShouldBe("80");
        var refused = contacts.Single();
        refused.Ok.ShouldBeFalse();
        refused.Error!.ShouldContain("Object Manager → Contact → Fields & Relationships → New: Number(3, 0) 'GrowthBrain Score'");
        h.Fake.ApiCalls.Count(c => c.Method == "PATCH").ShouldBe(1);
    }

    [Fact]
    public async Task Notes_and_tasks_become_tasks_on_their_leads_and_contacts()
    {
        await using var h = await SalesforceHarness.StartAsync();
        var lead = h.Fake.Store.Seed("Lead", 1).Single();
        var contact = h.Fake.Store.Seed("Contact", 1).Single();
        var due = new DateTime(2027, 3, 2, 15, 30, 0, DateTimeKind.Utc);

        var results = await h.Connector.WriteActivitiesAsync(
        [
            new CrmActivityWrite("draft:1", CrmActivityKind.Note, "Lead", lead, "Follow-up sent", "Hi Ana, ...", null),
            new CrmActivityWrite("step:7:1", CrmActivityKind.Task, "Lead", lead, "Call Ana", "Ask about the pilot", due),
            new CrmActivityWrite("step:8:1", CrmActivityKind.Task, "Contact", contact, "Call Bo", "Intro call", due),
            new CrmActivityWrite("draft:2", CrmActivityKind.Note, "Contact", "003Dn9999999999AAA", "Gone", "Nobody", null),
        ], Ct);

        results.Select(r => (r.Key, r.Ok)).ShouldBe([("draft:1", true), ("step:7:1", true), ("step:8:1", true), ("draft:2", false)]);
        results.Single(r => r.Key == "draft:2").Error!.ShouldContain("WhoId");
        var note = h.Fake.Store.Get("Task", results[0].CreatedId!)!;
        (note.Text("WhoId"), note.Text("Status"), note.Text("Subject")).ShouldBe((lead, "Completed", "Follow-up sent"));
        var task = h.Fake.Store.Get("Task", results[2].CreatedId!)!;
        (task.Text("WhoId"), task.Text("Status"), task.Text("ActivityDate")).ShouldBe((contact, "Not Started", "2027-03-02"));
        h.Fake.ApiCalls.Count(c => c.Method == "POST").ShouldBe(1);
    }

    [Fact]
    public async Task Creating_tasks_is_not_repeated_after_a_server_error_that_may_have_created_them()
    {
        await using var h = await SalesforceHarness.StartAsync();
        var lead = h.Fake.Store.Seed("Lead", 1).Single();
        await h.Connector.TestAsync(Ct);
        h.Fake.FailNext(1, 500);

        var error = await Should.ThrowAsync<CrmException>(() => h.Connector.WriteActivitiesAsync(
            [new CrmActivityWrite("step:1:1", CrmActivityKind.Task, "Lead", lead, "Call", "Call", null)], Ct));

        error.Retryable.ShouldBeTrue();
        h.Fake.ApiCalls.Count(c => c.Method == "POST").ShouldBe(1);
    }

    [Fact]
    public async Task Erasing_deletes_and_a_record_already_gone_counts_as_erased()
    {
        await using var h = await SalesforceHarness.StartAsync();
        var ids = h.Fake.Store.Seed("Lead", 2);
        var contact = h.Fake.Store.Seed("Contact", 1).Single();
        var task = (await h.Connector.WriteActivitiesAsync([new CrmActivityWrite("draft:1", CrmActivityKind.Note, "Lead", ids[1], "s", "b", null)], Ct)).Single().CreatedId!;

        await h.Connector.EraseAsync("Lead", ids[0], Ct);
        await h.Connector.EraseAsync("Lead", ids[0], Ct);
        await h.Connector.EraseAsync("lead", contact, Ct);
        await h.Connector.EraseAsync("notes", task, Ct);
        await h.Connector.EraseAsync("Lead", "00QDn9999999999AAA", Ct);

        h.Fake.Store.Get("Lead", ids[0]).ShouldBeNull();
        h.Fake.Store.Get("Contact", contact).ShouldBeNull();
        h.Fake.Store.Get("Task", task).ShouldBeNull();
        h.Fake.Store.Get("Lead", ids[1]).ShouldNotBeNull();
        h.Fake.ApiCalls.Where(c => c.Method == "DELETE").Select(c => c.Status).ShouldBe([204, 404, 204, 204, 404]);
    }
}
