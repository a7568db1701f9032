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
        var stale = await db.FollowUpDrafts.Where(d => d.Status == DraftStatus.Sending && d.SendStartedAt < before).ToListAsync(ct);
        foreach (var draft in stale)
        {
            draft.Status = DraftStatus.SendUnknown;
            draft.Error = $"Sending was interrupted (started {draft.SendStartedAt:u}); the mail may or may not have left. " +
                          $"Look for Message-Id {draft.MessageId} in the Sent folder, then send again only if it is not there.";
            audit.Add(db, "system", "draft.send-unknown", draft.TeamId, "draft", GetDraftHandler.Id(draft.Id), draft.Error);
        }
        await db.SaveChangesAsync(ct);
        return stale.Count;
    }
}
