using GrowthBrain.Audit;
using GrowthBrain.Data;
using GrowthBrain.Leads;
using GrowthBrain.Privacy;
using MimeKit;
using MimeKit.Utils;

namespace GrowthBrain.FollowUps;

/// <param name="PublicBaseUrl">The app's address for the unsubscribe link when App:PublicUrl is not set (the request's base URL).</param>
/// <param name="ConfirmNotSent">For a draft in SendUnknown: the person checked the mailbox and the mail did not go out, so send it again.</param>
public sealed record SendDraft(long DraftId, string Actor, Uri? PublicBaseUrl = null, bool ConfirmNotSent = false);

/// <summary>
/// Sends an approved draft over SMTP, exactly once. The intent (status Sending, the Message-Id, the mailbox) is
/// committed before the SMTP conversation starts, and the claim is a conditional update, so two clicks or two
/// instances can't both send. If the process dies after the server took the mail but before "Sent" is recorded,
/// the draft stays Sending and <see cref="MarkInterruptedSendsHandler"/> turns it into SendUnknown: never retried by
/// itself, a person checks the Sent folder for the Message-Id and decides. Suppressed addresses are never mailed.
/// </summary>
public sealed class SendDraftHandler(
    GrowthBrainDb db, MailSender mail, UnsubscribeTokens tokens, SuppressionList suppressions, GetPlaybookHandler playbooks, PublicUrl publicUrl,
    AuditLog audit, TimeProvider clock, Settings.SecretStore? secrets = null)
{
    public bool Enabled => mail.Options.Enabled;

    public async Task<DraftView> HandleAsync(SendDraft request, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Actor)) throw new ArgumentException("actor is empty; say who sends.");
        if (!Enabled)
            throw new DraftStateException("Sending is off: Smtp:Host is not set, so GrowthBrain is in drafts-only mode. Set Smtp:Host and Smtp:From to send.");
        var draft = await GetDraftHandler.FindAsync(db, request.DraftId, ct);
        var from = draft.Status;
        switch (draft.Status)
        {
            case DraftStatus.Approved:
            case DraftStatus.Failed when draft.ApprovedAt is not null:
                break;
            case DraftStatus.SendUnknown when request.ConfirmNotSent:
                break;
            case DraftStatus.SendUnknown:
                throw new DraftStateException(
                    $"Draft {draft.Id} may already have been sent (Message-Id {draft.MessageId}); look for it in the mailbox's Sent folder, and send again with confirmNotSent=true only if it is not there.");
            case DraftStatus.Pending or DraftStatus.Failed:
                throw new DraftStateException($"Draft {draft.Id} is not approved; approve it first (a draft with guardrail problems must be edited to pass).");
            case DraftStatus.Sending:
                throw new DraftStateException($"Draft {draft.Id} is being sent right now (Message-Id {draft.MessageId}); wait for it.");
            case DraftStatus.Sent:
                throw new DraftStateException($"Draft {draft.Id} was already sent at {draft.SentAt:u}; write a new draft to follow up again.");
            default:
                throw new DraftStateException($"Draft {draft.Id} is {draft.Status}; only an approved draft can be sent.");
        }
        if (draft.ViolationList is { Count: > 0 } violations)
            throw new DraftStateException($"Draft {draft.Id} breaks guardrails and can't be sent; edit it: {string.Join(" ", violations.Select(v => v.Message))}");

        var lead = await db.Leads.AsNoTracking().FirstOrDefaultAsync(l => l.Id == draft.LeadId, ct);
        if (lead?.Email is not { } email || !MailboxAddress.TryParse(email, out var recipient))
            return await FailAsync(draft, lead, request.Actor, lead is null ? "Not sent: the lead no longer exists." : "Not sent: the lead has no valid e-mail address.", ct);
        if (await suppressions.IsSuppressedAsync(db, draft.TeamId, email, ct))
            return await FailAsync(draft, lead, request.Actor,
                "Not sent: the address is on the suppression list (unsubscribed, bounced, blocked or erased) and is never mailed.", ct);

        var baseUrl = publicUrl.Value ?? request.PublicBaseUrl
            ?? throw new DraftStateException("The unsubscribe link needs the app's public address; set App:PublicUrl (e.g. https://growth.example.com).");
        var playbook = await playbooks.GetOrSeedAsync(draft.TeamId, ct);
        var sender = mail.Options.FromAddress();
        var mailbox = sender.Address.ToLowerInvariant();
        var now = clock.GetUtcNow().UtcDateTime;
        var dayStart = now.Date;
        var sentToday = await db.FollowUpDrafts.CountAsync(d => d.Mailbox == mailbox && d.SendStartedAt >= dayStart
            && (d.Status == DraftStatus.Sending || d.Status == DraftStatus.Sent || d.Status == DraftStatus.SendUnknown), ct);
        if (sentToday >= playbook.DailyCapPerMailbox)
            throw new DraftStateException(
                $"{mailbox} has sent {sentToday} mails today, the daily cap; the draft stays approved, send it after midnight UTC or raise the cap in the playbook.");

        // Record the intent first. The conditional update is the lock: only one caller moves it out of its state.
        var messageId = MimeUtils.GenerateMessageId(sender.Domain);
        var claimed = await db.FollowUpDrafts.Where(d => d.Id == draft.Id && d.Status == from)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, DraftStatus.Sending)
                .SetProperty(d => d.MessageId, messageId)
                .SetProperty(d => d.Mailbox, mailbox)
                .SetProperty(d => d.SendStartedAt, now)
                .SetProperty(d => d.SentBy, request.Actor)
                .SetProperty(d => d.Error, (string?)null), ct);
        if (claimed == 0) throw new DraftStateException($"Draft {draft.Id} changed while sending was being prepared; reload it and try again.");
        await db.Entry(draft).ReloadAsync(ct);

        var message = Compose(draft, recipient, sender, messageId, new UnsubscribeTarget(draft.TeamId, lead.Id, email), baseUrl);
        try
        {
            await mail.SendAsync(message, ct, secrets is null ? null : await secrets.GetAsync(Settings.SecretKind.SmtpPassword, ct));
        }
        catch (MailSendException e) when (e.NotSent)
        {
            return await FailAsync(draft, lead, request.Actor, $"Not sent: {e.Message}", CancellationToken.None);
        }
        catch (Exception e) when (e is MailSendException or OperationCanceledException)
        {
            draft.Status = DraftStatus.SendUnknown;
            draft.Error = $"May or may not have been sent ({e.Message}); look for Message-Id {messageId} in the Sent folder before sending again.";
            audit.Add(db, request.Actor, "draft.send-unknown", draft.TeamId, "draft", GetDraftHandler.Id(draft.Id), draft.Error);
            await db.SaveChangesAsync(CancellationToken.None);
            if (e is OperationCanceledException) throw;
            return DraftView.From(draft, lead);
        }

        // The server has the mail: record it even if the caller gave up meanwhile.
        var sentAt = clock.GetUtcNow().UtcDateTime;
        draft.Status = DraftStatus.Sent;
        draft.SentAt = sentAt;
        db.Activities.Add(new Activity
        {
            TeamId = draft.TeamId, LeadId = lead.Id, Type = ActivityType.EmailSent, OccurredAt = sentAt, Subject = Truncate(draft.Subject), ExternalId = messageId,
        });
        await db.Leads.Where(l => l.Id == lead.Id && (l.LastActivityAt == null || l.LastActivityAt < sentAt))
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.LastActivityAt, sentAt), CancellationToken.None);
        audit.Add(db, request.Actor, "draft.sent", draft.TeamId, "draft", GetDraftHandler.Id(draft.Id), $"Message-Id {messageId} from {mailbox}");
        await db.SaveChangesAsync(CancellationToken.None);
        return DraftView.From(draft, lead);
    }

    private MimeMessage Compose(FollowUpDraft draft, MailboxAddress to, MailboxAddress from, string messageId, UnsubscribeTarget target, Uri baseUrl)
    {
        var token = tokens.Create(target);
        var link = new Uri(baseUrl, $"unsubscribe/{token}");
        var unsubscribeMailbox = string.IsNullOrWhiteSpace(mail.Options.UnsubscribeMailbox)
            ? from.Address
            : MailboxAddress.Parse(mail.Options.UnsubscribeMailbox).Address;
        var message = new MimeMessage
        {
            MessageId = messageId,
            Subject = draft.Subject,
            Date = clock.GetUtcNow(),
            Body = new TextPart("plain") { Text = draft.Body },
        };
        message.From.Add(from);
        message.To.Add(to);
        // RFC 2369 and RFC 8058: the https link is what mail providers' one-click "unsubscribe" POSTs to.
        message.Headers.Add("List-Unsubscribe", $"<{link.AbsoluteUri}>, <mailto:{unsubscribeMailbox}?subject=unsubscribe>");
        message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        return message;
    }

    private async Task<DraftView> FailAsync(FollowUpDraft draft, Lead? lead, string actor, string reason, CancellationToken ct)
    {
        draft.Status = DraftStatus.Failed;
        draft.Error = reason;
        audit.Add(db, actor, "draft.send-failed", draft.TeamId, "draft", GetDraftHandler.Id(draft.Id), reason);
        await db.SaveChangesAsync(ct);
        return DraftView.From(draft, lead);
    }

    private static string Truncate(string s) => s.Length <= Lead.ShortText ? s : s[..Lead.ShortText];
}
