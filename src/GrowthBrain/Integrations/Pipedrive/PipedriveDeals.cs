using System.Text.Json.Nodes;

namespace GrowthBrain.Integrations.Pipedrive;

/// <summary>One deal as far as a person's outcome needs it.</summary>
public sealed record PipedriveDeal(long Id, long? PersonId, string Status, long? StageId, DateTime UpdatedAt);

/// <summary>What a person's deals say: the outcome and where the latest open deal stands.</summary>
/// <param name="Status">won when any deal is won, lost when every deal is lost, open otherwise; null without deals.</param>
/// <param name="Stage">The stage name of the person's most recently updated open deal.</param>
/// <param name="LastChange">The newest update_time among the person's deals.</param>
public sealed record PipedriveOutcome(string? Status, string? Stage, DateTime? LastChange);

/// <summary>
/// Deals through the v2 deals list (cursor paging, at most 500 a page): every deal not deleted, grouped by person, and
/// the stage names. Read once per connector (one sync) and only when a page of persons needs it; a sync whose pull finds
/// nothing changed never reads it.
/// </summary>
public sealed class PipedriveDeals(PipedriveApiClient api)
{
    public const int PageLimit = 500;
    private Dictionary<long, List<PipedriveDeal>>? _byPerson;
    private Dictionary<long, string>? _stages;

    /// <summary>Forgets what was read: a new pull starts, and deals may have changed since.</summary>
    public void Reset() => (_byPerson, _stages) = (null, null);

    public async Task<PipedriveOutcome> OutcomeAsync(PipedriveOptions o, long personId, CancellationToken ct)
    {
        if (_byPerson is null || _stages is null)
        {
            var deals = await ListAsync(o, null, null, ct);
            _byPerson = deals.Deals.Where(d => d.PersonId is not null).GroupBy(d => d.PersonId!.Value).ToDictionary(g => g.Key, g => g.ToList());
            _stages = await StagesAsync(o, ct);
        }
        return Outcome(_byPerson.GetValueOrDefault(personId), _stages);
    }

    public static PipedriveOutcome Outcome(IReadOnlyList<PipedriveDeal>? deals, IReadOnlyDictionary<long, string> stages)
    {
        if (deals is null || deals.Count == 0) return new PipedriveOutcome(null, null, null);
        var status = deals.Any(d => d.Status == "won") ? "won" : deals.All(d => d.Status == "lost") ? "lost" : "open";
        var latestOpen = deals.Where(d => d.Status == "open").MaxBy(d => d.UpdatedAt);
        var stage = latestOpen?.StageId is { } s ? stages.GetValueOrDefault(s) ?? s.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return new PipedriveOutcome(status, stage, deals.Max(d => d.UpdatedAt));
    }

    /// <summary>All deals (one page when <paramref name="cursor"/> is given or <paramref name="since"/> is set: the deals phase of a pull).</summary>
    public async Task<(IReadOnlyList<PipedriveDeal> Deals, string? NextCursor)> ListAsync(PipedriveOptions o, DateTime? since, string? cursor,
        CancellationToken ct, bool onePage = false)
    {
        var deals = new List<PipedriveDeal>();
        do
        {
            var query = $"/api/v2/deals?limit={PageLimit}&sort_by=update_time&sort_direction=asc" +
                        (since is { } s ? $"&updated_since={Uri.EscapeDataString(PipedriveValues.Rfc3339(s))}" : "") +
                        (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
            var answer = await api.SendOkAsync(o, HttpMethod.Get, query, null, ct);
            foreach (var node in answer.DataArray())
            {
                if (node is not JsonObject d) throw answer.Malformed("a deal is not an object");
                var id = PipedriveValues.Id(d["id"]) ?? throw answer.Malformed("a deal has no id");
                var status = PipedriveAnswer.Text(d, "status") ?? throw answer.Malformed($"deal {id} has no status");
                var updated = PipedriveValues.Time(d["update_time"]) ?? throw answer.Malformed($"deal {id} has no readable update_time");
                if (status == "deleted") continue;
                deals.Add(new PipedriveDeal(id, PipedriveValues.Id(d["person_id"]), status, PipedriveValues.Id(d["stage_id"]), updated));
            }
            cursor = answer.NextCursor();
        }
        while (cursor is not null && !onePage);
        return (deals, cursor);
    }

    private async Task<Dictionary<long, string>> StagesAsync(PipedriveOptions o, CancellationToken ct)
    {
        var stages = new Dictionary<long, string>();
        string? cursor = null;
        do
        {
            var answer = await api.SendOkAsync(o, HttpMethod.Get, $"/api/v2/stages?limit={PageLimit}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"), null, ct);
            foreach (var s in answer.DataArray().OfType<JsonObject>())
                if (PipedriveValues.Id(s["id"]) is { } id && PipedriveAnswer.Text(s, "name") is { } name) stages[id] = name;
            cursor = answer.NextCursor();
        }
        while (cursor is not null);
        return stages;
    }
}
