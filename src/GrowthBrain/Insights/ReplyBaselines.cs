using System.Collections.Concurrent;

namespace GrowthBrain.Insights;

/// <summary>
/// The overview's "before GrowthBrain" reply rate per team and window, remembered by the process. Which CRM e-mails
/// got a reply within 14 days is a join over the activities before adoption (about 140,000 e-mails per 90 days at ten
/// million activities: over a second), yet that history rarely changes once GrowthBrain is in use. The answer is kept
/// with a fingerprint — how many e-mails were sent in the window and how many replies fall in it or in the 14 days
/// after — that two index range counts give in milliseconds; a new or deleted e-mail or reply there (a late CRM import
/// of history) changes a count and the join runs again. A singleton: one per web or CLI process.
/// </summary>
public sealed class ReplyBaselines
{
    private readonly ConcurrentDictionary<(long Team, DateTime From, DateTime To), (long Sent, long Replies, int Replied)> _known = new();

    public bool TryGet(long teamId, DateTime from, DateTime to, long sent, long replies, out int replied)
    {
        replied = 0;
        if (!_known.TryGetValue((teamId, from, to), out var known) || known.Sent != sent || known.Replies != replies) return false;
        replied = known.Replied;
        return true;
    }

    public void Remember(long teamId, DateTime from, DateTime to, long sent, long replies, int replied) =>
        _known[(teamId, from, to)] = (sent, replies, replied);
}
