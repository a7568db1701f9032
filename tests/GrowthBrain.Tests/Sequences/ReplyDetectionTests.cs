using System.Text;
using GrowthBrain.Leads;
using GrowthBrain.Privacy;
using GrowthBrain.Sequences;
using GrowthBrain.Tests.FollowUps;
using GrowthBrain.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace GrowthBrain.Tests.Sequences;

public sealed class ReplyDetectionTestsOnSqlite(SqliteDatabases databases) : ReplyDetectionTests(databases);

public sealed class ReplyDetectionTestsOnPostgres(PostgresDatabases databases) : ReplyDetectionTests(databases);

/// <summary>
/// Replies and bounces as they arrive in the team's inbox, parsed from raw RFC 5322 text the way the IMAP poller
/// hands them over. The IMAP conversation itself is covered by <see cref="ImapTransportTests"/> against a loopback server.
/// </summary>
public abstract class ReplyDetectionTests(IDatabaseProvider databases)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Sent(SequenceHarness Harness, Lead Lead, EnrolmentView Enrolment, MimeMessage Mail) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Harness.DisposeAsync();
    }

    /// <summary>A lead in a sequence whose first e-mail went out to the test's SMTP server.</summary>
    private async Task<Sent> SentAsync(SmtpTestServer smtp)
    {
        var h = await SequenceHarness.CreateAsync(databases, smtp, Ct);
        await h.SetPlaybookAsync(autoSend: true, Ct);
        var lead = (await h.LeadsAsync(1, Ct))[0];
        var sequence = await h.ThreeStepAsync(Ct, firstNeedsApproval: false);
        var enrolment = await h.EnrolAsync(lead.Id, sequence.Id, Ct);
        (await h.TickAsync(Ct)).DraftsSent.ShouldBe(1);
        var mail = (await smtp.WaitForAsync(1)).Single().Message;
        h.Clock.Advance(TimeSpan.FromHours(2));
        return new Sent(h, lead, enrolment, mail);
    }

    private static MimeMessage Parse(string eml) => MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(eml.ReplaceLineEndings("\r\n"))));

    private Task<InboundResult> ProcessAsync(SequenceHarness h, MimeMessage message) =>
        h.RunAsync<ProcessInboundMailHandler, InboundResult>(p => p.HandleAsync(new ProcessInboundMail(message), Ct));

    [Fact]
    public async Task A_reply_threaded_to_our_mail_is_recorded_by_subject_only_and_stops_the_sequence()
    {
        await using var smtp = new SmtpTestServer();
        await using var s = await SentAsync(smtp);
        var reply = Parse($"""
            From: {s.Lead.FirstName} <{s.Lead.Email}>
            To: Sam Carter <sam@northwind.example>
            Subject: Re: {s.Mail.Subject}
            Date: Mon, 30 Nov 2026 10:30:00 +0000
            Message-ID: <reply-1@lead.example>
            In-Reply-To: <{s.Mail.MessageId}>
            References: <{s.Mail.MessageId}>
            Content-Type: text/plain

            Thanks, call me Thursday. My private number is 555-0199.
            """);

        var result = await ProcessAsync(s.Harness, reply);

        result.ShouldBe(new InboundResult(InboundKind.Reply, s.Lead.Id, result.DraftId, "in-reply-to"));
        result.DraftId.ShouldNotBeNull();
        await using (var db = s.Harness.Database.NewContext())
        {
            var activity = await db.Activities.AsNoTracking().SingleAsync(a => a.LeadId == s.Lead.Id && a.Type == ActivityType.EmailReplied, Ct);
            activity.Subject.ShouldBe($"Re: {s.Mail.Subject}");
            activity.ExternalId.ShouldBe("reply-1@lead.example");
            activity.OccurredAt.ShouldBe(new DateTime(2026, 11, 30, 10, 30, 0, DateTimeKind.Utc));
            // The body is the lead's text, not ours to keep: nothing of it is stored anywhere.
            (await db.Activities.AnyAsync(a => a.Subject!.Contains("555-0199"), Ct)).ShouldBeFalse();
            (await db.AuditEntries.AnyAsync(a => a.Detail!.Contains("555-0199"), Ct)).ShouldBeFalse();
        }
        var enrolment = await s.Harness.EnrolmentAsync(s.Enrolment.Id, Ct);
        enrolment.Status.ShouldBe(EnrolmentStatus.Stopped);
        enrolment.StopReason.ShouldBe(StopReason.Replied);

        // The same message seen again (a re-poll after a crash) is not a second reply.
        (await ProcessAsync(s.Harness, reply)).Kind.ShouldBe(InboundKind.Duplicate);

        var rates = await s.Harness.RunAsync<GetSequenceReplyRatesHandler, IReadOnlyList<StepReplyRate>>(r => r.HandleAsync(new GetSequenceReplyRates(), Ct));
        rates.Single().ShouldBe(rates.Single() with { Step = 1, Sent = 1, Replied = 1, Rate = 1.0 });
    }

    [Fact]
    public async Task A_reply_without_threading_headers_matches_by_sender_and_strangers_and_out_of_office_do_not_count()
    {
        await using var smtp = new SmtpTestServer();
        await using var s = await SentAsync(smtp);

        var outOfOffice = Parse($"""
            From: <{s.Lead.Email}>
            To: sam@northwind.example
            Subject: Out of office: {s.Mail.Subject}
            Auto-Submitted: auto-replied
            In-Reply-To: <{s.Mail.MessageId}>
            Content-Type: text/plain

            I am away until Monday.
            """);
        (await ProcessAsync(s.Harness, outOfOffice)).Kind.ShouldBe(InboundKind.AutoReply);

        var stranger = Parse("""
            From: someone@unrelated.example
            To: sam@northwind.example
            Subject: Partnership?
            Content-Type: text/plain

            Hello.
            """);
        (await ProcessAsync(s.Harness, stranger)).Kind.ShouldBe(InboundKind.Unmatched);
        (await s.Harness.EnrolmentAsync(s.Enrolment.Id, Ct)).Status.ShouldBe(EnrolmentStatus.Active);

        var unthreaded = Parse($"""
            From: {s.Lead.Email!.ToUpperInvariant()}
            To: sam@northwind.example
            Subject: your mail
            Message-ID: <reply-2@lead.example>
            Content-Type: text/plain

            Interested.
            """);
        var result = await ProcessAsync(s.Harness, unthreaded);
        result.Kind.ShouldBe(InboundKind.Reply);
        result.MatchedBy.ShouldBe("sender");
        result.LeadId.ShouldBe(s.Lead.Id);
        (await s.Harness.EnrolmentAsync(s.Enrolment.Id, Ct)).StopReason.ShouldBe(StopReason.Replied);
    }

    [Fact]
    public async Task A_delivery_status_report_suppresses_the_address_as_bounced_and_stops_the_sequence()
    {
        await using var smtp = new SmtpTestServer();
        await using var s = await SentAsync(smtp);
        var bounce = Parse($"""
            From: Mail Delivery System <MAILER-DAEMON@mx.lead.example>
            To: sam@northwind.example
            Subject: Undelivered Mail Returned to Sender
            Message-ID: <bounce-1@mx.lead.example>
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

            --b1
            Content-Type: text/plain

            I'm sorry to have to inform you that your message could not be delivered.

            --b1
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mx.lead.example

            Final-Recipient: rfc822; {s.Lead.Email}
            Action: failed
            Status: 5.1.1
            Diagnostic-Code: smtp; 550 5.1.1 user unknown

            --b1
            Content-Type: text/rfc822-headers

            From: Sam Carter <sam@northwind.example>
            To: {s.Lead.Email}
            Subject: {s.Mail.Subject}
            Message-ID: <{s.Mail.MessageId}>

            --b1--
            """);
        ProcessInboundMailHandler.IsBounce(bounce).ShouldBeTrue();
        ProcessInboundMailHandler.FailedRecipients(bounce).ShouldBe([s.Lead.Email!]);

        var result = await ProcessAsync(s.Harness, bounce);

        result.Kind.ShouldBe(InboundKind.Bounce);
        result.LeadId.ShouldBe(s.Lead.Id);
        result.MatchedBy.ShouldBe("original-message");
        await using (var db = s.Harness.Database.NewContext())
        {
            var hash = Suppression.HashEmail(s.Lead.Email!);
            (await db.Suppressions.SingleAsync(x => x.EmailHash == hash, Ct)).Reason.ShouldBe(SuppressionReason.Bounced);
            // A bounce is not a reply.
            (await db.Activities.AnyAsync(a => a.LeadId == s.Lead.Id && a.Type == ActivityType.EmailReplied, Ct)).ShouldBeFalse();
        }
        var enrolment = await s.Harness.EnrolmentAsync(s.Enrolment.Id, Ct);
        enrolment.StopReason.ShouldBe(StopReason.Bounced);
    }

    [Fact]
    public async Task A_bounce_without_the_original_headers_is_matched_by_its_failed_recipient()
    {
        await using var smtp = new SmtpTestServer();
        await using var s = await SentAsync(smtp);
        var bounce = Parse($"""
            From: postmaster@mx.lead.example
            To: sam@northwind.example
            Subject: Delivery Status Notification (Failure)
            X-Failed-Recipients: {s.Lead.Email}
            Content-Type: text/plain

            Address not found.
            """);

        var result = await ProcessAsync(s.Harness, bounce);

        result.Kind.ShouldBe(InboundKind.Bounce);
        result.MatchedBy.ShouldBe("final-recipient");
        (await s.Harness.EnrolmentAsync(s.Enrolment.Id, Ct)).StopReason.ShouldBe(StopReason.Bounced);
    }
}

