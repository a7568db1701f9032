using GrowthBrain.FollowUps;
using GrowthBrain.Leads;
using GrowthBrain.Scoring;
using GrowthBrain.Synthetic;
using GrowthBrain.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace GrowthBrain.Tests.FollowUps;

public sealed class DraftFollowUpTestsOnSqlite(SqliteDatabases databases) : DraftFollowUpTests(databases);

public sealed class DraftFollowUpTestsOnPostgres(PostgresDatabases databases) : DraftFollowUpTests(databases);

/// <summary>Drafting for a lead found by id or e-mail in a seeded synthetic CRM, on each provider.</summary>
public abstract class DraftFollowUpTests(IDatabaseProvider databases)
{
    private readonly ActiveModels _models = new();
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<TestDatabase> SeededAsync()
    {
        var database = await databases.CreateAsync(Ct);
        await using var db = database.NewContext();
        await new SeedSyntheticCrmHandler(db, database.Clock).HandleAsync(new SeedSyntheticCrm(300, Seed: 11), null, Ct);
        return database;
    }

    private async Task<DraftResult> DraftAsync(TestDatabase database, DraftFollowUp request)
    {
        await using var db = database.NewContext();
        return await new DraftFollowUpHandler(db, _models, new ScoreLeadHandler(db, _models, database.Clock), new TemplateDraftWriter(new TemplateWriter()), database.Clock)
            .HandleAsync(request, Ct);
    }

    [Fact]
    public async Task A_lead_found_by_id_or_by_email_gets_the_same_checked_template_draft()
    {
        await using var database = await SeededAsync();
        Lead lead;
        await using (var db = database.NewContext())
            lead = await db.Leads.AsNoTracking().Where(l => l.Email != null && l.FirstName != null).OrderBy(l => l.Id).FirstAsync(Ct);

        var byId = await DraftAsync(database, new DraftFollowUp(lead.Id.ToString(), FollowUpGoal.FirstTouch));
        var byEmail = await DraftAsync(database, new DraftFollowUp(lead.Email!.ToUpperInvariant(), FollowUpGoal.FirstTouch));

        byId.LeadId.ShouldBe(lead.Id);
        byEmail.ShouldBeEquivalentTo(byId);
        byId.Writer.ShouldBe("template");
        byId.Body.ShouldContain(lead.FirstName!);
        byId.Violations.ShouldBeEmpty(string.Join("\n", byId.Violations.Select(v => v.Message)));
        byId.Sendable.ShouldBeTrue();
    }

    [Fact]
    public async Task Every_seeded_lead_gets_a_sendable_draft()
    {
        await using var database = await SeededAsync();
        List<long> ids;
        await using (var db = database.NewContext()) ids = await db.Leads.Select(l => l.Id).OrderBy(id => id).Take(60).ToListAsync(Ct);

        foreach (var id in ids)
        {
            var draft = await DraftAsync(database, new DraftFollowUp(id.ToString(), Tone: Tone.Formal));
            draft.Violations.ShouldBeEmpty($"lead {id}:\n{draft.Body}\n{string.Join("\n", draft.Violations.Select(v => v.Message))}");
        }
    }

    [Theory]
    [InlineData("999999")]
    [InlineData("nobody@nowhere.example")]
    [InlineData("not a lead")]
    public async Task An_unknown_lead_is_a_clear_error(string key)
    {
        await using var database = await SeededAsync();

        var error = await Should.ThrowAsync<LeadNotFoundException>(() => DraftAsync(database, new DraftFollowUp(key)));

        error.Message.ShouldContain($"'{key}'");
        error.Message.ShouldContain("e-mail");
    }

