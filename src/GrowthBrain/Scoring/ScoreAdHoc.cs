using GrowthBrain.Data;
using GrowthBrain.Leads;

namespace GrowthBrain.Scoring;

public sealed record AdHocActivity(ActivityType Type, DateTime OccurredAt, string? Subject = null);

/// <summary>A lead that is not in GrowthBrain: scored from what the caller sends, nothing stored.</summary>
public sealed record AdHocLead(
    string? Id = null,
    string? Email = null,
    string? JobTitle = null,
    string? Industry = null,
    int? CompanySize = null,
    decimal? AnnualRevenue = null,
    string? Country = null,
    string? Source = null,
    string? Campaign = null,
    string? Notes = null,
    DateTime? CreatedAt = null,
    IReadOnlyDictionary<string, string>? CustomFields = null,
    IReadOnlyList<AdHocActivity>? Activities = null);

public sealed record ScoreAdHoc(IReadOnlyList<AdHocLead> Leads, long? TeamId = null);

/// <summary>POST /api/score: leads in, probabilities, grades and reasons out, with the active model.</summary>
public sealed class ScoreAdHocHandler(GrowthBrainDb db, ActiveModels models, TimeProvider clock)
{
    public const int MaxLeads = 1_000;

    public async Task<IReadOnlyList<LeadScoreView>> HandleAsync(ScoreAdHoc request, CancellationToken ct)
    {
        if (request.Leads is null || request.Leads.Count == 0) throw new ArgumentException("leads is empty; send at least one lead.");
        if (request.Leads.Count > MaxLeads) throw new ArgumentException($"leads has {request.Leads.Count} entries; send at most {MaxLeads} per call.");
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var (lead, i) in request.Leads.Select((l, i) => (l, i)))
        {
            if (lead is null) throw new ArgumentException($"leads[{i}] is null; send a lead object (its fields may be empty).");
            if (lead.Activities?.Any(a => a is null) == true) throw new ArgumentException($"leads[{i}].activities has a null entry; remove it.");
            if (lead.CompanySize is < 0) throw new ArgumentException($"leads[{i}].companySize is {lead.CompanySize}; it can't be negative.");
            if (lead.AnnualRevenue is < 0) throw new ArgumentException($"leads[{i}].annualRevenue is {lead.AnnualRevenue}; it can't be negative.");
            if (lead.CreatedAt > now.AddDays(1)) throw new ArgumentException($"leads[{i}].createdAt is in the future.");
            if (lead.Activities?.Any(a => !Enum.IsDefined(a.Type)) == true) throw new ArgumentException($"leads[{i}] has an activity of unknown type.");
        }
        var teamId = request.TeamId ?? await db.Teams.OrderBy(t => t.Id).Select(t => t.Id).FirstAsync(ct);
        var active = await models.GetAsync(db, teamId, ct)
            ?? throw new ScoringException("No model is active yet; run `./growthbrain train` first (it needs closed leads to learn from).");

        var results = new List<LeadScoreView>(request.Leads.Count);
        for (var i = 0; i < request.Leads.Count; i++)
        {
            var a = request.Leads[i];
            var lead = new Lead
            {
                Id = -(i + 1), Email = a.Email, JobTitle = a.JobTitle, Industry = a.Industry, CompanySize = a.CompanySize,
                AnnualRevenue = a.AnnualRevenue, Country = a.Country, Source = a.Source, Campaign = a.Campaign, Notes = a.Notes,
                CreatedAt = a.CreatedAt ?? now, Outcome = LeadOutcome.Open,
                CustomFields = a.CustomFields is null ? "{}" : System.Text.Json.JsonSerializer.Serialize(a.CustomFields),
            };
            var activities = new Dictionary<long, List<(ActivityType Type, DateTime OccurredAt, string? Subject)>>
            {
                [lead.Id] = (a.Activities ?? []).Select(x => (x.Type, x.OccurredAt.ToUniversalTime(), x.Subject)).ToList(),
            };
            var table = LeadFeatures.Build([lead], activities, now);
            var view = ScoreLeadHandler.Explain(active.Version, active.Scorer, table, lead.Id, now, open: true);
            results.Add(view);
        }
        return results;
    }
}
