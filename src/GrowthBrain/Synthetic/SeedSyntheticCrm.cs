using System.Text.Json;
using GrowthBrain.Data;
using GrowthBrain.Leads;
using GrowthBrain.Leads.Import;

namespace GrowthBrain.Synthetic;

public sealed record SeedSyntheticCrm(int Leads = 5000, int Seed = 42, long? TeamId = null);

public sealed record SeedSummary(int Leads, int Activities, int Won, int Lost, int Open);

/// <summary>
/// Fills the database with a generated CRM: leads through the same bulk merge an import uses, then
/// their activities. Used by the demo, the tests and the benchmarks.
/// </summary>
public sealed class SeedSyntheticCrmHandler(GrowthBrainDb db, TimeProvider clock)
{
    public async Task<SeedSummary> HandleAsync(SeedSyntheticCrm request, IProgress<int>? progress, CancellationToken ct)
    {
        if (request.Leads < 1) throw new ArgumentException($"leads is {request.Leads}; ask for at least 1.");
        var teamId = request.TeamId ?? await db.Teams.OrderBy(t => t.Id).Select(t => (long?)t.Id).FirstOrDefaultAsync(ct)
            ?? throw new InvalidOperationException("The database has no team yet; run `./growthbrain db migrate` first.");
        var now = clock.GetUtcNow().UtcDateTime;
        var generator = new SyntheticCrm(new SyntheticCrmOptions(request.Leads, request.Seed, now));

        var allFields = Enum.GetValues<LeadField>().ToHashSet();
        int leads = 0, activities = 0, won = 0, lost = 0;
        var batch = new List<ImportedLead>(ImportLeadsHandler.BatchSize);
        var batchActivities = new List<ExternalActivity>();

        // EF counts connection opens, so both writers share one connection and its temp tables.
        await using (var leadWriter = await LeadBulkWriter.OpenAsync(db, teamId, allFields, ct))
        await using (var activityWriter = await ActivityBulkWriter.OpenAsync(db, teamId, ct))
        {
            foreach (var s in generator.Generate())
            {
                var lead = ToImported(s, ++leads);
                batch.Add(lead);
                if (s.Outcome == LeadOutcome.Won) won++;
                if (s.Outcome == LeadOutcome.Lost) lost++;
                foreach (var a in s.Activities)
                {
                    batchActivities.Add(new ExternalActivity(s.ExternalId, a.Type, a.OccurredAt, a.Subject));
                }
                if (batch.Count == ImportLeadsHandler.BatchSize)
                {
                    activities += await FlushAsync(leadWriter, activityWriter, batch, batchActivities, now, ct);
                    progress?.Report(leads);
                }
            }
            if (batch.Count > 0) activities += await FlushAsync(leadWriter, activityWriter, batch, batchActivities, now, ct);
        }
        await GrowthBrain.Live.ChangeMarker.BumpAsync(db, teamId, "import", now, ct);
        progress?.Report(leads);
        return new SeedSummary(leads, activities, won, lost, leads - won - lost);
    }

    private static async Task<int> FlushAsync(LeadBulkWriter leadWriter, ActivityBulkWriter activityWriter,
        List<ImportedLead> batch, List<ExternalActivity> activities, DateTime now, CancellationToken ct)
    {
        await leadWriter.WriteBatchAsync(batch, now, ct);
        batch.Clear();
        var written = await activityWriter.WriteBatchAsync(activities, ct);
        activities.Clear();
        return written;
    }

    internal static ImportedLead ToImported(SyntheticLead s, int rowNumber)
    {
        var lead = new ImportedLead
        {
            RowNumber = rowNumber,
            ExternalId = s.ExternalId,
            FirstName = s.FirstName,
            LastName = s.LastName,
            Email = s.Email,
            EmailNormalized = s.Email?.ToLowerInvariant(),
            Phone = s.Phone,
            Company = s.Company,
            JobTitle = s.JobTitle,
            Industry = s.Industry,
            CompanySize = s.CompanySize,
            AnnualRevenue = s.AnnualRevenue,
            Country = s.Country,
            Source = s.Source,
            Campaign = s.Campaign,
            Owner = s.Owner,
            Stage = s.Stage,
            Status = s.Status,
            Outcome = s.Outcome,
            DealValue = s.DealValue,
            CreatedAt = s.CreatedAt,
            LastActivityAt = s.LastActivityAt,
            ClosedAt = s.ClosedAt,
            Notes = s.Notes,
            CustomFields = JsonSerializer.Serialize(s.CustomFields),
        };
        lead.ContentHash = LeadRowParser.Hash(lead);
        return lead;
    }
}
