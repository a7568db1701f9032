using GrowthBrain.Audit;
using GrowthBrain.Data;
using GrowthBrain.FollowUps;
using GrowthBrain.Leads;
using GrowthBrain.Privacy;
using MimeKit;

namespace GrowthBrain.Sequences;

public sealed record ProcessInboundMail(MimeMessage Message);

public enum InboundKind
{
    /// <summary>An answer from a lead: an EmailReplied activity was recorded (subject only) and its sequence stops.</summary>
    Reply,
    /// <summary>A delivery failure for one of our mails: the address is suppressed as Bounced and its sequence stops.</summary>
    Bounce,
    /// <summary>An out-of-office or other automatic answer: not a reply, nothing recorded.</summary>
    AutoReply,
    /// <summary>Not about any lead we mailed.</summary>
    Unmatched,
    /// <summary>Seen before (the same Message-Id is already recorded).</summary>
    Duplicate,
}

/// <param name="MatchedBy">"in-reply-to" (our Message-Id in In-Reply-To or References), "sender" (the From address of a lead we mailed),
/// "original-message" or "final-recipient" for bounces.</param>
public sealed record InboundResult(InboundKind Kind, long? LeadId = null, long? DraftId = null, string? MatchedBy = null);

/// <summary>
/// Reads one message from the team's inbox. Replies are matched to our sent drafts by In-Reply-To/References (our
/// Message-Id), falling back to the sender's address; only the subject is kept, never the body (the reply is the
/// lead's text, and what it says is not ours to store). Bounces (DSN reports, mailer-daemon) put the failed address
/// on the team's suppression list as Bounced. Either way the lead's sequence stops.
/// </summary>
public sealed class ProcessInboundMailHandler(GrowthBrainDb db, SuppressionList suppressions, StopOnSignalsHandler stopper, AuditLog audit, TimeProvider clock)
{
    public const string Actor = "reply-detection";

    public async Task<InboundResult> HandleAsync(ProcessInboundMail request, CancellationToken ct)
    {
        var message = request.Message;
        if (IsBounce(message)) return await BounceAsync(message, ct);
        if (IsAutoReply(message)) return new InboundResult(InboundKind.AutoReply);

        var (draft, by) = await DraftForAsync(message.InReplyTo is { } irt ? [irt, .. message.References] : [.. message.References], ct);
        Lead? lead = null;
        if (draft is not null)
        {
            lead = await db.Leads.AsNoTracking().FirstOrDefaultAsync(l => l.Id == draft.LeadId, ct);
        }
        else if (message.From.Mailboxes.FirstOrDefault()?.Address is { } from)
        {
            // Fallback: a reply whose client dropped the threading headers. Only a lead we have mailed counts.
            var email = from.Trim().ToLowerInvariant();
            lead = await (from l in db.Leads.AsNoTracking()
                          where l.EmailNormalized == email && db.FollowUpDrafts.Any(d => d.LeadId == l.Id && d.Status == DraftStatus.Sent)
                          orderby l.Id descending
                          select l).FirstOrDefaultAsync(ct);
            by = "sender";
        }
        if (lead is null) return new InboundResult(InboundKind.Unmatched);

        var externalId = message.MessageId is { Length: > 0 } id ? Truncate(id) : null;
        if (externalId is not null && await db.Activities.AnyAsync(a => a.LeadId == lead.Id && a.Type == ActivityType.EmailReplied && a.ExternalId == externalId, ct))
            return new InboundResult(InboundKind.Duplicate, lead.Id, draft?.Id, by);

        var now = clock.GetUtcNow().UtcDateTime;
        var at = message.Date == DateTimeOffset.MinValue ? now : message.Date.UtcDateTime;
        if (at > now) at = now;
        db.Activities.Add(new Activity
        {
            TeamId = lead.TeamId, LeadId = lead.Id, Type = ActivityType.EmailReplied, OccurredAt = at, Subject = Truncate(message.Subject ?? ""), ExternalId = externalId,
        });
        await db.Leads.Where(l => l.Id == lead.Id && (l.LastActivityAt == null || l.LastActivityAt < at)).ExecuteUpdateAsync(s => s.SetProperty(l => l.LastActivityAt, at), ct);
        audit.Add(db, Actor, "lead.replied", lead.TeamId, "lead", CreateSequenceHandler.Id(lead.Id), $"matched by {by}{(draft is null ? "" : $" to draft {draft.Id}")}");
        await db.SaveChangesAsync(ct);
        await GrowthBrain.Live.ChangeMarker.BumpAsync(db, lead.TeamId, "activity", now, ct);
        await stopper.HandleAsync(new StopOnSignals([lead.Id]), ct);
        return new InboundResult(InboundKind.Reply, lead.Id, draft?.Id, by);
    }

