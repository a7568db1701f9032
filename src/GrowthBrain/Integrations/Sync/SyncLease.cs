using GrowthBrain.Data;
using GrowthBrain.Errors;

namespace GrowthBrain.Integrations.Sync;

/// <summary>A sync of this connection is running elsewhere (another instance, another terminal).</summary>
public sealed class SyncAlreadyRunningException(string message) : DomainException(message, ErrorKind.Conflict, "A sync is already running");

/// <summary>
/// One sync per connection at a time, across instances: a lease in the connection's row, taken and renewed with a
/// conditional update so two instances can never both hold it. A crashed instance stops renewing and its lease
/// expires; the next sync takes it and resumes from the last committed page.
/// </summary>
internal static class SyncLease
{
    /// <summary>Renewed after every page, so this only has to outlast one page's calls (retries included).</summary>
    public static readonly TimeSpan Length = TimeSpan.FromMinutes(2);

    public static string NewOwner() => $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    public static async Task TakeAsync(GrowthBrainDb db, CrmSyncState state, string owner, DateTime now, string displayName, CancellationToken ct)
    {
        var until = now + Length;
        var taken = await db.CrmSyncStates.Where(s => s.Id == state.Id && (s.LeaseUntil == null || s.LeaseUntil < now || s.LeaseOwner == owner))
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.LeaseOwner, owner).SetProperty(x => x.LeaseUntil, until), ct);
        if (taken == 1) return;
        var holder = await db.CrmSyncStates.AsNoTracking().Where(s => s.Id == state.Id).Select(s => new { s.LeaseOwner, s.LeaseUntil }).FirstAsync(ct);
        // A holder on this machine whose process is gone (a killed command, a crashed server) needs no waiting for expiry.
        if (holder.LeaseOwner is { } dead && IsDeadLocalProcess(dead)
            && await db.CrmSyncStates.Where(s => s.Id == state.Id && s.LeaseOwner == dead)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.LeaseOwner, owner).SetProperty(x => x.LeaseUntil, until), ct) == 1)
            return;
        throw new SyncAlreadyRunningException(
            $"A {displayName} sync is already running ({holder.LeaseOwner?.Split(':')[0]}); wait for it to finish. If that process died, its claim expires at {holder.LeaseUntil:HH:mm:ss} UTC.");
    }

    private static bool IsDeadLocalProcess(string leaseOwner)
    {
        var parts = leaseOwner.Split(':');
        if (parts.Length < 3 || parts[0] != Environment.MachineName || !int.TryParse(parts[1], out var pid) || pid == Environment.ProcessId) return false;
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true; // no such process
        }
    }

    /// <summary>Extends the lease; throws when another instance took it (this one stalled past its expiry), so two never write at once.</summary>
    public static async Task RenewAsync(GrowthBrainDb db, CrmSyncState state, string owner, DateTime now, string displayName, CancellationToken ct)
    {
        var until = now + Length;
        var kept = await db.CrmSyncStates.Where(s => s.Id == state.Id && s.LeaseOwner == owner)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.LeaseUntil, until), ct);
        if (kept != 1)
            throw new SyncAlreadyRunningException($"This {displayName} sync stalled past its claim and another one took over; it stops here and the other continues.");
    }

    public static Task ReleaseAsync(GrowthBrainDb db, CrmSyncState state, string owner, CancellationToken ct) =>
        db.CrmSyncStates.Where(s => s.Id == state.Id && s.LeaseOwner == owner)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.LeaseOwner, (string?)null).SetProperty(x => x.LeaseUntil, (DateTime?)null), ct);
}
