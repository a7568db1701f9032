using System.ComponentModel.DataAnnotations;
using GrowthBrain.Data;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GrowthBrain.Sequences;

/// <summary>Reply detection by IMAP (optional): the mailbox that receives answers to our follow-ups.</summary>
public sealed class ImapOptions
{
    public const string Section = "Imap";
    public string? Host { get; set; }
    [Range(1, 65535)] public int Port { get; set; } = 993;
    public string? User { get; set; }
    public string? Password { get; set; }
    public string Folder { get; set; } = "INBOX";
    /// <summary>How often the mailbox is polled.</summary>
    [Range(10, 86_400)] public int PollSeconds { get; set; } = 60;
    public bool Enabled => !string.IsNullOrWhiteSpace(Host);
}

public sealed record PollImap(int MaxMessages = 500);

public sealed record PollImapResult(int Fetched, int Replies, int Bounces, long LastUid);

/// <summary>
/// Fetches the messages that arrived since the last UID read (kept in the database, so a restart or another
/// instance goes on from there) and hands each to <see cref="ProcessInboundMailHandler"/>. The folder is opened
/// read-only: GrowthBrain never marks, moves or deletes anyone's mail. A new UIDVALIDITY (the folder was rebuilt)
/// restarts from the current end rather than reading the whole history again.
/// </summary>
public sealed class PollImapHandler(GrowthBrainDb db, ProcessInboundMailHandler inbound, IOptions<ImapOptions> options, TimeProvider clock, ILogger<PollImapHandler> log)
{
    public async Task<PollImapResult> HandleAsync(PollImap request, CancellationToken ct)
    {
        var o = options.Value;
        if (!o.Enabled) throw new InvalidOperationException("Imap:Host is not set: reply detection by IMAP is off (CRM activities still stop sequences).");
        var key = $"{o.User}@{o.Host}:{o.Port}/{o.Folder}".ToLowerInvariant();
        using var client = new ImapClient { Timeout = 60_000 };
        await client.ConnectAsync(o.Host!, o.Port, SecureSocketOptions.Auto, ct);
        if (!string.IsNullOrEmpty(o.User)) await client.AuthenticateAsync(o.User, o.Password ?? "", ct);
        var folder = await client.GetFolderAsync(o.Folder, ct);
        await folder.OpenAsync(FolderAccess.ReadOnly, ct);

        var cursor = await db.MailboxCursors.FirstOrDefaultAsync(c => c.Mailbox == key, ct);
        if (cursor is null || cursor.UidValidity != folder.UidValidity)
        {
            // First poll of this folder: start from now; old mail was before any sequence could have asked.
            var all = await folder.SearchAsync(SearchQuery.All, ct);
            var last = all.Count == 0 ? 0 : all.Max(u => u.Id);
            if (cursor is null) db.MailboxCursors.Add(cursor = new MailboxCursor { Mailbox = key });
            cursor.UidValidity = folder.UidValidity;
            cursor.LastUid = last;
            cursor.UpdatedAt = clock.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(ct);
        }

        var uids = (await folder.SearchAsync(SearchQuery.Uids(new UniqueIdRange(new UniqueId((uint)cursor.LastUid + 1), UniqueId.MaxValue)), ct))
            .Where(u => u.Id > cursor.LastUid).OrderBy(u => u.Id).Take(request.MaxMessages).ToList();
        int replies = 0, bounces = 0;
        foreach (var uid in uids)
        {
            var message = await folder.GetMessageAsync(uid, ct);
            try
            {
                var result = await inbound.HandleAsync(new ProcessInboundMail(message), ct);
                if (result.Kind == InboundKind.Reply) replies++;
                if (result.Kind == InboundKind.Bounce) bounces++;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Inbound message UID {Uid} could not be processed; skipped", uid.Id);
            }
            // One bad message must not leave tracked changes behind for the next, nor stop the cursor.
            db.ChangeTracker.Clear();
            db.Attach(cursor);
            cursor.LastUid = uid.Id;
            cursor.UpdatedAt = clock.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(ct);
        }
        await client.DisconnectAsync(true, CancellationToken.None);
        return new PollImapResult(uids.Count, replies, bounces, cursor.LastUid);
    }
}