public sealed class ImapTransportTestsOnSqlite(SqliteDatabases databases) : ImapTransportTests(databases);

public sealed class ImapTransportTestsOnPostgres(PostgresDatabases databases) : ImapTransportTests(databases);

/// <summary>PollImapHandler talking to a loopback IMAP server: only new mail, read-only, the UID cursor kept in the database.</summary>
public abstract class ImapTransportTests(IDatabaseProvider databases)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Polling_reads_only_mail_after_the_stored_uid_and_a_reply_there_stops_the_sequence()
    {
        await using var smtp = new SmtpTestServer();
        await using var imap = new ImapTestServer();
        await using var h = await SequenceHarness.CreateAsync(databases, smtp, Ct, new Dictionary<string, string?>
        {
            ["Imap:Host"] = "127.0.0.1",
            ["Imap:Port"] = imap.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Imap:User"] = ImapTestServer.User,
            ["Imap:Password"] = ImapTestServer.Password,
        });
        await h.SetPlaybookAsync(autoSend: true, Ct);
        var lead = (await h.LeadsAsync(1, Ct))[0];
        var sequence = await h.ThreeStepAsync(Ct, firstNeedsApproval: false);
        var enrolment = await h.EnrolAsync(lead.Id, sequence.Id, Ct);
        await h.TickAsync(Ct);
        var sent = (await smtp.WaitForAsync(1)).Single().Message;

        // Mail that was in the box before the first poll is history: a reply from this lead there does not count.
        imap.Deliver(Reply(lead, sent, "old-reply@lead.example"));
        Task<PollImapResult> Poll() => h.RunAsync<PollImapHandler, PollImapResult>(p => p.HandleAsync(new PollImap(), Ct));
        var first = await Poll();
        first.ShouldBe(new PollImapResult(0, 0, 0, 1));
        (await h.EnrolmentAsync(enrolment.Id, Ct)).Status.ShouldBe(EnrolmentStatus.Active);

        var uid = imap.Deliver(Reply(lead, sent, "new-reply@lead.example"));
        var second = await Poll();
        second.ShouldBe(new PollImapResult(1, 1, 0, uid));
        (await h.EnrolmentAsync(enrolment.Id, Ct)).StopReason.ShouldBe(StopReason.Replied);

        // The cursor is in the database: a new instance goes on from there and fetches nothing twice.
        var other = h.NewInstance();
        (await SequenceHarness.RunAsync<PollImapHandler, PollImapResult>(other, p => p.HandleAsync(new PollImap(), Ct))).ShouldBe(new PollImapResult(0, 0, 0, uid));
        imap.Commands.ShouldContain(c => c.Contains("EXAMINE", StringComparison.OrdinalIgnoreCase));
        imap.Commands.ShouldNotContain(c => c.Contains("STORE", StringComparison.OrdinalIgnoreCase) || c.Contains("EXPUNGE", StringComparison.OrdinalIgnoreCase));
    }

    private static MimeMessage Reply(Lead lead, MimeMessage sent, string messageId)
    {
        var reply = new MimeMessage { Subject = "Re: " + sent.Subject, MessageId = messageId, InReplyTo = sent.MessageId, Body = new TextPart("plain") { Text = "Sounds good." } };
        reply.From.Add(MailboxAddress.Parse(lead.Email!));
        reply.To.Add(MailboxAddress.Parse("sam@northwind.example"));
        return reply;
    }
}
