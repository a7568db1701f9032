using GrowthBrain.Data;

namespace GrowthBrain.Leads;

public sealed record LeadDetails(Lead Lead, IReadOnlyList<Activity> RecentActivities, int ActivityCount);

/// <summary>One lead with its latest activities, or null when there is no such lead.</summary>
public sealed class GetLeadHandler(GrowthBrainDb db)
{
    public async Task<LeadDetails?> HandleAsync(long id, CancellationToken ct)
    {
        var lead = await db.Leads.AsNoTracking().FirstOrDefaultAsync(l => l.Id == id, ct);
        if (lead is null) return null;
        var activities = await db.Activities.AsNoTracking().Where(a => a.LeadId == id)
            .OrderByDescending(a => a.OccurredAt).Take(50).ToListAsync(ct);
        var count = await db.Activities.CountAsync(a => a.LeadId == id, ct);
        return new LeadDetails(lead, activities, count);
    }
}
