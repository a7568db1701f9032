using GrowthBrain.Data;
using GrowthBrain.FollowUps;
using GrowthBrain.Leads;

namespace GrowthBrain.Sequences;

/// <param name="Days">Only e-mails sent in the last this many days.</param>
/// <param name="ReplyWithinDays">A reply counts for a step when it arrives within this many days of its send.</param>
public sealed record GetSequenceReplyRates(int Days = 90, int ReplyWithinDays = 14);

/// <param name="Step">1-based position of the e-mail step in its sequence now (where it was last sent from, if it was removed since).</param>
/// <param name="StepId">The step's id: the rate stays with the step when it is moved.</param>
/// <param name="Removed">The step is no longer in the sequence.</param>
public sealed record StepReplyRate(long SequenceId, string SequenceName, int Step, int Sent, int Replied, double? Rate, int StepId = 0, bool Removed = false);

/// <summary>
/// Reply rate per sequence e-mail step, by the same rule as <see cref="GetReplyRatesHandler"/>: a sent step's draft
/// counts as replied when the lead has an inbound e-mail after the send and within the window.
/// </summary>
public sealed class GetSequenceReplyRatesHandler(GrowthBrainDb db, TimeProvider clock)
{
    public async Task<IReadOnlyList<StepReplyRate>> HandleAsync(GetSequenceReplyRates request, CancellationToken ct)
    {
        if (request.Days is < 1 or > 3650) throw new ArgumentException($"days is {request.Days}; use 1 to 3650.");
        if (request.ReplyWithinDays is < 1 or > 365) throw new ArgumentException($"replyWithinDays is {request.ReplyWithinDays}; use 1 to 365.");
        var now = clock.GetUtcNow().UtcDateTime;
        var since = now.AddDays(-request.Days);
        var sent = await (from r in db.SequenceStepRuns.AsNoTracking()
                          join d in db.FollowUpDrafts.AsNoTracking() on r.DraftId equals d.Id
                          join e in db.SequenceEnrolments.AsNoTracking() on r.EnrolmentId equals e.Id
                          join s in db.Sequences.AsNoTracking() on e.SequenceId equals s.Id
                          where d.Status == DraftStatus.Sent && d.SentAt >= since && d.SentAt <= now
                          select new { s.Id, s.Name, r.StepIndex, StepId = r.StepId ?? r.StepIndex + 1, d.LeadId, SentAt = d.SentAt!.Value }).ToListAsync(ct);
        var sequenceIds = sent.Select(s => s.Id).Distinct().ToList();
        var stepsOf = (await db.Sequences.AsNoTracking().Where(s => sequenceIds.Contains(s.Id)).Select(s => new { s.Id, s.Steps }).ToListAsync(ct))
            .ToDictionary(s => s.Id, s => Sequence.ReadSteps(s.Steps));
        var leadIds = sent.Select(s => s.LeadId).Distinct().ToList();
        var replies = (await db.Activities.AsNoTracking()
                .Where(a => a.Type == ActivityType.EmailReplied && a.OccurredAt >= since && leadIds.Contains(a.LeadId))
                .Select(a => new { a.LeadId, a.OccurredAt }).ToListAsync(ct))
            .ToLookup(a => a.LeadId, a => a.OccurredAt);
        var window = TimeSpan.FromDays(request.ReplyWithinDays);
        // By step id, so moving a step keeps its history together and two different steps never share a row.
        return sent
            .GroupBy(s => (s.Id, s.Name, s.StepId))
            .Select(g =>
            {
                var n = g.Count();
                var yes = g.Count(s => replies[s.LeadId].Any(r => r > s.SentAt && r <= s.SentAt + window));
                var at = Sequence.IndexOf(stepsOf[g.Key.Id], g.Key.StepId);
                var step = at >= 0 ? at + 1 : g.OrderByDescending(s => s.SentAt).First().StepIndex + 1;
                return new StepReplyRate(g.Key.Id, g.Key.Name, step, n, yes, n == 0 ? null : yes / (double)n, g.Key.StepId, at < 0);
            })
            .OrderBy(r => r.SequenceName).ThenBy(r => r.SequenceId).ThenBy(r => r.Removed).ThenBy(r => r.Step)
            .ToList();
    }
}
