using GrowthBrain.Data;
using GrowthBrain.Leads;

namespace GrowthBrain.FollowUps;

/// <param name="Days">Only drafts sent in the last this many days.</param>
/// <param name="ReplyWithinDays">A reply counts for a draft when it arrives within this many days of the send.</param>
/// <param name="TeamId">One team's drafts (the overview's team); null: every team the context may see.</param>
public sealed record GetReplyRates(int Days = 90, int ReplyWithinDays = 14, long? TeamId = null);

public sealed record ReplyRate(string Key, int Sent, int Replied, double? Rate);

/// <param name="RepliedDraftIds">The sent drafts that got a reply, for "did this draft work?".</param>
public sealed record ReplyRates(DateTime From, DateTime To, ReplyRate Overall, IReadOnlyList<ReplyRate> ByWriter, IReadOnlyList<ReplyRate> ByPlaybookVersion,
    IReadOnlyList<long> RepliedDraftIds);

/// <summary>
/// How often sent follow-ups got an answer: a sent draft counts as replied when the lead has an inbound e-mail
/// (an EmailReplied activity, from the CRM or reply detection) after the send and within the reply window.
/// A reply after two drafts counts for both, because either may have prompted it.
/// </summary>
public sealed class GetReplyRatesHandler(GrowthBrainDb db, TimeProvider clock)
{
    public async Task<ReplyRates> HandleAsync(GetReplyRates request, CancellationToken ct)
    {
        if (request.Days is < 1 or > 3650) throw new ArgumentException($"days is {request.Days}; use 1 to 3650.");
        if (request.ReplyWithinDays is < 1 or > 365) throw new ArgumentException($"replyWithinDays is {request.ReplyWithinDays}; use 1 to 365.");
        var now = clock.GetUtcNow().UtcDateTime;
        var from = now.AddDays(-request.Days);
        var drafts = db.FollowUpDrafts.AsNoTracking();
        if (request.TeamId is { } teamId) drafts = drafts.Where(d => d.TeamId == teamId);
        var sent = await drafts
            .Where(d => d.Status == DraftStatus.Sent && d.SentAt >= from && d.SentAt <= now)
            .Select(d => new { d.Id, d.LeadId, d.Writer, d.PlaybookVersion, SentAt = d.SentAt!.Value })
            .ToListAsync(ct);
        var leadIds = sent.Select(s => s.LeadId).Distinct().ToList();
        var replies = (await db.Activities.AsNoTracking()
                .Where(a => a.Type == ActivityType.EmailReplied && a.OccurredAt >= from && leadIds.Contains(a.LeadId))
                .Select(a => new { a.LeadId, a.OccurredAt })
                .ToListAsync(ct))
            .ToLookup(a => a.LeadId, a => a.OccurredAt);
        var window = TimeSpan.FromDays(request.ReplyWithinDays);
        var rows = sent.Select(s => (s.Id, s.Writer, s.PlaybookVersion, Replied: replies[s.LeadId].Any(r => r > s.SentAt && r <= s.SentAt + window))).ToList();

        static ReplyRate Rate(string key, IEnumerable<bool> replied)
        {
            var list = replied.ToList();
            var yes = list.Count(r => r);
            return new ReplyRate(key, list.Count, yes, list.Count == 0 ? null : yes / (double)list.Count);
        }

        return new ReplyRates(from, now,
            Rate("all", rows.Select(r => r.Replied)),
            rows.GroupBy(r => r.Writer).OrderBy(g => g.Key).Select(g => Rate(g.Key, g.Select(r => r.Replied))).ToList(),
            rows.GroupBy(r => r.PlaybookVersion).OrderBy(g => g.Key).Select(g => Rate($"v{g.Key}", g.Select(r => r.Replied))).ToList(),
            rows.Where(r => r.Replied).Select(r => r.Id).Order().ToList());
    }
}
