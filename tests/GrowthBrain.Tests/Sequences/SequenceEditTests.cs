using GrowthBrain.FollowUps;
using GrowthBrain.Sequences;
using GrowthBrain.Tests.FollowUps;
using GrowthBrain.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace GrowthBrain.Tests.Sequences;

public sealed class SequenceEditTestsOnSqlite(SqliteDatabases databases) : SequenceEditTests(databases);

public sealed class SequenceEditTestsOnPostgres(PostgresDatabases databases) : SequenceEditTests(databases);

/// <summary>
/// A manager edits a sequence while leads are in the middle of it (docs/adr/0012-sequence-edits-and-running-enrolments.md):
/// leads stay on their step by id, removed steps are skipped, and no step runs twice for a lead. Also pausing a sequence,
/// marking a task done, and the live-update marker the runner bumps.
/// </summary>
public abstract class SequenceEditTests(IDatabaseProvider databases)
{
    private const string Manager = "manager@team.example";
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private static SequenceStep Task(int delay, string title, int id = 0) => new(delay, StepKind.Task, Title: title, Id: id);

    private static Task<SequenceView> CreateAsync(SequenceHarness h, string name, params SequenceStep[] steps) =>
        h.RunAsync<CreateSequenceHandler, SequenceView>(c => c.HandleAsync(new CreateSequence(h.TeamId, name, steps, Manager), CancellationToken.None));

    private static Task<SequenceView> UpdateAsync(SequenceHarness h, SequenceView s, IReadOnlyList<SequenceStep> steps, bool paused = false) =>
        h.RunAsync<UpdateSequenceHandler, SequenceView>(u => u.HandleAsync(new UpdateSequence(s.Id, s.Name, steps, false, Manager, paused), CancellationToken.None));

    /// <summary>Every task the lead got, oldest first, done or not.</summary>
    private static async Task<List<string>> TasksAsync(SequenceHarness h, long leadId)
    {
        await using var db = h.Database.NewContext();
        return await db.LeadTasks.AsNoTracking().Where(t => t.LeadId == leadId).OrderBy(t => t.Id).Select(t => t.Title).ToListAsync();
    }

    private static async Task<long> MarkerAsync(SequenceHarness h)
    {
        await using var db = h.Database.NewContext();
        return await db.TeamChanges.AsNoTracking().Where(c => c.TeamId == h.TeamId).Select(c => c.Version).FirstOrDefaultAsync();
    }

    [Fact]
    public async Task Moving_steps_keeps_a_lead_on_its_step_and_a_step_it_already_had_is_not_run_again()
    {
        await using var smtp = new SmtpTestServer();
        await using var h = await SequenceHarness.CreateAsync(databases, smtp, Ct);
        var lead = (await h.LeadsAsync(1, Ct))[0];
        var sequence = await CreateAsync(h, "Moves", Task(0, "A"), Task(2, "B"), Task(2, "C"));
        sequence.Steps.Select(s => s.Id).ShouldBe([1, 2, 3]);
        var enrolment = await h.EnrolAsync(lead.Id, sequence.Id, Ct);
        (await h.TickAsync(Ct)).StepsRun.ShouldBe(1);
        (await h.EnrolmentAsync(enrolment.Id, Ct)).CurrentStepId.ShouldBe(2);

        // B moves to the front, before A, which the lead already had.
        var s = sequence.Steps;
        var edited = await UpdateAsync(h, sequence, [s[1], s[0], s[2]]);
        edited.Steps.Select(x => x.Id).ShouldBe([2, 1, 3]);
        var moved = await h.EnrolmentAsync(enrolment.Id, Ct);
        moved.CurrentStepId.ShouldBe(2);
        moved.CurrentStep.ShouldBe(0);

        for (var day = 0; day < 8; day++)
        {
            h.Clock.Advance(TimeSpan.FromDays(1));
            await h.TickAsync(Ct);
            await h.TickAsync(Ct);
        }
        (await TasksAsync(h, lead.Id)).ShouldBe(["A", "B", "C"]);
        (await h.EnrolmentAsync(enrolment.Id, Ct)).Status.ShouldBe(EnrolmentStatus.Completed);
    }

