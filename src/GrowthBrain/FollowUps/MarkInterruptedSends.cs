using GrowthBrain.Audit;
using GrowthBrain.Data;

namespace GrowthBrain.FollowUps;

public sealed record MarkInterruptedSends;

/// <summary>
/// Drafts left in Sending longer than any SMTP conversation can take belong to a process that stopped between
/// "send" and "record". Whether the mail left is unknown, so they become SendUnknown and wait for a person; they are
/// never sent again by themselves. Runs at start-up and every few minutes in the web app.
/// </summary>
public sealed class MarkInterruptedSendsHandler(GrowthBrainDb db, AuditLog audit, TimeProvider clock)
{
    /// <summary>Well past MailKit's 60 s timeout for connect, sign-in and send together.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(10);

    public async Task<int> HandleAsync(MarkInterruptedSends request, CancellationToken ct)
    {
        var before = clock.GetUtcNow().UtcDateTime - StaleAfter;
        var stale = await db.FollowUpDrafts.AsNoTracking().Where(d => d.Status == DraftStatus.Sending && d.SendStartedAt < before)
            .Select(d => new { d.Id, d.TeamId, d.SendStartedAt, d.MessageId }).ToListAsync(ct);
        var marked = 0;
        foreach (var draft in stale)
        {
            var error = $"Sending was interrupted (started {draft.SendStartedAt:u}); the mail may or may not have left. " +
                        $"Look for Message-Id {draft.MessageId} in the Sent folder, then send again only if it is not there.";
            // Conditional on the status in the same statement: a slow send that recorded "Sent" since the read keeps it.
            var changed = await db.FollowUpDrafts.Where(d => d.Id == draft.Id && d.Status == DraftStatus.Sending)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DraftStatus.SendUnknown).SetProperty(d => d.Error, error), ct);
            if (changed == 0) continue;
            audit.Add(db, "system", "draft.send-unknown", draft.TeamId, "draft", GetDraftHandler.Id(draft.Id), error);
            marked++;
        }
        await db.SaveChangesAsync(ct);
        return marked;
    }
}