    [Fact]
    public async Task The_goal_is_picked_from_the_leads_activity()
    {
        await using var database = await SeededAsync();
        var now = database.Clock.GetUtcNow().UtcDateTime;
        long teamId;
        await using (var db = database.NewContext()) teamId = await db.Leads.Select(l => l.TeamId).FirstAsync(Ct);

        async Task<FollowUpGoal> GoalFor(string email, params (ActivityType Type, int DaysAgo)[] touches)
        {
            await using (var db = database.NewContext())
            {
                var lead = new Lead
                {
                    TeamId = teamId, FirstName = "Kim", Email = email, EmailNormalized = email, Company = "Goalco", CreatedAt = now.AddDays(-200),
                    ImportedAt = now, UpdatedAt = now,
                };
                db.Leads.Add(lead);
                await db.SaveChangesAsync(Ct);
                db.Activities.AddRange(touches.Select(t => new Activity { TeamId = teamId, LeadId = lead.Id, Type = t.Type, OccurredAt = now.AddDays(-t.DaysAgo) }));
                await db.SaveChangesAsync(Ct);
            }
            return (await DraftAsync(database, new DraftFollowUp(email))).Goal;
        }

        (await GoalFor("none@goal.example")).ShouldBe(FollowUpGoal.FirstTouch);
        (await GoalFor("sent@goal.example", (ActivityType.EmailSent, 5), (ActivityType.EmailOpened, 4))).ShouldBe(FollowUpGoal.NoReplyYet);
        (await GoalFor("met@goal.example", (ActivityType.EmailSent, 9), (ActivityType.Meeting, 3))).ShouldBe(FollowUpGoal.AfterDemo);
        (await GoalFor("cold@goal.example", (ActivityType.EmailSent, 120), (ActivityType.Meeting, 90))).ShouldBe(FollowUpGoal.ReEngage);
    }

    [Fact]
    public async Task The_lead_notes_and_latest_replies_form_answers_and_notes_reach_an_LLM_writer_as_quoted_data()
    {
        await using var fake = await FakeOpenAiServer.StartAsync(FakeMode.Good);
        await using var database = await databases.CreateAsync(Ct);
        var activities = new List<(ActivityType, string)>
        {
            (ActivityType.EmailSent, "Intro e-mail"), (ActivityType.Call, "Left a voicemail"),
        };
        for (var i = 1; i <= 6; i++) activities.Add((ActivityType.EmailReplied, $"Reply {i}: we use spreadsheets today"));
        activities.Add((ActivityType.FormSubmission, "Team size: 12 reps"));
        activities.Add((ActivityType.PageView, "/pricing"));
        var id = await LlmTestKit.AddAsync(database, (team, now) =>
        {
            var lead = LlmTestKit.Anna(team, now);
            lead.Notes = "Met at the retail expo; wants a weekly \"forecast\" view.";
            return lead;
        }, Ct, activities.ToArray());

        var draft = await LlmTestKit.DraftAsync(database, LlmTestKit.Writer(LlmTestKit.OpenAi(fake)), id, Ct);

        draft.WriterLabel.ShouldBe("OpenAI gpt-4o-mini");
        var user = fake.Requests.Single().User;
        var block = user[(user.IndexOf(GrowthBrain.FollowUps.Llm.LlmPrompt.DataStart, StringComparison.Ordinal) + GrowthBrain.FollowUps.Llm.LlmPrompt.DataStart.Length)..
                         user.IndexOf(GrowthBrain.FollowUps.Llm.LlmPrompt.DataEnd, StringComparison.Ordinal)];
        var quoted = System.Text.Json.JsonDocument.Parse(block).RootElement.EnumerateArray()
            .Select(e => $"{e.GetProperty("kind").GetString()}: {e.GetProperty("text").GetString()}").ToList();
        // The notes, then the newest five of the replies, form answers and notes; sent e-mails, calls and page views are not the lead's words.
        quoted.ShouldBe([
            "note: Met at the retail expo; wants a weekly \"forecast\" view.",
            "form answer: Team size: 12 reps",
            "reply: Reply 6: we use spreadsheets today", "reply: Reply 5: we use spreadsheets today", "reply: Reply 4: we use spreadsheets today",
            "reply: Reply 3: we use spreadsheets today",
        ]);
    }
}