    [Fact]
    public async Task Removing_a_leads_step_moves_it_to_the_next_kept_step_and_a_step_added_before_it_is_not_run_for_it()
    {
        await using var smtp = new SmtpTestServer();
        await using var h = await SequenceHarness.CreateAsync(databases, smtp, Ct);
        var leads = await h.LeadsAsync(2, Ct);
        var sequence = await CreateAsync(h, "Removals", Task(0, "A"), Task(3, "B"), Task(4, "C"));
        var start = h.Clock.GetUtcNow().UtcDateTime; // Monday 09:00 in London
        var first = await h.EnrolAsync(leads[0].Id, sequence.Id, Ct);
        (await h.TickAsync(Ct)).StepsRun.ShouldBe(1);
        (await h.EnrolmentAsync(first.Id, Ct)).NextDueAt.ShouldBe(start.AddDays(3));

        // B goes, X comes in front. The lead waiting for B now waits for C, due C's 4 days after its last step (A).
        var s = sequence.Steps;
        var edited = await UpdateAsync(h, sequence, [Task(0, "X"), s[0], s[2]]);
        edited.Steps.Select(x => x.Id).ShouldBe([4, 1, 3]);
        var moved = await h.EnrolmentAsync(first.Id, Ct);
        moved.Status.ShouldBe(EnrolmentStatus.Active);
        moved.CurrentStepId.ShouldBe(3);
        moved.CurrentStep.ShouldBe(2);
        moved.NextDueAt.ShouldBe(start.AddDays(4));

        // A lead enrolled after the edit gets the new order from the start.
        var second = await h.EnrolAsync(leads[1].Id, sequence.Id, Ct);
        second.NextStep!.Title.ShouldBe("X");

        h.Clock.SetUtcNow(start.AddDays(4));
        for (var i = 0; i < 3; i++) await h.TickAsync(Ct);
        (await TasksAsync(h, leads[0].Id)).ShouldBe(["A", "C"]);
        (await h.EnrolmentAsync(first.Id, Ct)).Status.ShouldBe(EnrolmentStatus.Completed);
        (await TasksAsync(h, leads[1].Id)).ShouldBe(["X", "A"]);

        // An id a client made up, or one step twice, is refused with what to do.
        (await Should.ThrowAsync<ArgumentException>(() => UpdateAsync(h, edited, [Task(0, "Q", id: 77)]))).Message.ShouldContain("step 1: id 77 is not a step of this sequence");
        (await Should.ThrowAsync<ArgumentException>(() => UpdateAsync(h, edited, [edited.Steps[0], edited.Steps[0]]))).Message.ShouldContain("step 2: id 4 is step 1 too");
        // A removed step's id is never given to a new step.
        (await UpdateAsync(h, edited, [.. edited.Steps, Task(1, "D")])).Steps[^1].Id.ShouldBe(5);
    }

    [Fact]
    public async Task A_draft_awaited_for_a_removed_step_goes_on_with_the_next_step_and_removing_the_last_steps_completes_a_lead()
    {
        await using var smtp = new SmtpTestServer();
        await using var h = await SequenceHarness.CreateAsync(databases, smtp, Ct);
        var leads = await h.LeadsAsync(2, Ct);
        var mail = await CreateAsync(h, "Mail first", new SequenceStep(0, StepKind.Email), Task(1, "Call"), Task(2, "Sample"));
        var short_ = await CreateAsync(h, "Two tasks", Task(0, "One"), Task(1, "Two"));
        var waiting = await h.EnrolAsync(leads[0].Id, mail.Id, Ct);
        var ending = await h.EnrolAsync(leads[1].Id, short_.Id, Ct);
        (await h.TickAsync(Ct)).StepsRun.ShouldBe(2);
        (await h.EnrolmentAsync(waiting.Id, Ct)).Status.ShouldBe(EnrolmentStatus.WaitingForDraft);

        // The e-mail step goes while its draft waits for approval: the draft stays, and the lead is now at "Call".
        await UpdateAsync(h, mail, mail.Steps.Skip(1).ToList());
        var repointed = await h.EnrolmentAsync(waiting.Id, Ct);
        repointed.Status.ShouldBe(EnrolmentStatus.WaitingForDraft);
        repointed.CurrentStepId.ShouldBe(mail.Steps[1].Id);
        // "Two" goes from under the lead waiting for it: nothing is left, so it completes now.
        await UpdateAsync(h, short_, short_.Steps.Take(1).ToList());
        var completed = await h.EnrolmentAsync(ending.Id, Ct);
        completed.Status.ShouldBe(EnrolmentStatus.Completed);
        completed.Note.ShouldNotBeNull().ShouldContain("removed");

        var draft = (await h.DraftsAsync(leads[0].Id, Ct)).Single();
        await h.RunAsync<ApproveDraftHandler, DraftView>(a => a.HandleAsync(new ApproveDraft(draft.Id, "rep@team.example"), Ct));
        (await h.TickAsync(Ct)).DraftsSent.ShouldBe(1);
        var afterSend = await h.EnrolmentAsync(waiting.Id, Ct);
        afterSend.Status.ShouldBe(EnrolmentStatus.Active);
        afterSend.CurrentStepId.ShouldBe(mail.Steps[1].Id); // "Call" is next, not skipped
        h.Clock.Advance(TimeSpan.FromDays(1));
        await h.TickAsync(Ct);
        (await TasksAsync(h, leads[0].Id)).ShouldBe(["Call"]);
    }

