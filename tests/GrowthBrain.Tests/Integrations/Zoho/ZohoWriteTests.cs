using GrowthBrain.Integrations;
using GrowthBrain.Privacy;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBrain.Tests.Integrations.Zoho;

/// <summary>What GrowthBrain writes into Zoho: fields, scores, notes, tasks, erasures; and the notifications it trusts.</summary>
public sealed class ZohoWriteTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Describe_lists_each_modules_fields_with_picklist_values()
    {
        await using var h = await ZohoHarness.StartAsync();

        var properties = await h.Connector.DescribeAsync(Ct);

        var status = properties.Single(p => p is { Object: "Leads", Name: "Lead_Status" });
        status.Label.ShouldBe("Lead Status");
        status.Type.ShouldBe("picklist");
        status.Options.ShouldContain("Contacted");
        properties.ShouldContain(p => p.Object == "Contacts" && p.Name == "Account_Name" && p.Type == "lookup");
    }

    [Fact]
    public async Task Score_fields_are_created_when_missing_and_not_again_when_present()
    {
        await using var h = await ZohoHarness.StartAsync();

        var first = await h.Connector.EnsureScoreFieldsAsync(Ct);
        var second = await h.NewConnector().EnsureScoreFieldsAsync(Ct);

        first.ShouldBeEmpty();
        second.ShouldBeEmpty();
        foreach (var module in FakeZohoStore.RecordModules)
        {
            var fields = h.Fake.Store.Fields(module);
            fields.Single(f => f.ApiName == "GrowthBrain_Score").DataType.ShouldBe("integer");
            fields.Single(f => f.ApiName == "GrowthBrain_Grade").DataType.ShouldBe("text");
            fields.Single(f => f.ApiName == "GrowthBrain_Reasons").DataType.ShouldBe("textarea");
        }
        h.Fake.ApiCalls.Count(c => c.Method == "POST").ShouldBe(2);
    }

    [Fact]
    public async Task Fields_Zoho_will_not_create_become_a_manual_instruction()
    {
        await using var h = await ZohoHarness.StartAsync();
        h.Fake.AllowFieldCreation = false;
        h.Fake.Store.AddField("Contacts", "GrowthBrain Score", "integer");

        var todo = await h.Connector.EnsureScoreFieldsAsync(Ct);

        todo.Count.ShouldBe(2);
        todo[0].ShouldContain("Leads");
        todo[0].ShouldContain("'GrowthBrain Score', 'GrowthBrain Grade', 'GrowthBrain Reasons'");
        todo[1].ShouldContain("Contacts");
        todo[1].ShouldNotContain("'GrowthBrain Score',");
        todo[1].ShouldContain("NO_PERMISSION");
    }

    [Fact]
    public async Task Scores_are_written_in_one_call_per_hundred_with_refusals_per_record()
    {
        await using var h = await ZohoHarness.StartAsync();
        var ids = h.Fake.Store.Seed("Leads", 100);
        await h.Connector.EnsureScoreFieldsAsync(Ct);
        h.Fake.RefuseIds.Add(ids[3]);
        var batch = ids.Select((id, i) => new CrmScoreWrite(id, i % 101, "A", $"+12 Job title: VP; -8 No activity in {i} days")).ToList();
        batch[10] = batch[10] with { ExternalId = "4876876000999999999" };

        var results = await h.Connector.WriteScoresAsync("Leads", batch, Ct);

        results.Count.ShouldBe(100);
        results.Count(r => r.Ok).ShouldBe(98);
        results.Single(r => r.Key == ids[3]).Error!.ShouldStartWith("INVALID_DATA");
        results.Single(r => r.Key == "4876876000999999999").Error!.ShouldContain("the id given seems to be invalid");
        results.ShouldAllBe(r => !r.Retryable);
        var written = h.Fake.Store.Get("Leads", ids[42])!;
        written.Text("GrowthBrain_Score").ShouldBe("42");
        written.Text("GrowthBrain_Grade").ShouldBe("A");
        written.Text("GrowthBrain_Reasons").ShouldBe("+12 Job title: VP; -8 No activity in 42 days");
        written.ModifiedTime.ShouldBeGreaterThan(FakeZohoStore.SeedBase.AddHours(1));
        h.Fake.ApiCalls.Count(c => c.Method == "PUT").ShouldBe(1);
        h.Fake.ApiCalls.Single(c => c.Method == "PUT").Status.ShouldBe(207);
    }

    [Fact]
    public async Task Writing_scores_before_the_fields_exist_says_what_to_do()
    {
        await using var h = await ZohoHarness.StartAsync();
        var id = h.Fake.Store.Seed("Contacts", 1).Single();

        var error = await Should.ThrowAsync<CrmException>(() => h.Connector.WriteScoresAsync("Contacts", [new CrmScoreWrite(id, 80, "A", "r")], Ct));

        error.Message.ShouldContain("'GrowthBrain Score'");
        h.Fake.ApiCalls.ShouldNotContain(c => c.Method == "PUT");
    }

    [Fact]
    public async Task Notes_and_tasks_are_created_on_their_records()
    {
        await using var h = await ZohoHarness.StartAsync();
        var lead = h.Fake.Store.Seed("Leads", 1).Single();
        var contact = h.Fake.Store.Seed("Contacts", 1).Single();
        var due = new DateTime(2026, 3, 2, 15, 30, 0, DateTimeKind.Utc);

        var results = await h.Connector.WriteActivitiesAsync(
        [
            new CrmActivityWrite("draft:1", CrmActivityKind.Note, "Leads", lead, "Follow-up sent", "Hi Ana, ...", null),
            new CrmActivityWrite("step:7:1", CrmActivityKind.Task, "Leads", lead, "Call Ana", "Ask about the pilot", due),
            new CrmActivityWrite("step:8:1", CrmActivityKind.Task, "Contacts", contact, "Call Bo", "Intro call", due),
            new CrmActivityWrite("draft:2", CrmActivityKind.Note, "Contacts", "4876876000999999999", "Gone", "Nobody", null),
        ], Ct);

        results.Select(r => (r.Key, r.Ok)).ShouldBe([("draft:1", true), ("draft:2", false), ("step:7:1", true), ("step:8:1", true)], ignoreOrder: true);
        results.Single(r => r.Key == "draft:2").Error!.ShouldContain("Parent_Id");
        var note = h.Fake.Store.Get("Notes", results.Single(r => r.Key == "draft:1").CreatedId!)!;
        note.Fields["Parent_Id"]!["id"]!.GetValue<string>().ShouldBe(lead);
        note.Fields["Parent_Id"]!["module"]!["api_name"]!.GetValue<string>().ShouldBe("Leads");
        note.Text("Note_Content").ShouldBe("Hi Ana, ...");
        var leadTask = h.Fake.Store.Get("Tasks", results.Single(r => r.Key == "step:7:1").CreatedId!)!;
        leadTask.Fields["What_Id"]!["id"]!.GetValue<string>().ShouldBe(lead);
        leadTask.Text("$se_module").ShouldBe("Leads");
        leadTask.Text("Due_Date").ShouldBe("2026-03-02");
        var contactTask = h.Fake.Store.Get("Tasks", results.Single(r => r.Key == "step:8:1").CreatedId!)!;
        contactTask.Fields["Who_Id"]!["id"]!.GetValue<string>().ShouldBe(contact);
    }

    [Fact]
    public async Task A_failed_note_insert_is_not_repeated_because_it_might_have_been_created()
    {
        await using var h = await ZohoHarness.StartAsync();
        var lead = h.Fake.Store.Seed("Leads", 1).Single();
        h.Fake.FailNext(1);

        var error = await Should.ThrowAsync<CrmException>(() => h.Connector.WriteActivitiesAsync(
            [new CrmActivityWrite("draft:1", CrmActivityKind.Note, "Leads", lead, "t", "b", null)], Ct));

        error.Retryable.ShouldBeTrue();
        h.Fake.ApiCalls.Count(c => c.Method == "POST").ShouldBe(1);
    }

    [Fact]
    public async Task Erase_deletes_and_a_record_already_gone_counts_as_erased()
    {
        await using var h = await ZohoHarness.StartAsync();
        var leads = h.Fake.Store.Seed("Leads", 2);
        var contact = h.Fake.Store.Seed("Contacts", 1).Single();

        await h.Connector.EraseAsync("Leads", leads[0], Ct);
        await h.Connector.EraseAsync("Leads", leads[0], Ct);
        await h.Connector.EraseAsync("Contacts", contact, Ct);

        h.Fake.Store.Get("Leads", leads[0]).ShouldBeNull();
        h.Fake.Store.Get("Leads", leads[1]).ShouldNotBeNull();
        h.Fake.Store.Get("Contacts", contact).ShouldBeNull();
    }

    [Fact]
    public async Task A_notification_with_the_channel_token_names_its_records()
    {
        await using var h = await ZohoHarness.StartAsync();
        var body = $$"""
            {"server_time":1767600000000,"query_params":{},"module":"Leads","resource_uri":"{{h.Fake.Root}}/crm/v8/Leads",
             "ids":["4876876000000100001","4876876000000100002"],"affected_fields":[],"operation":"update","channel_id":"1000000068001",
             "token":"{{ZohoHarness.WebhookToken}}"}
            """;

        var refs = await h.Connector.ReadWebhookAsync(Hook(body), Ct);
        var accounts = await h.Connector.ReadWebhookAsync(Hook(body.Replace("\"Leads\"", "\"Accounts\"")), Ct);

        refs.ShouldBe([new CrmRecordRef("Leads", "4876876000000100001"), new CrmRecordRef("Leads", "4876876000000100002")]);
        accounts.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("""{"module":"Leads","ids":["1"],"operation":"insert","channel_id":"1","token":"forged"}""", true)]
    [InlineData("""{"module":"Leads","ids":["1"],"operation":"insert","channel_id":"1"}""", true)]
    [InlineData("""{"module":"Leads","ids":["1"],"token":""", false)]
    [InlineData("""{"ids":["1"],"token":"gb-zoho-channel-token-7f3a"}""", false)]
    public async Task A_forged_or_unreadable_notification_is_refused(string body, bool badSignature)
    {
        await using var h = await ZohoHarness.StartAsync();

        var error = await Should.ThrowAsync<CrmWebhookRejectedException>(() => h.Connector.ReadWebhookAsync(Hook(body), Ct));

        error.BadSignature.ShouldBe(badSignature);
    }

    [Fact]
    public async Task Without_a_configured_token_no_notification_is_trusted()
    {
        await using var h = await ZohoHarness.StartAsync(s => s["Crm:Zoho:WebhookToken"] = null);

        var error = await Should.ThrowAsync<CrmWebhookRejectedException>(() =>
            h.Connector.ReadWebhookAsync(Hook("""{"module":"Leads","ids":["1"],"token":"anything"}"""), Ct));

        error.Message.ShouldContain("Crm:Zoho:WebhookToken");
    }

    private static CrmWebhook Hook(string body) =>
        new("POST", "https://growth.example.test/hooks/zoho", body, new Dictionary<string, string> { ["Content-Type"] = "application/json" });
}
