using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using GrowthBrain.Accounts;
using GrowthBrain.Sequences;
using GrowthBrain.Data;
using GrowthBrain.Web.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBrain.Web.Tests;

public sealed class SequencesApiTestsOnSqlite(SqliteWebAppFixture app) : SequencesApiTests<SqliteWebAppFixture>(app);

public sealed class SequencesApiTestsOnPostgres(PostgresWebAppFixture app) : SequencesApiTests<PostgresWebAppFixture>(app);

/// <summary>Sequences over HTTP: managers edit them, reps enrol leads and pause, resume or stop; other teams see nothing.</summary>
public abstract class SequencesApiTests<TFixture>(TFixture app) : IClassFixture<TFixture>
    where TFixture : WebAppFixture
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<T> OkAsync<T>(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return (await response.Content.ReadFromJsonAsync<T>(Json, Ct))!;
    }

    private static async Task<string> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        response.StatusCode.ShouldBe(status, await response.Content.ReadAsStringAsync(Ct));
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        return (await response.Content.ReadFromJsonAsync<ProblemDetails>(Ct))!.Detail ?? "";
    }

    [Fact]
    public async Task A_manager_makes_a_sequence_a_rep_enrols_a_lead_and_pauses_resumes_and_stops_it()
    {
        using var owner = app.CreateClient();
        var steps = new object[]
        {
            new { delayDays = 0, kind = "Email", goal = "FirstTouch", tone = "Brief" },
            new { delayDays = 3, kind = "Email", requiresApproval = false },
            new { delayDays = 4, kind = "CallTask", title = "Call about the trial" },
        };
        var created = await OkAsync<SequenceView>(await owner.PostAsJsonAsync("/api/sequences", new { name = "Trial follow-up", steps }, Ct));
        created.Steps.Count.ShouldBe(3);
        created.Steps[1].Goal.ShouldBe(GrowthBrain.FollowUps.FollowUpGoal.NoReplyYet);
        (await owner.GetFromJsonAsync<List<SequenceView>>("/api/sequences", Json, Ct))!.Select(s => s.Id).ShouldContain(created.Id);
        (await ProblemAsync(await owner.PostAsJsonAsync("/api/sequences", new { name = "Empty", steps = Array.Empty<object>() }, Ct), HttpStatusCode.BadRequest))
            .ShouldContain("at least one step");
        var renamed = await OkAsync<SequenceView>(await owner.PutAsJsonAsync($"/api/sequences/{created.Id}", new { name = "Trial follow-up v2", steps }, Ct));
        renamed.Name.ShouldBe("Trial follow-up v2");

        var (_, repKey) = await app.AddUserAsync($"rep-{Guid.NewGuid():N}@example.com", UserRole.Rep, WebAppFixture.DefaultTeam);
        using var rep = app.CreateClient(repKey);
        (await rep.PostAsJsonAsync("/api/sequences", new { name = "Mine", steps }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await rep.PutAsJsonAsync($"/api/sequences/{created.Id}", new { name = "Mine", steps }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        long leadId;
        await using (var scope = app.Services.CreateSystemScope("tests"))
        {
            var db = scope.ServiceProvider.GetRequiredService<GrowthBrainDb>();
            leadId = await db.Leads.Where(l => l.TeamId == created.TeamId && l.Outcome == GrowthBrain.Leads.LeadOutcome.Open && l.Email != null)
                .OrderBy(l => l.Id).Select(l => l.Id).FirstAsync(Ct);
        }
        var enrolled = await OkAsync<EnrolmentView>(await rep.PostAsJsonAsync($"/api/leads/{leadId}/sequence", new { sequenceId = created.Id }, Ct));
        enrolled.Status.ShouldBe(EnrolmentStatus.Active);
        enrolled.NextStep!.Kind.ShouldBe(StepKind.Email);
        enrolled.NextDueAt.ShouldNotBeNull();
        (await ProblemAsync(await rep.PostAsJsonAsync($"/api/leads/{leadId}/sequence", new { sequenceId = created.Id }, Ct), HttpStatusCode.Conflict))
            .ShouldContain("already in a sequence");
        (await rep.PostAsJsonAsync($"/api/leads/{leadId}/sequence", new { sequenceId = 99_999_999 }, Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var state = await OkAsync<LeadSequenceView>(await rep.GetAsync($"/api/leads/{leadId}/sequence", Ct));
        state.Current!.Id.ShouldBe(enrolled.Id);
        state.Current.SequenceName.ShouldBe("Trial follow-up v2");

        (await OkAsync<EnrolmentView>(await rep.PostAsync($"/api/enrolments/{enrolled.Id}/pause", null, Ct))).Status.ShouldBe(EnrolmentStatus.Paused);
        (await ProblemAsync(await rep.PostAsync($"/api/enrolments/{enrolled.Id}/pause", null, Ct), HttpStatusCode.Conflict)).ShouldContain("already paused");
        (await OkAsync<EnrolmentView>(await rep.PostAsync($"/api/enrolments/{enrolled.Id}/resume", null, Ct))).Status.ShouldBe(EnrolmentStatus.Active);
        var stopped = await OkAsync<EnrolmentView>(await rep.PostAsJsonAsync($"/api/enrolments/{enrolled.Id}/stop", new { reason = "Asked to be called instead" }, Ct));
        stopped.Status.ShouldBe(EnrolmentStatus.Stopped);
        stopped.StopReason.ShouldBe(StopReason.Manual);
        stopped.Note.ShouldBe("Asked to be called instead");
        (await OkAsync<LeadSequenceView>(await rep.GetAsync($"/api/leads/{leadId}/sequence", Ct))).Current.ShouldBeNull();

        // Another team's manager: every id of team A is "not found".
        var (_, rivalKey) = await app.AddUserAsync($"rival-{Guid.NewGuid():N}@example.com", UserRole.Manager, "Rivals");
        using var rival = app.CreateClient(rivalKey);
        (await rival.GetAsync($"/api/leads/{leadId}/sequence", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await rival.PostAsync($"/api/enrolments/{enrolled.Id}/resume", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await rival.PostAsJsonAsync($"/api/enrolments/{enrolled.Id}/stop", new { reason = "x" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await rival.PutAsJsonAsync($"/api/sequences/{created.Id}", new { name = "Stolen", steps }, Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await rival.PostAsJsonAsync($"/api/leads/{leadId}/sequence", new { sequenceId = created.Id }, Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await rival.GetFromJsonAsync<List<SequenceView>>("/api/sequences", Json, Ct))!.ShouldNotContain(s => s.Id == created.Id);
        // Their own sequence lives in their team and can't take team A's leads.
        var theirs = await OkAsync<SequenceView>(await rival.PostAsJsonAsync("/api/sequences", new { name = "Rivals' cadence", steps }, Ct));
        theirs.TeamId.ShouldNotBe(created.TeamId);
        (await owner.PostAsJsonAsync($"/api/leads/{leadId}/sequence", new { sequenceId = theirs.Id }, Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_edit_over_http_keeps_step_ids_pauses_and_refuses_an_id_that_is_not_a_step_with_what_to_do()
    {
        using var owner = app.CreateClient();
        var created = await OkAsync<SequenceView>(await owner.PostAsJsonAsync("/api/sequences", new
        {
            name = $"Edited {Guid.NewGuid():N}",
            steps = new object[] { new { delayDays = 0, kind = "Email" }, new { delayDays = 2, kind = "Task", title = "Connect on LinkedIn" } },
        }, Ct));
        created.Steps.Select(s => s.Id).ShouldBe([1, 2]);

        // Swap the two, add a call at the end, pause.
        var body = new
        {
            name = created.Name, paused = true,
            steps = new object[]
            {
                new { id = 2, delayDays = 0, kind = "Task", title = "Connect on LinkedIn" },
                new { id = 1, delayDays = 1, kind = "Email" },
                new { delayDays = 4, kind = "CallTask", title = "Call" },
            },
        };
        var edited = await OkAsync<SequenceView>(await owner.PutAsJsonAsync($"/api/sequences/{created.Id}", body, Ct));
        edited.Steps.Select(s => s.Id).ShouldBe([2, 1, 3]);
        edited.Paused.ShouldBeTrue();
        (await owner.GetFromJsonAsync<List<SequenceView>>("/api/sequences", Json, Ct))!.Single(s => s.Id == created.Id).Paused.ShouldBeTrue();

        var bad = new { name = created.Name, steps = new object[] { new { id = 42, delayDays = 0, kind = "Email" } } };
        (await ProblemAsync(await owner.PutAsJsonAsync($"/api/sequences/{created.Id}", bad, Ct), HttpStatusCode.BadRequest))
            .ShouldContain("step 1: id 42 is not a step of this sequence");
        var late = new { name = created.Name, steps = new object[] { new { id = 1, delayDays = 400, kind = "Email" } } };
        (await ProblemAsync(await owner.PutAsJsonAsync($"/api/sequences/{created.Id}", late, Ct), HttpStatusCode.BadRequest))
            .ShouldContain("step 1: delayDays is 400; use 0 to 365");

        var stats = await OkAsync<List<SequenceStats>>(await owner.GetAsync("/api/sequences/stats", Ct));
        stats.ShouldNotContain(s => s.SequenceId == created.Id); // nobody enrolled yet
    }

    [Fact]
    public async Task A_rep_marks_a_task_done_once_and_another_team_cannot_see_or_close_it()
    {
        var lead = app.KnownLead;
        long taskId;
        await using (var scope = app.Services.CreateSystemScope("tests"))
        {
            // As the runner leaves it for a call step.
            var db = scope.ServiceProvider.GetRequiredService<GrowthBrainDb>();
            var task = new LeadTask { TeamId = lead.TeamId, LeadId = lead.Id, Kind = StepKind.CallTask, Title = "Call about the renewal", DueAt = DateTime.UtcNow, CreatedAt = DateTime.UtcNow };
            db.LeadTasks.Add(task);
            await db.SaveChangesAsync(Ct);
            taskId = task.Id;
        }
        var (_, rivalKey) = await app.AddUserAsync($"rival-task-{Guid.NewGuid():N}@example.com", UserRole.Manager, "Rivals");
        using var rival = app.CreateClient(rivalKey);
        (await ProblemAsync(await rival.PostAsync($"/api/tasks/{taskId}/done", null, Ct), HttpStatusCode.NotFound)).ShouldContain($"No task has the id {taskId}");

        var repEmail = $"rep-task-{Guid.NewGuid():N}@example.com";
        var (_, repKey) = await app.AddUserAsync(repEmail, UserRole.Rep, WebAppFixture.DefaultTeam);
        using var rep = app.CreateClient(repKey);
        (await OkAsync<LeadSequenceView>(await rep.GetAsync($"/api/leads/{lead.Id}/sequence", Ct))).OpenTasks.ShouldContain(t => t.Id == taskId);
        var done = await OkAsync<LeadTaskView>(await rep.PostAsync($"/api/tasks/{taskId}/done", null, Ct));
        done.DoneAt.ShouldNotBeNull();
        (await OkAsync<LeadSequenceView>(await rep.GetAsync($"/api/leads/{lead.Id}/sequence", Ct))).OpenTasks.ShouldNotContain(t => t.Id == taskId);
        (await ProblemAsync(await rep.PostAsync($"/api/tasks/{taskId}/done", null, Ct), HttpStatusCode.Conflict)).ShouldContain("already marked done by");
        (await rep.PostAsync("/api/tasks/99999999/done", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        await using var check = app.Services.CreateSystemScope("tests");
        var audit = await check.ServiceProvider.GetRequiredService<GrowthBrainDb>().AuditEntries.AsNoTracking()
            .Where(a => a.Action == "task.done" && a.SubjectId == lead.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToListAsync(Ct);
        audit.ShouldHaveSingleItem().Actor.ShouldContain(repEmail);
    }
}
