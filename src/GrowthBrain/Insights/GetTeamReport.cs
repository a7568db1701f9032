using GrowthBrain.Data;
using GrowthBrain.Leads;

namespace GrowthBrain.Insights;

/// <summary>Per rep (the lead's Owner): workload, speed to first response, follow-ups, replies and conversion over the last <see cref="Days"/> days.</summary>
public sealed record GetTeamReport(int Days = 90, long? TeamId = null)
{
    public static readonly int[] Periods = [30, 90, 365];
    public const string Unassigned = "(unassigned)";
}

/// <summary>
/// One rep. Leads owned and open are as of now; the rest are for the period: first response is the time from a lead's
/// creation to the first outbound touch (e-mail sent, call or meeting) for leads created in the period, in whole
/// hours; follow-ups are e-mails sent; the reply rate is replies / e-mails sent (null, with <see cref="ReplyRateNote"/>
/// saying why, when there is nothing to divide); conversion is over leads closed in the period, with its 95% Wilson interval.
/// </summary>
public sealed record RepRow(
    string Owner, int LeadsOwned, int Open, int NewLeads, int Responded, double? MedianFirstResponseHours,
    int FollowUpsSent, int Replies, double? ReplyRate, string? ReplyRateNote,
    int Won, int Lost, double? ConversionRate, double? ConversionLow, double? ConversionHigh);

public sealed record TeamReport(int Days, DateTime From, DateTime To, IReadOnlyList<RepRow> Reps)
{
    public bool IsEmpty => Reps.Count == 0;
}

/// <summary>
/// Every measure comes from what the database keeps by trigger (LeadStatsSql, ADR 11): leads per owner, leads per
/// owner and day created, won or lost, e-mails per owner and day, and each lead's first response. The whole days
/// inside the period are read from the day aggregates and the two partial days at its ends from the rows, so the
/// period is exact to the instant; the first-response median comes from a histogram of whole hours.
/// </summary>
public sealed class GetTeamReportHandler(GrowthBrainDb db, TimeProvider clock)
{
    internal static readonly ActivityType[] Outbound = [ActivityType.EmailSent, ActivityType.Call, ActivityType.Meeting];