    private async Task<InboundResult> BounceAsync(MimeMessage message, CancellationToken ct)
    {
        // The returned original carries our Message-Id: the surest link to the lead. Otherwise the report's failed recipient.
        var (draft, by) = await DraftForAsync(OriginalMessageIds(message).ToList(), ct);
        by = draft is null ? null : "original-message";
        var leads = new List<Lead>();
        if (draft is not null && await db.Leads.AsNoTracking().FirstOrDefaultAsync(l => l.Id == draft.LeadId, ct) is { } l1) leads.Add(l1);
        if (leads.Count == 0)
        {
            foreach (var address in FailedRecipients(message))
            {
                var email = address.Trim().ToLowerInvariant();
                leads.AddRange(await db.Leads.AsNoTracking().Where(l => l.EmailNormalized == email
                    && db.FollowUpDrafts.Any(d => d.LeadId == l.Id && d.MessageId != null)).ToListAsync(ct));
            }
            by = "final-recipient";
        }
        if (leads.Count == 0) return new InboundResult(InboundKind.Unmatched);
        foreach (var lead in leads.DistinctBy(l => l.Id))
        {
            if (lead.Email is null) continue;
            if (await suppressions.AddAsync(db, lead.TeamId, lead.Email, SuppressionReason.Bounced, "bounce", ct))
                await audit.RecordAsync(db, Actor, "lead.bounced", lead.TeamId, "lead", CreateSequenceHandler.Id(lead.Id), $"delivery failed; matched by {by}", ct);
        }
        await stopper.HandleAsync(new StopOnSignals(leads.Select(l => l.Id).ToList()), ct);
        return new InboundResult(InboundKind.Bounce, leads[0].Id, draft?.Id, by);
    }

    private async Task<(FollowUpDraft? Draft, string? By)> DraftForAsync(IReadOnlyList<string> messageIds, CancellationToken ct)
    {
        var ids = messageIds.Where(i => !string.IsNullOrWhiteSpace(i)).Select(i => i.Trim('<', '>', ' ')).Distinct().Take(50).ToList();
        if (ids.Count == 0) return (null, null);
        var draft = await db.FollowUpDrafts.AsNoTracking().Where(d => d.MessageId != null && ids.Contains(d.MessageId)).OrderByDescending(d => d.Id).FirstOrDefaultAsync(ct);
        return (draft, draft is null ? null : "in-reply-to");
    }

    public static bool IsBounce(MimeMessage message)
    {
        if (message.Body is MultipartReport { ReportType: { } type } && type.Equals("delivery-status", StringComparison.OrdinalIgnoreCase)) return true;
        var from = message.From.Mailboxes.FirstOrDefault()?.Address ?? "";
        var local = from.Split('@')[0];
        if (local.Equals("mailer-daemon", StringComparison.OrdinalIgnoreCase) || local.Equals("postmaster", StringComparison.OrdinalIgnoreCase)) return true;
        var subject = message.Subject ?? "";
        return subject.StartsWith("Undelivered Mail Returned", StringComparison.OrdinalIgnoreCase)
               || subject.StartsWith("Delivery Status Notification (Failure)", StringComparison.OrdinalIgnoreCase)
               || subject.StartsWith("Mail delivery failed", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>RFC 3834: Auto-Submitted other than "no" is a machine answering (out of office, vacation).</summary>
    public static bool IsAutoReply(MimeMessage message) =>
        message.Headers["Auto-Submitted"] is { } auto && !auto.Trim().Equals("no", StringComparison.OrdinalIgnoreCase)
        || message.Headers.Contains("X-Autoreply") || message.Headers["Precedence"] is { } p && p.Trim().Equals("auto_reply", StringComparison.OrdinalIgnoreCase);

    private static IEnumerable<string> OriginalMessageIds(MimeMessage message)
    {
        foreach (var part in message.BodyParts)
        {
            if (part is MessagePart { Message: { } original })
            {
                if (original.MessageId is { } id) yield return id;
            }
            else if (part is TextPart text && part.ContentType.IsMimeType("text", "rfc822-headers"))
            {
                using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text.Text ?? ""));
                var headers = HeaderList.Load(stream);
                if (headers[HeaderId.MessageId] is { } id) yield return id.Trim();
            }
        }
        // Some servers quote the original only as text: take an In-Reply-To of the bounce as a last resort.
        if (message.InReplyTo is { } irt) yield return irt;
    }

    /// <summary>Final-Recipient of the failed actions in a DSN (RFC 3464), or an address the message's X-Failed-Recipients names.</summary>
    public static IEnumerable<string> FailedRecipients(MimeMessage message)
    {
        var found = new List<string>();
        foreach (var part in message.BodyParts.OfType<MessageDeliveryStatus>())
        {
            foreach (var group in part.StatusGroups.Skip(1))
            {
                var action = group["Action"]?.Trim();
                if (action is not null && !action.Equals("failed", StringComparison.OrdinalIgnoreCase)) continue;
                var recipient = group["Final-Recipient"] ?? group["Original-Recipient"];
                if (recipient is null) continue;
                var semi = recipient.IndexOf(';');
                found.Add((semi >= 0 ? recipient[(semi + 1)..] : recipient).Trim());
            }
        }
        if (message.Headers["X-Failed-Recipients"] is { } failed)
            found.AddRange(failed.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return found.Where(a => a.Contains('@')).Distinct(StringComparer.OrdinalIgnoreCase);
    }

    private static string Truncate(string s) => s.Length <= Lead.ShortText ? s : s[..Lead.ShortText];
}
