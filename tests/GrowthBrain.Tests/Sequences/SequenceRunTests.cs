using GrowthBrain.Accounts;
using GrowthBrain.FollowUps;
using GrowthBrain.Leads;
using GrowthBrain.Privacy;
using GrowthBrain.Sequences;
using GrowthBrain.Tests.FollowUps;
using GrowthBrain.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBrain.Tests.Sequences;

public sealed class SequenceRunTestsOnSqlite(SqliteDatabases databases) : SequenceRunTests(databases);

public sealed class SequenceRunTestsOnPostgres(PostgresDatabases databases) : SequenceRunTests(databases);

/// <summary>Sequences running on a fake clock against a real SMTP server, on each provider.</summary>
public abstract class SequenceRunTests(IDatabaseProvider databases)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_three_step_sequence_sends_on_day_0_and_day_3_and_leaves_a_call_task_on_day_7()
    {
        await using var smtp = new SmtpTestServer();
        await using var h = await SequenceHarness.CreateAsync(databases, smtp, Ct);
        await h.SetPlaybookAsync(autoSend: true, Ct);
        var lead = (await h.LeadsAsync(1, Ct))[0];
        var sequence = await h.ThreeStepAsync(Ct);
        var start = h.Clock.GetUtcNow().UtcDateTime; // Monday 09:00 UTC, 09:00 in London: inside business hours.

        var enrolment = await h.EnrolAsync(lead.Id, sequence.Id, Ct);
        enrolment.NextDueAt.ShouldBe(start);

        // Day 0: the first e-mail needs a person's approval, even though the playbook allows auto-send.
        (await h.TickAsync(Ct)).StepsRun.ShouldBe(1);
        var first = (await h.DraftsAsync(lead.Id, Ct)).Single();
        first.Status.ShouldBe(DraftStatus.Pending);
        (await h.EnrolmentAsync(enrolment.Id, Ct)).Status.ShouldBe(EnrolmentStatus.WaitingForDraft);
        (await h.TickAsync(Ct)).DraftsSent.ShouldBe(0);
        await h.RunAsync<ApproveDraftHandler, DraftView>(a => a.HandleAsync(new ApproveDraft(first.Id, "rep@team.example"), Ct));
        h.Clock.Advance(TimeSpan.FromMinutes(5));
        (await h.TickAsync(Ct)).DraftsSent.ShouldBe(1);
        (await smtp.WaitForAsync(1)).Single().Recipients.ShouldBe([lead.Email!.ToLowerInvariant()]);
        var afterFirst = await h.EnrolmentAsync(enrolment.Id, Ct);
        afterFirst.Status.ShouldBe(EnrolmentStatus.Active);
        afterFirst.CurrentStep.ShouldBe(1);
        afterFirst.NextDueAt.ShouldBe(start.AddMinutes(5).AddDays(3));

        // Nothing happens before day 3.
        h.Clock.Advance(TimeSpan.FromDays(2));
        (await h.TickAsync(Ct)).StepsRun.ShouldBe(0);

        // Day 3: the follow-up goes out by itself (the step and the playbook allow it) in the same tick.
        h.Clock.SetUtcNow(afterFirst.NextDueAt!.Value);
        var day3 = await h.TickAsync(Ct);
        day3.StepsRun.ShouldBe(1);
        day3.DraftsSent.ShouldBe(1);
        var mails = await smtp.WaitForAsync(2);
        var drafts = await h.DraftsAsync(lead.Id, Ct);
        drafts.Count.ShouldBe(2);
        drafts[1].Status.ShouldBe(DraftStatus.Sent);
        drafts[1].Goal.ShouldBe(FollowUpGoal.NoReplyYet);
        drafts[1].ApprovedBy.ShouldBe(CreateDraftHandler.AutoSendActor);
        mails[1].Message.MessageId.ShouldBe(drafts[1].MessageId);
        var afterSecond = await h.EnrolmentAsync(enrolment.Id, Ct);
        afterSecond.CurrentStep.ShouldBe(2);
        afterSecond.NextDueAt.ShouldBe(afterFirst.NextDueAt!.Value.AddDays(4));

        // Day 7: a call task on the lead page, and the sequence is complete.
        h.Clock.SetUtcNow(afterSecond.NextDueAt!.Value);
        (await h.TickAsync(Ct)).StepsRun.ShouldBe(1);
        var state = await h.RunAsync<GetLeadSequenceHandler, LeadSequenceView>(g => g.HandleAsync(new GetLeadSequence(lead.Id), Ct));
        state.Current.ShouldBeNull();
        state.History.Single().Status.ShouldBe(EnrolmentStatus.Completed);
        var task = state.OpenTasks.Single();
        task.Kind.ShouldBe(StepKind.CallTask);
        task.Title.ShouldBe("Call about the trial");
        task.DueAt.ShouldBe(afterSecond.NextDueAt!.Value);
        (await h.TickAsync(Ct)).StepsRun.ShouldBe(0);
        smtp.Messages.Count.ShouldBe(2);

        var rates = await h.RunAsync<GetSequenceReplyRatesHandler, IReadOnlyList<StepReplyRate>>(r => r.HandleAsync(new GetSequenceReplyRates(), Ct));
        rates.Select(r => (r.Step, r.Sent, r.Replied)).ShouldBe([(1, 1, 0), (2, 1, 0)]);

        // The two e-mails swap places: each rate stays with its step, now shown at the step's new position.
        await h.RunAsync<UpdateSequenceHandler, SequenceView>(u => u.HandleAsync(new UpdateSequence(sequence.Id, sequence.Name,
            [sequence.Steps[1], sequence.Steps[0], sequence.Steps[2]], false, "manager@team.example"), Ct));
        rates = await h.RunAsync<GetSequenceReplyRatesHandler, IReadOnlyList<StepReplyRate>>(r => r.HandleAsync(new GetSequenceReplyRates(), Ct));
        rates.Select(r => (r.Step, r.StepId)).ShouldBe([(1, 2), (2, 1)]);
    }

    public enum Trigger
    {
        Reply,
        Meeting,
        Unsubscribe,
        Bounce,
        Won,
        Lost,
    }

    [Theory]
    [InlineData(Trigger.Reply, StopReason.Replied)]
    [InlineData(Trigger.Meeting, StopReason.MeetingBooked)]
    [InlineData(Trigger.Unsubscribe, StopReason.Unsubscribed)]
    [InlineData(Trigger.Bounce, StopReason.Bounced)]
    [InlineData(Trigger.Won, StopReason.DealWon)]
    [InlineData(Trigger.Lost, StopReason.DealLost)]
    public async Task A_sequence_stops_by_itself_and_sends_nothing_more(Trigger trigger, StopReason expected)
    {
        await using var smtp = new SmtpTestServer();
        await using var h = await SequenceHarness.CreateAsync(databases, smtp, Ct);
        await h.SetPlaybookAsync(autoSend: true, Ct);
        var lead = (await h.LeadsAsync(1, Ct))[0];
        var sequence = await h.ThreeStepAsync(Ct, firstNeedsApproval: false);
        var enrolment = await h.EnrolAsync(lead.Id, sequence.Id, Ct);
        (await h.TickAsync(Ct)).DraftsSent.ShouldBe(1);
        await smtp.WaitForAsync(1);
        h.Clock.Advance(TimeSpan.FromDays(1));

        await using (var db = h.Database.NewContext())
        {
            switch (trigger)
            {
                case Trigger.Reply or Trigger.Meeting:
                    // Through the use case the API calls, as a CRM or a rep records it.
                    await h.RunAsync<AddActivityHandler, Activity?>(a => a.HandleAsync(
                        new AddActivity(lead.Id, trigger == Trigger.Reply ? ActivityType.EmailReplied : ActivityType.Meeting, Subject: "Re: your note"), Ct));
                    break;
                case Trigger.Unsubscribe or Trigger.Bounce:
                    await new SuppressionList(h.Clock).AddAsync(db, h.TeamId, lead.Email!,
                        trigger == Trigger.Bounce ? SuppressionReason.Bounced : SuppressionReason.Unsubscribed, "test", Ct);
                    break;
                default:
                    // As an import or a CRM sync changes it: straight in the table.
                    await db.Leads.Where(l => l.Id == lead.Id)
                        .ExecuteUpdateAsync(s => s.SetProperty(l => l.Outcome, trigger == Trigger.Won ? LeadOutcome.Won : LeadOutcome.Lost), Ct);
                    break;
            }
        }

        // The runner's next tick notices it, whatever the path, before the follow-up is due.
        (await h.TickAsync(Ct)).Stopped.ShouldBe(1);
        var stopped = await h.EnrolmentAsync(enrolment.Id, Ct);
        stopped.Status.ShouldBe(EnrolmentStatus.Stopped);
        stopped.StopReason.ShouldBe(expected);
        stopped.StoppedBy.ShouldBe(StopOnSignalsHandler.Actor);

        h.Clock.Advance(TimeSpan.FromDays(10));
        (await h.TickAsync(Ct)).StepsRun.ShouldBe(0);
        (await h.DraftsAsync(lead.Id, Ct)).Count.ShouldBe(1);
        await Task.Delay(100, Ct);
        smtp.Messages.Count.ShouldBe(1);
    }

    [Fact]
    public async Task An_added_reply_stops_the_sequence_at_once_and_an_older_reply_does_not()
    {
        await using var smtp = new SmtpTestServer();
        await using var h = await SequenceHarness.CreateAsync(databases, smtp, Ct);
        var lead = (await h.LeadsAsync(1, Ct))[0];
        var sequence = await h.ThreeStepAsync(Ct);
        // A reply from before the enrolment is old news: it must not stop the new sequence.
        await h.RunAsync<AddActivityHandler, Activity?>(a => a.HandleAsync(new AddActivity(lead.Id, ActivityType.EmailReplied, h.Clock.GetUtcNow().UtcDateTime.AddDays(-2)), Ct));
        var enrolment = await h.EnrolAsync(lead.Id, sequence.Id, Ct);
        (await h.RunAsync<StopOnSignalsHandler, int>(s => s.HandleAsync(new StopOnSignals([lead.Id]), Ct))).ShouldBe(0);

        h.Clock.Advance(TimeSpan.FromMinutes(1));
        await h.RunAsync<AddActivityHandler, Activity?>(a => a.HandleAsync(new AddActivity(lead.Id, ActivityType.EmailReplied), Ct));
        (await h.RunAsync<StopOnSignalsHandler, int>(s => s.HandleAsync(new StopOnSignals([lead.Id]), Ct))).ShouldBe(1);
        (await h.EnrolmentAsync(enrolment.Id, Ct)).StopReason.ShouldBe(StopReason.Replied);
    }

    [Fact]
    public async Task Due_times_move_into_business_hours_in_the_leads_time_zone()
    {
        await using var smtp = new SmtpTestServer();
        await using var h = await SequenceHarness.CreateAsync(databases, smtp, Ct);
        var tokyo = (await h.LeadsAsync(1, Ct, country: "Japan"))[0];
        var sequence = await h.ThreeStepAsync(Ct);

        // Monday 09:00 UTC is 18:00 in Tokyo: after hours, so the first e-mail waits for Tuesday 09:00 there (00:00 UTC).
        var enrolment = await h.EnrolAsync(tokyo.Id, sequence.Id, Ct);
        enrolment.TimeZone.ShouldBe("Asia/Tokyo");
        enrolment.NextDueAt.ShouldBe(new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc));
        (await h.TickAsync(Ct)).StepsRun.ShouldBe(0);
        h.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        (await h.TickAsync(Ct)).StepsRun.ShouldBe(1);

        // The window itself, in zones on both sides of UTC, across a weekend.
        var newYork = SendWindow.ZoneFor("United States");
        SendWindow.NextOpen(new DateTime(2026, 12, 4, 23, 0, 0, DateTimeKind.Utc), newYork) // Friday 18:00 in New York
            .ShouldBe(new DateTime(2026, 12, 7, 14, 0, 0, DateTimeKind.Utc)); // Monday 09:00 EST
        SendWindow.NextOpen(new DateTime(2026, 12, 2, 15, 30, 0, DateTimeKind.Utc), newYork).ShouldBe(new DateTime(2026, 12, 2, 15, 30, 0, DateTimeKind.Utc));
        SendWindow.NextOpen(new DateTime(2026, 7, 1, 12, 0, 0, DateTimeKind.Utc), newYork) // 08:00 EDT in summer
            .ShouldBe(new DateTime(2026, 7, 1, 13, 0, 0, DateTimeKind.Utc));
        SendWindow.ZoneFor("Atlantis").ShouldBe(TimeZoneInfo.Utc);
        SendWindow.ZoneFor("de").Id.ShouldBe("Europe/Berlin");
    }

    [Fact]
    public async Task Two_instances_racing_the_same_due_steps_run_each_once_and_send_each_mail_once()
    {
        await using var smtp = new SmtpTestServer();
        await using var h = await SequenceHarness.CreateAsync(databases, smtp, Ct);
        await h.SetPlaybookAsync(autoSend: true, Ct);
        var leads = await h.LeadsAsync(6, Ct);
        var sequence = await h.ThreeStepAsync(Ct, firstNeedsApproval: false);
        foreach (var lead in leads) await h.EnrolAsync(lead.Id, sequence.Id, Ct);
        var other = h.NewInstance();

        using var go = new SemaphoreSlim(0, 2);
        async Task<RunDueStepsResult> Runner(IServiceProvider instance, string name)
        {
            await go.WaitAsync(Ct);
            return await h.TickAsync(Ct, instance, name);
        }
        var a = Task.Run(() => Runner(h.Services, "instance-a"), Ct);
        var b = Task.Run(() => Runner(other, "instance-b"), Ct);
        go.Release(2);
        var results = await Task.WhenAll(a, b);

        // On SQLite one writer waits for the other and may give up; such a step stores nothing and is tried again
        // later. Whatever happened in the race, a few more racing rounds must leave each step run exactly once.
        var ran = results.Sum(r => r.StepsRun);
        ran.ShouldBeGreaterThan(0);
        for (var round = 0; round < 3 && ran < leads.Count; round++)
        {
            h.Clock.Advance(RunDueStepsHandler.RetryAfter + TimeSpan.FromMinutes(1));
            ran += (await Task.WhenAll(h.TickAsync(Ct, h.Services, "instance-a"), h.TickAsync(Ct, other, "instance-b"))).Sum(r => r.StepsRun);
        }
        ran.ShouldBe(leads.Count);
        await smtp.WaitForAsync(leads.Count);
        await Task.Delay(200, Ct);
        smtp.Messages.Count.ShouldBe(leads.Count);
        smtp.Messages.Select(m => m.Recipients.Single()).Distinct().Count().ShouldBe(leads.Count);
        await using var db = h.Database.NewContext();
        (await db.SequenceStepRuns.CountAsync(Ct)).ShouldBe(leads.Count);
        (await db.FollowUpDrafts.CountAsync(d => d.CreatedBy == RunDueStepsHandler.Actor, Ct)).ShouldBe(leads.Count);
        (await db.SequenceEnrolments.CountAsync(e => e.Status == EnrolmentStatus.Active && e.CurrentStep == 1, Ct)).ShouldBe(leads.Count);
    }

    [Fact]
    public async Task A_step_claimed_by_a_process_that_died_is_not_run_again_and_waits_for_a_person()
    {
        await using var smtp = new SmtpTestServer();
        await using var h = await SequenceHarness.CreateAsync(databases, smtp, Ct);
        await h.SetPlaybookAsync(autoSend: true, Ct);
        var lead = (await h.LeadsAsync(1, Ct))[0];
        var sequence = await h.ThreeStepAsync(Ct, firstNeedsApproval: false);
        var view = await h.EnrolAsync(lead.Id, sequence.Id, Ct);

        // The claim is committed, then the process stops before the draft is written or sent.
        var crashed = h.NewInstance();
        await using (var scope = crashed.CreateAsyncScope())
        {
            var enrolment = await h.EnrolmentAsync(view.Id, Ct);
            (await scope.ServiceProvider.GetRequiredService<RunDueStepsHandler>().ClaimAsync(enrolment, enrolment.CurrentStepId!.Value, StepKind.Email, "instance-that-died", Ct)).ShouldNotBeNull();
        }

        // While the claim is fresh another runner leaves it alone: its owner may be working on it.
        (await h.TickAsync(Ct)).StepsRun.ShouldBe(0);
        (await h.EnrolmentAsync(view.Id, Ct)).Status.ShouldBe(EnrolmentStatus.Active);

        h.Clock.Advance(RunDueStepsHandler.StaleClaim + TimeSpan.FromMinutes(1));
        var result = await h.TickAsync(Ct);
        result.StepsRun.ShouldBe(0);
        result.NeedAttention.ShouldBe(1);
        var stuck = await h.EnrolmentAsync(view.Id, Ct);
        stuck.Status.ShouldBe(EnrolmentStatus.NeedsAttention);
        stuck.Note.ShouldNotBeNull().ShouldContain("instance-that-died");
        (await h.TickAsync(Ct)).StepsRun.ShouldBe(0);
        (await h.DraftsAsync(lead.Id, Ct)).ShouldBeEmpty();
        await Task.Delay(100, Ct);
        smtp.Messages.ShouldBeEmpty();

        // A person checked: resuming skips the interrupted step instead of running it again.
        var resumed = await h.RunAsync<ChangeEnrolmentHandler, EnrolmentView>(c => c.HandleAsync(new ChangeEnrolment(view.Id, EnrolmentAction.Resume, "rep@team.example"), Ct));
        resumed.Status.ShouldBe(EnrolmentStatus.Active);
        resumed.CurrentStep.ShouldBe(1);
    }

    [Fact]
    public async Task A_mail_that_may_have_left_before_a_crash_is_not_sent_again_and_the_sequence_waits_for_a_person()
    {
        await using var smtp = new SmtpTestServer();
        await using var h = await SequenceHarness.CreateAsync(databases, smtp, Ct);
        var lead = (await h.LeadsAsync(1, Ct))[0];
        var sequence = await h.ThreeStepAsync(Ct);
        var view = await h.EnrolAsync(lead.Id, sequence.Id, Ct);
        await h.TickAsync(Ct);
        var draft = (await h.DraftsAsync(lead.Id, Ct)).Single();
        await h.RunAsync<ApproveDraftHandler, DraftView>(a => a.HandleAsync(new ApproveDraft(draft.Id, "rep@team.example"), Ct));

        // The process recorded the intent to send and died before it recorded "sent".
        await using (var db = h.Database.NewContext())
            await db.FollowUpDrafts.Where(d => d.Id == draft.Id).ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DraftStatus.Sending)
                .SetProperty(d => d.MessageId, "crash@northwind.example").SetProperty(d => d.SendStartedAt, h.Clock.GetUtcNow().UtcDateTime), Ct);
        h.Clock.Advance(MarkInterruptedSendsHandler.StaleAfter + TimeSpan.FromMinutes(1));
        (await h.TickAsync(Ct)).DraftsSent.ShouldBe(0);
        (await h.RunAsync<MarkInterruptedSendsHandler, int>(m => m.HandleAsync(new MarkInterruptedSends(), Ct))).ShouldBe(1);

        var result = await h.TickAsync(Ct);
        result.DraftsSent.ShouldBe(0);
        result.NeedAttention.ShouldBe(1);
        var stuck = await h.EnrolmentAsync(view.Id, Ct);
        stuck.Status.ShouldBe(EnrolmentStatus.NeedsAttention);
        stuck.Note.ShouldNotBeNull().ShouldContain("may or may not have been sent");
        h.Clock.Advance(TimeSpan.FromDays(4));
        (await h.TickAsync(Ct)).StepsRun.ShouldBe(0);
        await Task.Delay(100, Ct);
        smtp.Messages.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_rejected_draft_ends_the_sequence_and_pause_holds_the_next_step()
    {
        await using var smtp = new SmtpTestServer();
        await using var h = await SequenceHarness.CreateAsync(databases, smtp, Ct);
        var leads = await h.LeadsAsync(2, Ct);
        var sequence = await h.ThreeStepAsync(Ct);
        var rejected = await h.EnrolAsync(leads[0].Id, sequence.Id, Ct);
        var paused = await h.EnrolAsync(leads[1].Id, sequence.Id, Ct);
        await h.RunAsync<ChangeEnrolmentHandler, EnrolmentView>(c => c.HandleAsync(new ChangeEnrolment(paused.Id, EnrolmentAction.Pause, "rep@team.example"), Ct));

        (await h.TickAsync(Ct)).StepsRun.ShouldBe(1);
        var draft = (await h.DraftsAsync(leads[0].Id, Ct)).Single();
        await h.RunAsync<RejectDraftHandler, DraftView>(r => r.HandleAsync(new RejectDraft(draft.Id, "rep@team.example", "Too pushy for this account"), Ct));
        await h.TickAsync(Ct);
        var stopped = await h.EnrolmentAsync(rejected.Id, Ct);
        stopped.Status.ShouldBe(EnrolmentStatus.Stopped);
        stopped.StopReason.ShouldBe(StopReason.DraftRejected);

        (await h.DraftsAsync(leads[1].Id, Ct)).ShouldBeEmpty();
        var resumed = await h.RunAsync<ChangeEnrolmentHandler, EnrolmentView>(c => c.HandleAsync(new ChangeEnrolment(paused.Id, EnrolmentAction.Resume, "rep@team.example"), Ct));
        resumed.Status.ShouldBe(EnrolmentStatus.Active);
        (await h.TickAsync(Ct)).StepsRun.ShouldBe(1);
        (await h.DraftsAsync(leads[1].Id, Ct)).Count.ShouldBe(1);

        // One live enrolment per lead.
        (await Should.ThrowAsync<EnrolmentStateException>(() => h.EnrolAsync(leads[1].Id, sequence.Id, Ct))).Message.ShouldContain("already in a sequence");
    }

    [Fact]
    public async Task Bad_sequences_are_refused_with_what_to_fix()
    {
        await using var smtp = new SmtpTestServer();
        await using var h = await SequenceHarness.CreateAsync(databases, smtp, Ct);
        async Task<string> Refused(string name, IReadOnlyList<SequenceStep>? steps) =>
            (await Should.ThrowAsync<ArgumentException>(() => h.RunAsync<CreateSequenceHandler, SequenceView>(c =>
                c.HandleAsync(new CreateSequence(h.TeamId, name, steps, "manager@team.example"), Ct)))).Message;

        (await Refused("", [new SequenceStep(0, StepKind.Email)])).ShouldContain("name is empty");
        (await Refused("x", [])).ShouldContain("at least one step");
        (await Refused("x", null)).ShouldContain("at least one step");
        (await Refused("x", [new SequenceStep(-1, StepKind.Email)])).ShouldContain("step 1: delayDays is -1");
        (await Refused("x", [new SequenceStep(0, StepKind.Email), new SequenceStep(1, (StepKind)9)])).ShouldContain("step 2: kind");
        await Should.ThrowAsync<TeamNotFoundException>(() => h.RunAsync<CreateSequenceHandler, SequenceView>(c =>
            c.HandleAsync(new CreateSequence(999_999, "x", [new SequenceStep(0, StepKind.Task)], "m"), Ct)));
    }
}
