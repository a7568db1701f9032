using GrowthBrain.Data;

namespace GrowthBrain.Leads;

public sealed record AddActivity(long LeadId, ActivityType Type, DateTime? OccurredAt = null, string? Subject = null);

/// <summary>Records a touch with a lead (a reply, a call, a meeting...) and moves its last-activity date.</summary>
public sealed class AddActivityHandler(GrowthBrainDb db, TimeProvider clock)
{
    /// <returns>The stored activity, or null when there is no such lead.</returns>
    public async Task<Activity?> HandleAsync(AddActivity request, CancellationToken ct)
    {
        if (!Enum.IsDefined(request.Type)) throw new ArgumentException($"type is {(int)request.Type}; use one of {string.Join(", ", Enum.GetNames<ActivityType>())}.");
        if (request.Subject is { Length: > Lead.ShortText }) throw new ArgumentException($"subject is {request.Subject.Length} characters; the limit is {Lead.ShortText}.");
        var now = clock.GetUtcNow().UtcDateTime;
        var at = request.OccurredAt?.ToUniversalTime() ?? now;
        if (at > now.AddMinutes(5)) throw new ArgumentException("occurredAt is in the future; record activities when they happen.");
        var lead = await db.Leads.FirstOrDefaultAsync(l => l.Id == request.LeadId, ct);
        if (lead is null) return null;
        var activity = new Activity { LeadId = lead.Id, TeamId = lead.TeamId, Type = request.Type, OccurredAt = at, Subject = request.Subject };
        db.Activities.Add(activity);
        if (lead.LastActivityAt is null || at > lead.LastActivityAt) lead.LastActivityAt = at;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await db.SaveChangesAsync(ct);
            await GrowthBrain.Live.ChangeMarker.BumpAsync(db, lead.TeamId, "activity", now, ct);
            await tx.CommitAsync(ct);
        }
        return activity;
    }
}
