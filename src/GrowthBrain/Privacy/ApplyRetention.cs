using GrowthBrain.Audit;
using GrowthBrain.Data;
using GrowthBrain.Leads;
using Microsoft.Extensions.Options;

namespace GrowthBrain.Privacy;

public sealed record ApplyRetention(bool DryRun, string Actor);

/// <param name="Enabled">False when `Privacy:RetentionDays` is unset: nothing was looked at.</param>
/// <param name="Cutoff">Leads closed before this are anonymised.</param>
public sealed record RetentionResult(bool Enabled, int? RetentionDays, DateTime? Cutoff, int Leads, int Activities, bool DryRun, bool StorageScrubbed);

/// <summary>
/// Anonymises closed leads (won or lost) that closed more than `Privacy:RetentionDays` ago, like an erasure
/// but without a suppression entry (nobody asked; the person may come back as a new lead) and without
/// erasing them in the CRM (the CRM is the team's record and has its own retention). Callable from the CLI
/// now and from a scheduled job later.
/// </summary>
public sealed class ApplyRetentionHandler(GrowthBrainDb db, IOptions<PrivacyOptions> options, AuditLog audit, TimeProvider clock)
{
    private const int Chunk = 1_000;

    public async Task<RetentionResult> HandleAsync(ApplyRetention request, CancellationToken ct)
    {
        if (options.Value.AnonymiseAfterDays is not { } days) return new RetentionResult(false, null, null, 0, 0, request.DryRun, true);
        var now = clock.GetUtcNow().UtcDateTime;
        var cutoff = now.AddDays(-days);
        // A closed lead without a close date closed, as far as anyone knows, when it was last changed.
        var due = db.Leads.IgnoreQueryFilters()
            .Where(l => l.Outcome != LeadOutcome.Open && l.AnonymisedAt == null && (l.ClosedAt ?? l.UpdatedAt) < cutoff);
        if (request.DryRun)
        {
            var leads = await due.CountAsync(ct);
            var activities = await db.Activities.IgnoreQueryFilters().CountAsync(a => due.Select(l => l.Id).Contains(a.LeadId), ct);
            return new RetentionResult(true, days, cutoff, leads, activities, true, true);
        }

        var restore = await StorageScrub.BeginAsync(db, ct);
        int total = 0, totalActivities = 0;
        var perTeam = new Dictionary<long, int>();
        try
        {
            while (true)
            {
                var chunk = await due.OrderBy(l => l.Id).Select(l => new { l.Id, l.TeamId }).Take(Chunk).ToListAsync(ct);
                if (chunk.Count == 0) break;
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                var counts = await PersonalDataScrubber.ScrubAsync(db, chunk.Select(c => c.Id).ToList(), null, now, ct);
                await tx.CommitAsync(ct);
                total += counts.Leads;
                totalActivities += counts.Activities;
                foreach (var c in chunk) perTeam[c.TeamId] = perTeam.GetValueOrDefault(c.TeamId) + 1;
            }
            foreach (var (teamId, count) in perTeam)
            {
                audit.Add(db, request.Actor, "privacy.retention-applied", teamId, "team", teamId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    $"{count} lead(s) closed before {cutoff:yyyy-MM-dd} anonymised (retention {days} days)");
            }
            if (perTeam.Count == 0)
            {
                audit.Add(db, request.Actor, "privacy.retention-applied", null, null, null, $"nothing closed before {cutoff:yyyy-MM-dd} (retention {days} days)");
            }
            await db.SaveChangesAsync(ct);
        }
        catch
        {
            await StorageScrub.AbandonAsync(db, restore);
            throw;
        }
        var scrubbed = total == 0 ? await NothingToScrubAsync(restore) : await StorageScrub.FinishAsync(db, restore, StorageScrub.ScrubbedTables, ct);
        return new RetentionResult(true, days, cutoff, total, totalActivities, false, scrubbed);
    }

    private async Task<bool> NothingToScrubAsync(string? restore)
    {
        await StorageScrub.AbandonAsync(db, restore);
        return true;
    }
}
