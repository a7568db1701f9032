using GrowthBrain.FollowUps;
using GrowthBrain.Leads;
using GrowthBrain.Privacy;
using GrowthBrain.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace GrowthBrain.Tests.FollowUps;

public sealed class DraftSendingTestsOnSqlite(SqliteDatabases databases) : DraftSendingTests(databases);

public sealed class DraftSendingTestsOnPostgres(PostgresDatabases databases) : DraftSendingTests(databases);

/// <summary>Sending approved drafts to a real SMTP server started in the test, on each provider.</summary>
public abstract class DraftSendingTests(IDatabaseProvider databases)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_approved_draft_arrives_with_one_click_unsubscribe_headers_and_its_message_id()
    {
        await using var smtp = new SmtpTestServer();
        await using var h = await FollowUpHarness.CreateAsync(databases, smtp, Ct);
        var lead = (await h.LeadsAsync(1, Ct))[0];
        var draft = await h.CreateAsync(lead.Id, Ct);
        await h.ApproveAsync(draft.Id, Ct);

        var sent = await h.SendAsync(draft.Id, Ct);

        sent.Status.ShouldBe(DraftStatus.Sent);
        sent.SentAt.ShouldBe(h.Database.Clock.GetUtcNow().UtcDateTime);
        var mail = (await smtp.WaitForAsync(1)).Single();
        mail.Recipients.ShouldBe([lead.Email!.ToLowerInvariant()]);
        mail.From.ShouldBe("sam@northwind.example");
        mail.Message.Subject.ShouldBe(draft.Subject);
        mail.Message.TextBody.ShouldNotBeNull().Trim().ShouldBe(draft.Body.Trim());
        mail.Message.MessageId.ShouldBe(sent.MessageId);
        mail.Message.MessageId.ShouldEndWith("@northwind.example");

        var unsubscribe = mail.Message.Headers["List-Unsubscribe"].ShouldNotBeNull();
        unsubscribe.ShouldStartWith($"<{FollowUpHarness.PublicUrl}unsubscribe/");
        unsubscribe.ShouldContain("<mailto:sam@northwind.example?subject=unsubscribe>");
        mail.Message.Headers["List-Unsubscribe-Post"].ShouldBe("List-Unsubscribe=One-Click");
        var token = unsubscribe[(unsubscribe.IndexOf("/unsubscribe/", StringComparison.Ordinal) + "/unsubscribe/".Length)..unsubscribe.IndexOf('>')];
        h.Tokens.Read(token).ShouldBe(new UnsubscribeTarget(h.TeamId, lead.Id, lead.Email!));
        token.ShouldNotContain(lead.Email!.Split('@')[0]);

        await using var db = h.Database.NewContext();
        var activity = await db.Activities.SingleAsync(a => a.LeadId == lead.Id && a.ExternalId == sent.MessageId, Ct);
        activity.Type.ShouldBe(ActivityType.EmailSent);
        (await h.AuditAsync(draft.Id, Ct)).Select(a => a.Action).ShouldBe(["draft.created", "draft.approved", "draft.sent"]);
        // Sent once is sent: a second click is refused, not a second mail.
        (await Should.ThrowAsync<DraftStateException>(() => h.SendAsync(draft.Id, Ct))).Message.ShouldContain("already sent");
        smtp.Messages.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_suppressed_address_is_never_mailed_and_the_draft_says_why()
    {
        await using var smtp = new SmtpTestServer();
        await using var h = await FollowUpHarness.CreateAsync(databases, smtp, Ct);
        var lead = (await h.LeadsAsync(1, Ct))[0];
        var draft = await h.CreateAsync(lead.Id, Ct);
        await h.ApproveAsync(draft.Id, Ct);
        await using (var db = h.Database.NewContext())
            await new SuppressionList(h.Database.Clock).AddAsync(db, h.TeamId, lead.Email!.ToUpperInvariant(), SuppressionReason.Bounced, "bounce", Ct);

        var result = await h.SendAsync(draft.Id, Ct);

        result.Status.ShouldBe(DraftStatus.Failed);
        result.Error.ShouldNotBeNull().ShouldContain("suppression list");
        result.MessageId.ShouldBeNull();
        (await h.AuditAsync(draft.Id, Ct)).Last().Action.ShouldBe("draft.send-failed");
        await Task.Delay(200, Ct);
        smtp.Messages.ShouldBeEmpty();
    }

    [Fact]
    public async Task One_click_unsubscribe_suppresses_the_address_and_the_next_send_is_refused()
    {
        await using var smtp = new SmtpTestServer();
        await using var h = await FollowUpHarness.CreateAsync(databases, smtp, Ct);
        var lead = (await h.LeadsAsync(1, Ct))[0];
        var first = await h.CreateAsync(lead.Id, Ct);
        await h.ApproveAsync(first.Id, Ct);
        await h.SendAsync(first.Id, Ct);
        var header = (await smtp.WaitForAsync(1))[0].Message.Headers["List-Unsubscribe"].ShouldNotBeNull();
        var token = header[(header.IndexOf("/unsubscribe/", StringComparison.Ordinal) + 13)..header.IndexOf('>')];

        var result = (await h.RunAsync<UnsubscribeHandler, UnsubscribeResult?>(x => x.HandleAsync(new Unsubscribe(token), Ct))).ShouldNotBeNull();
        var again = (await h.RunAsync<UnsubscribeHandler, UnsubscribeResult?>(x => x.HandleAsync(new Unsubscribe(token), Ct))).ShouldNotBeNull();

        result.AlreadyUnsubscribed.ShouldBeFalse();
        result.MaskedEmail.ShouldBe($"{lead.Email![0]}•••{lead.Email[lead.Email.IndexOf('@')..]}");
        again.AlreadyUnsubscribed.ShouldBeTrue();
        await using (var db = h.Database.NewContext())
        {
            (await new SuppressionList(h.Database.Clock).IsSuppressedAsync(db, h.TeamId, lead.Email, Ct)).ShouldBeTrue();
            (await db.AuditEntries.CountAsync(a => a.Action == "lead.unsubscribed" && a.Actor == "unsubscribe-link", Ct)).ShouldBe(1);
        }

        var second = await h.CreateAsync(lead.Id, Ct);
        await h.ApproveAsync(second.Id, Ct);
        (await h.SendAsync(second.Id, Ct)).Status.ShouldBe(DraftStatus.Failed);
        await Task.Delay(200, Ct);
        smtp.Messages.Count.ShouldBe(1);

        (await h.RunAsync<UnsubscribeHandler, UnsubscribeResult?>(x => x.HandleAsync(new Unsubscribe(token[..^4] + "AAAA"), Ct))).ShouldBeNull();
    }

    [Fact]
    public async Task A_crash_between_send_and_record_leaves_the_draft_SendUnknown_and_it_is_never_sent_again_by_itself()
    {
        await using var smtp = new SmtpTestServer();
        await using var h = await FollowUpHarness.CreateAsync(databases, smtp, Ct);
        var draft = await h.CreateAsync((await h.LeadsAsync(1, Ct))[0].Id, Ct);
        await h.ApproveAsync(draft.Id, Ct);

        // The "process" dies the moment the server has the mail: its database context is gone before "Sent" is written.
        using (var scope = h.NewScope())
        {
            var db = h.Handler<GrowthBrain.Data.GrowthBrainDb>(scope);
            smtp.OnMessage = _ => db.Dispose();
            await Should.ThrowAsync<ObjectDisposedException>(() =>
                h.Handler<SendDraftHandler>(scope).HandleAsync(new SendDraft(draft.Id, "ann@team.example"), Ct));
        }
        smtp.OnMessage = null;
        var mail = (await smtp.WaitForAsync(1)).Single();

        var afterCrash = await h.GetAsync(draft.Id, Ct);
        afterCrash.Status.ShouldBe(DraftStatus.Sending);
        afterCrash.MessageId.ShouldBe(mail.Message.MessageId);
        (await Should.ThrowAsync<DraftStateException>(() => h.SendAsync(draft.Id, Ct))).Message.ShouldContain("being sent");

        // Too early to call it interrupted: a send may still be under way.
        (await h.RunAsync<MarkInterruptedSendsHandler, int>(x => x.HandleAsync(new MarkInterruptedSends(), Ct))).ShouldBe(0);
        h.Database.Clock.Advance(MarkInterruptedSendsHandler.StaleAfter + TimeSpan.FromMinutes(1));
        (await h.RunAsync<MarkInterruptedSendsHandler, int>(x => x.HandleAsync(new MarkInterruptedSends(), Ct))).ShouldBe(1);

        var unknown = await h.GetAsync(draft.Id, Ct);
        unknown.Status.ShouldBe(DraftStatus.SendUnknown);
        unknown.Error.ShouldNotBeNull().ShouldContain(mail.Message.MessageId.ShouldNotBeNull());
        var refused = await Should.ThrowAsync<DraftStateException>(() => h.SendAsync(draft.Id, Ct));
        refused.Message.ShouldContain("Sent folder");
        (await h.RunAsync<MarkInterruptedSendsHandler, int>(x => x.HandleAsync(new MarkInterruptedSends(), Ct))).ShouldBe(0);
        await Task.Delay(200, Ct);
        smtp.Messages.Count.ShouldBe(1);
        (await h.AuditAsync(draft.Id, Ct)).Last().ShouldSatisfyAllConditions(a => a.Action.ShouldBe("draft.send-unknown"), a => a.Actor.ShouldBe("system"));

        // A person checked the mailbox and decided: only then is it sent again.
        (await h.SendAsync(draft.Id, Ct, confirmNotSent: true)).Status.ShouldBe(DraftStatus.Sent);
        await smtp.WaitForAsync(2);
    }

    [Fact]
    public async Task A_failed_connection_marks_the_draft_failed_not_sent()
    {
        await using var smtp = new SmtpTestServer();
        await using var h = await FollowUpHarness.CreateAsync(databases, smtp, Ct);
        var draft = await h.CreateAsync((await h.LeadsAsync(1, Ct))[0].Id, Ct);
        await h.ApproveAsync(draft.Id, Ct);
        await smtp.DisposeAsync();

        var result = await h.SendAsync(draft.Id, Ct);

        result.Status.ShouldBe(DraftStatus.Failed);
        result.Error.ShouldNotBeNull().ShouldContain("Could not reach");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Auto_send_sends_drafts_that_pass_every_check_only_when_the_playbook_allows_it(bool allowed)
    {
        await using var smtp = new SmtpTestServer();
        await using var h = await FollowUpHarness.CreateAsync(databases, smtp, Ct);
        await h.SetPlaybookAsync(autoSend: allowed, dailyCap: 100, Ct);
        var lead = (await h.LeadsAsync(1, Ct))[0];

        var draft = await h.CreateAsync(lead.Id, Ct);

        if (allowed)
        {
            draft.Status.ShouldBe(DraftStatus.Sent);
            draft.ApprovedBy.ShouldBe(CreateDraftHandler.AutoSendActor);
            (await smtp.WaitForAsync(1)).Single().Recipients.ShouldBe([lead.Email!.ToLowerInvariant()]);
            (await h.AuditAsync(draft.Id, Ct)).Select(a => (a.Action, a.Actor)).ShouldBe(
                [("draft.created", "ann@team.example"), ("draft.approved", "auto-send"), ("draft.sent", "auto-send")]);
        }
        else
        {
            draft.Status.ShouldBe(DraftStatus.Pending);
            await Task.Delay(200, Ct);
            smtp.Messages.ShouldBeEmpty();
        }
    }

    [Fact]
    public async Task Auto_send_never_sends_a_draft_that_breaks_a_guardrail()
    {
        await using var smtp = new SmtpTestServer();
        await using var h = await FollowUpHarness.CreateAsync(databases, smtp, Ct);
        // A playbook that forbids a word the template always uses: every draft fails that check.
        await h.RunAsync<UpdatePlaybookHandler, PlaybookView>(x => x.HandleAsync(new UpdatePlaybook(h.TeamId, "owner@team.example",
            Playbook.Default with { ForbiddenWords = ["pipeline"] }, AutoSendAllowed: true, DailyCapPerMailbox: 100), Ct));

        var draft = await h.CreateAsync((await h.LeadsAsync(1, Ct))[0].Id, Ct);

        draft.Sendable.ShouldBeFalse();
        draft.Status.ShouldBe(DraftStatus.Pending);
        await Task.Delay(200, Ct);
        smtp.Messages.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_daily_cap_per_mailbox_holds_drafts_back_until_the_next_day()
    {
        await using var smtp = new SmtpTestServer();
        await using var h = await FollowUpHarness.CreateAsync(databases, smtp, Ct);
        await h.SetPlaybookAsync(autoSend: false, dailyCap: 2, Ct);
        var ids = new List<long>();
        foreach (var lead in await h.LeadsAsync(3, Ct))
        {
            var d = await h.CreateAsync(lead.Id, Ct);
            await h.ApproveAsync(d.Id, Ct);
            ids.Add(d.Id);
        }

        (await h.SendAsync(ids[0], Ct)).Status.ShouldBe(DraftStatus.Sent);
        (await h.SendAsync(ids[1], Ct)).Status.ShouldBe(DraftStatus.Sent);
        var capped = await Should.ThrowAsync<DraftStateException>(() => h.SendAsync(ids[2], Ct));

        capped.Message.ShouldContain("daily cap");
        (await h.GetAsync(ids[2], Ct)).Status.ShouldBe(DraftStatus.Approved);
        await smtp.WaitForAsync(2);
        h.Database.Clock.Advance(TimeSpan.FromDays(1));
        (await h.SendAsync(ids[2], Ct)).Status.ShouldBe(DraftStatus.Sent);
        await smtp.WaitForAsync(3);
    }

    [Fact]
    public async Task Reply_rates_count_inbound_replies_after_the_send_per_writer_and_playbook_version()
    {
        await using var smtp = new SmtpTestServer();
        await using var h = await FollowUpHarness.CreateAsync(databases, smtp, Ct);
        var leads = await h.LeadsAsync(3, Ct);
        var ids = new List<long>();
        foreach (var lead in leads)
        {
            var d = await h.CreateAsync(lead.Id, Ct);
            await h.ApproveAsync(d.Id, Ct);
            await h.SendAsync(d.Id, Ct);
            ids.Add(d.Id);
        }
        var sentAt = h.Database.Clock.GetUtcNow().UtcDateTime;
        await using (var db = h.Database.NewContext())
        {
            // Replied after the send: counts. A reply from before the send and one a month later don't.
            db.Activities.Add(new Activity { TeamId = h.TeamId, LeadId = leads[0].Id, Type = ActivityType.EmailReplied, OccurredAt = sentAt.AddDays(2) });
            db.Activities.Add(new Activity { TeamId = h.TeamId, LeadId = leads[1].Id, Type = ActivityType.EmailReplied, OccurredAt = sentAt.AddDays(-1) });
            db.Activities.Add(new Activity { TeamId = h.TeamId, LeadId = leads[2].Id, Type = ActivityType.EmailReplied, OccurredAt = sentAt.AddDays(30) });
            await db.SaveChangesAsync(Ct);
        }
        h.Database.Clock.Advance(TimeSpan.FromDays(31));

        var rates = await h.RunAsync<GetReplyRatesHandler, ReplyRates>(x => x.HandleAsync(new GetReplyRates(), Ct));

        rates.Overall.ShouldBe(new ReplyRate("all", 3, 1, 1 / 3.0));
        rates.ByWriter.ShouldBe([new ReplyRate(TemplateWriter.Name, 3, 1, 1 / 3.0)]);
        rates.ByPlaybookVersion.ShouldBe([new ReplyRate("v1", 3, 1, 1 / 3.0)]);
        rates.RepliedDraftIds.ShouldBe([ids[0]]);
    }

    [Fact]
    public async Task A_send_that_finishes_while_interrupted_sends_are_marked_stays_sent()
    {
        await using var h = await FollowUpHarness.CreateAsync(databases, null, Ct);
        var draft = await h.CreateAsync((await h.LeadsAsync(1, Ct))[0].Id, Ct);
        await h.ApproveAsync(draft.Id, Ct);
        await using (var db = h.Database.NewContext())
            await db.FollowUpDrafts.Where(d => d.Id == draft.Id).ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DraftStatus.Sending)
                .SetProperty(d => d.MessageId, "slow@northwind.example").SetProperty(d => d.SendStartedAt, h.Database.Clock.GetUtcNow().UtcDateTime), Ct);
        h.Database.Clock.Advance(MarkInterruptedSendsHandler.StaleAfter + TimeSpan.FromMinutes(1));

        // The slow send records "Sent" right after the handler has read the stale drafts and before it writes.
        var finishSend = new AfterFirstRead(() =>
        {
            using var other = h.Database.NewContext();
            other.FollowUpDrafts.Where(d => d.Id == draft.Id)
                .ExecuteUpdate(s => s.SetProperty(d => d.Status, DraftStatus.Sent).SetProperty(d => d.SentAt, h.Database.Clock.GetUtcNow().UtcDateTime));
        });
        await using (var db = ContextWith(h.Database, finishSend))
        {
            var marked = await new MarkInterruptedSendsHandler(db, new GrowthBrain.Audit.AuditLog(h.Database.Clock), h.Database.Clock)
                .HandleAsync(new MarkInterruptedSends(), Ct);
            finishSend.Fired.ShouldBeTrue();
            marked.ShouldBe(0);
        }

        var after = await h.GetAsync(draft.Id, Ct);
        after.Status.ShouldBe(DraftStatus.Sent);
        after.Error.ShouldBeNull();
        (await h.AuditAsync(draft.Id, Ct)).ShouldNotContain(a => a.Action == "draft.send-unknown");
    }

    private static GrowthBrain.Data.GrowthBrainDb ContextWith(TestDatabase database, Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor interceptor)
    {
        var cs = database.Factory.Settings.ConnectionString;
        return database.Provider == GrowthBrain.Data.DatabaseProvider.Sqlite
            ? new GrowthBrain.Data.SqliteGrowthBrainDb(new DbContextOptionsBuilder<GrowthBrain.Data.SqliteGrowthBrainDb>().UseSqlite(cs).AddInterceptors(interceptor).Options)
            : new GrowthBrain.Data.PostgresGrowthBrainDb(new DbContextOptionsBuilder<GrowthBrain.Data.PostgresGrowthBrainDb>().UseNpgsql(cs).AddInterceptors(interceptor).Options);
    }

    /// <summary>Runs an action once, when the first query's reader has been read and closed.</summary>
    private sealed class AfterFirstRead(Action action) : Microsoft.EntityFrameworkCore.Diagnostics.DbCommandInterceptor
    {
        public bool Fired { get; private set; }

        public override Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult DataReaderDisposing(System.Data.Common.DbCommand command,
            Microsoft.EntityFrameworkCore.Diagnostics.DataReaderDisposingEventData eventData, Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult result)
        {
            Run();
            return result;
        }

        private void Run()
        {
            if (Fired) return;
            Fired = true;
            action();
        }
    }
}
