using GrowthBrain.Accounts;
using GrowthBrain.Data;
using GrowthBrain.Errors;

namespace GrowthBrain.Integrations.Sync;

/// <summary>The CRM is not connected (no credentials), or no connector for it ships in this build.</summary>
public sealed class CrmNotConnectedException(string message) : DomainException(message, ErrorKind.Conflict, "CRM not connected");

/// <summary>Finds a connector by name and the connection's state row, creating it on first use.</summary>
public sealed class CrmConnectors(IEnumerable<ICrmConnector> connectors, GrowthBrainDb db, TeamScope scope, TimeProvider clock)
{
    public static readonly string[] Known = ["hubspot", "zoho", "salesforce", "pipedrive"];

    public IReadOnlyList<ICrmConnector> All { get; } = connectors.ToList();

    public ICrmConnector Get(string crm)
    {
        var name = crm.Trim().ToLowerInvariant();
        if (!Known.Contains(name))
            throw new ArgumentException($"'{crm}' is not a CRM GrowthBrain connects to; use one of {string.Join(", ", Known)} (any other CRM: import its CSV export).");
        return All.FirstOrDefault(c => c.Crm == name)
            ?? throw new CrmNotConnectedException($"This build has no {crm} connector yet; import its CSV export on the Integrations page meanwhile.");
    }

    /// <summary>The connector, when its credentials are set; otherwise says where to set them.</summary>
    public async Task<ICrmConnector> GetConfiguredAsync(string crm, CancellationToken ct)
    {
        var connector = Get(crm);
        if (!await connector.IsConfiguredAsync(ct))
            throw new CrmNotConnectedException(
                $"{connector.DisplayName} is not connected: enter its credentials on the Integrations page, or set the Crm:{connector.DisplayName.Split(' ')[0]}:* settings, then try again.");
        return connector;
    }

    /// <summary>
    /// The connection's row. Records land in the team of whoever connected it, or for a connection made by configuration
    /// (the CLI, a job) in the first team.
    /// </summary>
    public async Task<CrmSyncState> StateAsync(ICrmConnector connector, CancellationToken ct)
    {
        var state = await db.CrmSyncStates.IgnoreQueryFilters().FirstOrDefaultAsync(s => s.Crm == connector.Crm, ct);
        if (state is not null) return state;
        var teamId = scope.HomeTeamId ?? await db.Teams.IgnoreQueryFilters().OrderBy(t => t.Id).Select(t => (long?)t.Id).FirstOrDefaultAsync(ct)
            ?? throw new InvalidOperationException("The database has no team yet; run `./growthbrain db migrate` first.");
        state = new CrmSyncState { Crm = connector.Crm, TeamId = teamId, CreatedAt = clock.GetUtcNow().UtcDateTime };
        db.CrmSyncStates.Add(state);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another instance made it at the same moment (the CRM is unique): use theirs.
            db.Entry(state).State = EntityState.Detached;
            state = await db.CrmSyncStates.IgnoreQueryFilters().FirstAsync(s => s.Crm == connector.Crm, ct);
        }
        return state;
    }
}