    [Fact]
    public async Task A_paused_sequence_runs_and_sends_nothing_until_it_is_resumed()
    {
        await using var smtp = new SmtpTestServer();
        await using var h = await SequenceHarness.CreateAsync(databases, smtp, Ct);
        var lead = (await h.LeadsAsync(1, Ct))[0];
        var sequence = await CreateAsync(h, "Pausable", Task(0, "A"), Task(1, "B"));
        var paused = await UpdateAsync(h, sequence, sequence.Steps, paused: true);
        paused.Paused.ShouldBeTrue();
        var enrolment = await h.EnrolAsync(lead.Id, sequence.Id, Ct);
        (await h.TickAsync(Ct)).StepsRun.ShouldBe(0);
        h.Clock.Advance(TimeSpan.FromDays(2));
        (await h.TickAsync(Ct)).StepsRun.ShouldBe(0);
        (await TasksAsync(h, lead.Id)).ShouldBeEmpty();
        (await h.RunAsync<GetLeadSequenceHandler, LeadSequenceView>(g => g.HandleAsync(new GetLeadSequence(lead.Id), Ct))).Current!.SequencePaused.ShouldBeTrue();

        (await UpdateAsync(h, sequence, sequence.Steps)).Paused.ShouldBeFalse();
        (await h.TickAsync(Ct)).StepsRun.ShouldBe(1);
        (await h.EnrolmentAsync(enrolment.Id, Ct)).CurrentStepId.ShouldBe(2);
    }

    [Fact]
    public async Task The_runner_bumps_the_live_marker_once_per_batch_and_not_when_nothing_happened()
    {
        await using var smtp = new SmtpTestServer();
        await using var h = await SequenceHarness.CreateAsync(databases, smtp, Ct);
        var leads = await h.LeadsAsync(3, Ct);
        var sequence = await CreateAsync(h, "Marker", Task(0, "A"), Task(1, "B"));
        foreach (var lead in leads) await h.EnrolAsync(lead.Id, sequence.Id, Ct);

        var before = await MarkerAsync(h);
        (await h.TickAsync(Ct)).StepsRun.ShouldBe(3);
        (await MarkerAsync(h)).ShouldBe(before + 1);
        (await h.TickAsync(Ct)).StepsRun.ShouldBe(0);
        (await MarkerAsync(h)).ShouldBe(before + 1);

        // Stops found by the sweep: one more bump for the batch, however many leads stopped.
        await using (var db = h.Database.NewContext())
        {
            var ids = leads.Take(2).Select(l => l.Id).ToList();
            await db.Leads.Where(l => ids.Contains(l.Id)).ExecuteUpdateAsync(s => s.SetProperty(l => l.Outcome, GrowthBrain.Leads.LeadOutcome.Won), Ct);
        }
        (await h.TickAsync(Ct)).Stopped.ShouldBe(2);
        (await MarkerAsync(h)).ShouldBe(before + 2);
    }

