using GrowthBrain.Audit;
using GrowthBrain.Data;
using GrowthBrain.Leads;
using GrowthBrain.Privacy;

namespace GrowthBrain.Sequences;

/// <param name="LeadIds">Only these leads' enrolments (after an activity was added); null: every live enrolment (the runner's sweep,
/// which catches what imports and CRM syncs changed).</param>
public sealed record StopOnSignals(IReadOnlyCollection<long>? LeadIds = null);

/// <summary>
/// A sequence stops by itself when the lead answers (an inbound e-mail after enrolment), books a meeting, unsubscribes
/// or bounces (or is otherwise suppressed), or the deal closes. Checked before every step, right after an activity is
/// added, and on every runner tick for everything else (imports, syncs, the unsubscribe link, IMAP).
/// </summary>
public sealed class StopOnSignalsHandler(GrowthBrainDb db, AuditLog audit, TimeProvider clock)
{
    public const string Actor = "sequence-auto-stop";

    public async Task<int> HandleAsync(StopOnSignals request, CancellationToken ct)
    {
        var ids = request.LeadIds?.ToList();
        var live = db.SequenceEnrolments.Where(e => SequenceEnrolment.LiveStatuses.Contains(e.Status));
        if (ids is not null) live = live.Where(e => ids.Contains(e.LeadId));
        var rows = await (from e in live
                          join l in db.Leads on e.LeadId equals l.Id
                          select new { e.Id, e.TeamId, e.LeadId, e.EnrolledAt, l.Outcome, l.Email }).ToListAsync(ct);
        if (rows.Count == 0) return 0;

        var touches = await (from e in live
                             join a in db.Activities on e.LeadId equals a.LeadId
                             where (a.Type == ActivityType.EmailReplied || a.Type == ActivityType.Meeting) && a.OccurredAt >= e.EnrolledAt
                             select new { e.Id, a.Type }).Distinct().ToListAsync(ct);
        var replied = touches.Where(t => t.Type == ActivityType.EmailReplied).Select(t => t.Id).ToHashSet();
        var met = touches.Where(t => t.Type == ActivityType.Meeting).Select(t => t.Id).ToHashSet();

        var hashes = rows.Where(r => !string.IsNullOrWhiteSpace(r.Email)).Select(r => (r.Id, Hash: Suppression.HashEmail(r.Email!))).ToList();
        var hashList = hashes.Select(h => h.Hash).Distinct().ToList();
        var found = new List<(string Hash, long? TeamId, SuppressionReason Reason)>();
        foreach (var chunk in hashList.Chunk(500))
        {
            found.AddRange((await db.Suppressions.AsNoTracking().Where(s => chunk.Contains(s.EmailHash))
                .Select(s => new { s.EmailHash, s.TeamId, s.Reason }).ToListAsync(ct)).Select(f => (f.EmailHash, f.TeamId, f.Reason)));
        }
        var suppressions = found.ToLookup(f => f.Hash);
        var hashById = hashes.ToDictionary(h => h.Id, h => h.Hash);
        // A bounce says the most about the address, then an unsubscribe; only this team's entries and installation-wide ones count.
        SuppressionReason? SuppressedFor(long enrolmentId, long teamId) =>
            hashById.TryGetValue(enrolmentId, out var hash)
                ? suppressions[hash].Where(f => f.TeamId == null || f.TeamId == teamId)
                    .OrderBy(f => f.Reason == SuppressionReason.Bounced ? 0 : f.Reason == SuppressionReason.Unsubscribed ? 1 : 2)
                    .Select(f => (SuppressionReason?)f.Reason).FirstOrDefault()
                : null;

        var stops = new Dictionary<long, (StopReason Reason, string Note)>();
        foreach (var r in rows)
        {
            (StopReason, string)? stop =
                r.Outcome == LeadOutcome.Won ? (StopReason.DealWon, "The deal was won.")
                : r.Outcome == LeadOutcome.Lost ? (StopReason.DealLost, "The deal was lost.")
                : replied.Contains(r.Id) ? (StopReason.Replied, "The lead replied.")
                : met.Contains(r.Id) ? (StopReason.MeetingBooked, "A meeting was booked.")
                : SuppressedFor(r.Id, r.TeamId) is { } why
                    ? why switch
                    {
                        SuppressionReason.Bounced => (StopReason.Bounced, "The address bounced."),
                        SuppressionReason.Unsubscribed => (StopReason.Unsubscribed, "The lead unsubscribed."),
                        _ => (StopReason.Suppressed, "The address is on the suppression list."),
                    }
                : null;
            if (stop is { } s) stops[r.Id] = s;
        }
        if (stops.Count == 0) return 0;

        var now = clock.GetUtcNow().UtcDateTime;
        var stopIds = stops.Keys.ToList();
        var enrolments = await db.SequenceEnrolments.Where(e => stopIds.Contains(e.Id) && SequenceEnrolment.LiveStatuses.Contains(e.Status)).ToListAsync(ct);
        foreach (var e in enrolments)
        {
            var (reason, note) = stops[e.Id];
            e.Status = EnrolmentStatus.Stopped;
            e.StopReason = reason;
            e.StoppedAt = now;
            e.StoppedBy = Actor;
            e.NextDueAt = null;
            e.Note = note;
            audit.Add(db, Actor, "sequence.stopped", e.TeamId, "enrolment", CreateSequenceHandler.Id(e.Id), $"lead {e.LeadId}: {note}");
        }
        // A runner that claimed a step meanwhile checks the status again before its side effect, and its own update is conditional.
        await db.SaveChangesAsync(ct);
        // One bump per team for the whole batch of stops, so open lead pages and the sequences page show them.
        foreach (var team in enrolments.Select(e => e.TeamId).Distinct())
            await GrowthBrain.Live.ChangeMarker.BumpAsync(db, team, "sequence", now, ct);
        return enrolments.Count;
    }
}