    public async Task<TeamReport> HandleAsync(GetTeamReport request, CancellationToken ct)
    {
        if (!GetTeamReport.Periods.Contains(request.Days))
            throw new ArgumentException($"'days' is {request.Days}; use one of {string.Join(", ", GetTeamReport.Periods)}.");
        var teamId = request.TeamId ?? await db.Teams.OrderBy(t => t.Id).Select(t => (long?)t.Id).FirstOrDefaultAsync(ct) ?? 0;
        var now = clock.GetUtcNow().UtcDateTime;
        var from = now.AddDays(-request.Days);
        var leads = db.Leads.AsNoTracking().Where(l => l.TeamId == teamId);

        // Whole days strictly inside the period come from the trigger-kept aggregates; the part of the first and the
        // last day inside the period is counted from the rows themselves through (team, date) indexes, so the period
        // stays exact to the instant as before.
        var firstDay = UtcDays.DayOf(from);
        var lastDay = UtcDays.DayOf(now);
        var firstDayEnd = UtcDays.DayStart(firstDay + 1);
        var lastDayStart = UtcDays.DayStart(lastDay);

        var groups = await db.LeadGroupStats.AsNoTracking()
            .Where(g => g.TeamId == teamId && g.Dimension == LeadGroupStat.Owner && g.Leads != 0)
            .GroupBy(g => new { g.Named, g.Name })
            .Select(g => new { g.Key.Named, g.Key.Name, Leads = g.Sum(x => x.Leads), Closed = g.Sum(x => x.Won + x.Lost) })
            .ToListAsync(ct);
        var days = await db.OwnerLeadDays.AsNoTracking()
            .Where(d => d.TeamId == teamId && d.Day > firstDay && d.Day < lastDay && d.Leads != 0)
            .GroupBy(d => new { d.Named, d.Owner, d.Kind })
            .Select(g => new { g.Key.Named, g.Key.Owner, g.Key.Kind, Leads = g.Sum(x => x.Leads) })
            .ToListAsync(ct);
        var edgeCreated = await leads
            .Where(l => (l.CreatedAt >= from && l.CreatedAt < firstDayEnd) || (l.CreatedAt >= lastDayStart && l.CreatedAt < now))
            .GroupBy(l => l.Owner).Select(g => new { Owner = g.Key, Leads = g.Count() }).ToListAsync(ct);
        var edgeClosed = await leads
            .Where(l => (l.ClosedAt >= from && l.ClosedAt < firstDayEnd) || (l.ClosedAt >= lastDayStart && l.ClosedAt < now))
            .Where(l => l.Outcome == LeadOutcome.Won || l.Outcome == LeadOutcome.Lost)
            .GroupBy(l => new { l.Owner, l.Outcome }).Select(g => new { g.Key.Owner, g.Key.Outcome, Leads = g.Count() }).ToListAsync(ct);
        string? OwnerOf(int named, string name) => named == 0 ? null : name;
        int DayCount(string? owner, int kind) => (int)days.Where(d => OwnerOf(d.Named, d.Owner) == owner && d.Kind == kind).Sum(d => d.Leads);
        var owned = groups.Select(g => OwnerOf(g.Named, g.Name)).Distinct().Select(owner => new
        {
            Owner = owner,
            Leads = (int)groups.Where(g => OwnerOf(g.Named, g.Name) == owner).Sum(g => g.Leads),
            Open = (int)groups.Where(g => OwnerOf(g.Named, g.Name) == owner).Sum(g => g.Leads - g.Closed),
            New = DayCount(owner, OwnerLeadDay.Created) + edgeCreated.Where(e => e.Owner == owner).Sum(e => e.Leads),
            Won = DayCount(owner, (int)LeadOutcome.Won) + edgeClosed.Where(e => e.Owner == owner && e.Outcome == LeadOutcome.Won).Sum(e => e.Leads),
            Lost = DayCount(owner, (int)LeadOutcome.Lost) + edgeClosed.Where(e => e.Owner == owner && e.Outcome == LeadOutcome.Lost).Sum(e => e.Leads),
        }).ToList();

        var mailDays = await db.OwnerActivityDays.AsNoTracking()
            .Where(d => d.TeamId == teamId && d.Day > firstDay && d.Day < lastDay && d.Activities != 0)
            .GroupBy(d => new { d.Named, d.Owner, d.Type })
            .Select(g => new { g.Key.Named, g.Key.Owner, g.Key.Type, Count = g.Sum(x => x.Activities) })
            .ToListAsync(ct);
        var mailEdges = await db.Activities.AsNoTracking()
            .Where(a => a.TeamId == teamId && (a.Type == ActivityType.EmailSent || a.Type == ActivityType.EmailReplied)
                        && ((a.OccurredAt >= from && a.OccurredAt < firstDayEnd) || (a.OccurredAt >= lastDayStart && a.OccurredAt < now)))
            .Join(leads, a => a.LeadId, l => l.Id, (a, l) => new { l.Owner, a.Type })
            .GroupBy(x => new { x.Owner, x.Type })
            .Select(g => new { g.Key.Owner, g.Key.Type, Count = g.Count() })
            .ToListAsync(ct);
        var mail = mailDays.Select(m => new { Owner = OwnerOf(m.Named, m.Owner), m.Type, Count = (int)m.Count })
            .Concat(mailEdges.Select(m => new { m.Owner, m.Type, m.Count }))
            .ToList();

        var response = await FirstResponseHoursAsync(teamId, from, now, ct);

        var reps = owned.Select(o =>
        {
            var key = o.Owner ?? GetTeamReport.Unassigned;
            var sent = mail.Where(m => m.Owner == o.Owner && m.Type == ActivityType.EmailSent).Sum(m => m.Count);
            var replies = mail.Where(m => m.Owner == o.Owner && m.Type == ActivityType.EmailReplied).Sum(m => m.Count);
            var hours = response.Where(r => (r.Name ?? GetTeamReport.Unassigned) == key).Select(r => (Value: Math.Max(0, r.Value), r.Count)).ToList();
            var (rate, low, high) = Statistics.Wilson(o.Won, o.Won + o.Lost);
            // Replies can outnumber e-mails sent in a window (a reply to last month's e-mail): the rate is capped at 100%.
            double? replyRate = sent == 0 ? null : Math.Min(1.0, replies / (double)sent);
            var note = sent > 0 ? null
                : replies > 0 ? $"{replies} replies but no e-mails sent in the last {request.Days} days"
                : $"No e-mails sent in the last {request.Days} days";
            return new RepRow(key, o.Leads, o.Open, o.New, hours.Sum(h => h.Count), Statistics.Median(hours.ConvertAll(h => (h.Value, (long)h.Count))),
                sent, replies, replyRate, note, o.Won, o.Lost, rate, low, high);
        })
        .OrderByDescending(r => r.LeadsOwned).ThenBy(r => r.Owner, StringComparer.Ordinal)
        .ToList();

        return new TeamReport(request.Days, from, now, reps);
    }

    /// <summary>Whole hours to the first response per owner, for leads created in the period: one range of the covering index.</summary>
    private async Task<List<GetSourceReportHandler.Bucket>> FirstResponseHoursAsync(long teamId, DateTime from, DateTime to, CancellationToken ct) =>
        (await db.LeadFirstResponses.AsNoTracking()
            .Where(f => f.TeamId == teamId && f.CreatedAt >= from && f.CreatedAt < to)
            .GroupBy(f => new { f.Owner, f.Hours })
            .Select(g => new { g.Key.Owner, g.Key.Hours, Count = g.Count() })
            .ToListAsync(ct))
        .Select(b => new GetSourceReportHandler.Bucket(b.Owner, b.Hours, b.Count)).ToList();
}