    [Fact]
    public async Task Marking_a_task_done_closes_it_once_records_who_and_moves_nothing()
    {
        await using var smtp = new SmtpTestServer();
        await using var h = await SequenceHarness.CreateAsync(databases, smtp, Ct);
        var lead = (await h.LeadsAsync(1, Ct))[0];
        var sequence = await CreateAsync(h, "Calls", new SequenceStep(0, StepKind.CallTask, Title: "Call about pricing"), Task(2, "Send the case study"));
        var enrolment = await h.EnrolAsync(lead.Id, sequence.Id, Ct);
        await h.TickAsync(Ct);
        var task = (await h.RunAsync<GetLeadSequenceHandler, LeadSequenceView>(g => g.HandleAsync(new GetLeadSequence(lead.Id), Ct))).OpenTasks.Single();
        task.Title.ShouldBe("Call about pricing");
        var stepBefore = await h.EnrolmentAsync(enrolment.Id, Ct);
        var marker = await MarkerAsync(h);

        h.Clock.Advance(TimeSpan.FromHours(1));
        var done = await h.RunAsync<CompleteTaskHandler, LeadTaskView>(c => c.HandleAsync(new CompleteTask(task.Id, "rep@team.example"), Ct));
        done.DoneAt.ShouldBe(h.Clock.GetUtcNow().UtcDateTime);
        (await h.RunAsync<GetLeadSequenceHandler, LeadSequenceView>(g => g.HandleAsync(new GetLeadSequence(lead.Id), Ct))).OpenTasks.ShouldBeEmpty();
        (await MarkerAsync(h)).ShouldBe(marker + 1);
        var after = await h.EnrolmentAsync(enrolment.Id, Ct);
        (after.CurrentStepId, after.NextDueAt).ShouldBe((stepBefore.CurrentStepId, stepBefore.NextDueAt));

        (await Should.ThrowAsync<TaskStateException>(() => h.RunAsync<CompleteTaskHandler, LeadTaskView>(c =>
            c.HandleAsync(new CompleteTask(task.Id, "someone-else@team.example"), Ct)))).Message.ShouldContain("already marked done by rep@team.example");
        await Should.ThrowAsync<TaskNotFoundException>(() => h.RunAsync<CompleteTaskHandler, LeadTaskView>(c => c.HandleAsync(new CompleteTask(999_999, "rep@team.example"), Ct)));
        await using var db = h.Database.NewContext();
        var audit = await db.AuditEntries.AsNoTracking().Where(a => a.Action == "task.done").ToListAsync(Ct);
        audit.Single().Actor.ShouldBe("rep@team.example");
        audit.Single().Detail.ShouldNotBeNull().ShouldContain("Call about pricing");
    }

    [Fact]
    public async Task Rows_from_before_step_ids_get_their_position_as_id_and_go_on_from_where_they_were()
    {
        await using var smtp = new SmtpTestServer();
        await using var h = await SequenceHarness.CreateAsync(databases, smtp, Ct);
        var lead = (await h.LeadsAsync(1, Ct))[0];
        var sequence = await CreateAsync(h, "Old", Task(0, "A"), Task(0, "B"), Task(1, "C"));
        var enrolment = await h.EnrolAsync(lead.Id, sequence.Id, Ct);
        (await h.TickAsync(Ct)).StepsRun.ShouldBe(1);
        await h.TickAsync(Ct); // B, due at once
        (await TasksAsync(h, lead.Id)).ShouldBe(["A", "B"]);

        // As stored before ids: steps without ids, an enrolment and its runs by position only.
        await using (var db = h.Database.NewContext())
        {
            await db.Sequences.Where(s => s.Id == sequence.Id).ExecuteUpdateAsync(u => u
                .SetProperty(s => s.Steps, """[{"delayDays":0,"kind":"Task","title":"A"},{"delayDays":0,"kind":"Task","title":"B"},{"delayDays":1,"kind":"Task","title":"C"}]""")
                .SetProperty(s => s.LastStepId, 0), Ct);
            await db.SequenceEnrolments.Where(e => e.Id == enrolment.Id).ExecuteUpdateAsync(u => u.SetProperty(e => e.CurrentStepId, (int?)null), Ct);
            await db.SequenceStepRuns.ExecuteUpdateAsync(u => u.SetProperty(r => r.StepId, (int?)null), Ct);
            await SequenceStepIds.BackfillAsync(db, Ct);
            (await db.SequenceStepRuns.OrderBy(r => r.StepIndex).Select(r => r.StepId).ToListAsync(Ct)).ShouldBe([1, 2]);
        }
        (await h.EnrolmentAsync(enrolment.Id, Ct)).CurrentStepId.ShouldBe(3);
        var old = (await h.RunAsync<ListSequencesHandler, IReadOnlyList<SequenceView>>(l => l.HandleAsync(new ListSequences(), Ct))).Single(s => s.Id == sequence.Id);
        old.Steps.Select(s => s.Id).ShouldBe([1, 2, 3]);

        // An edit after the upgrade: a new step gets an id no old step had, and the lead stays on C.
        var edited = await UpdateAsync(h, old, [Task(0, "Z"), .. old.Steps]);
        edited.Steps[0].Id.ShouldBe(4);
        h.Clock.Advance(TimeSpan.FromDays(1));
        await h.TickAsync(Ct);
        (await TasksAsync(h, lead.Id)).ShouldBe(["A", "B", "C"]);
        (await h.EnrolmentAsync(enrolment.Id, Ct)).Status.ShouldBe(EnrolmentStatus.Completed);
    }
}
