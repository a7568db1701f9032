using GrowthBrain.Data;
using GrowthBrain.Audit;
using GrowthBrain.Accounts;

namespace GrowthBrain.Integrations.Sync;

public sealed record GetCrmMapping(string Crm, bool Suggested = false);

/// <param name="Mapping">The saved mapping, or the suggestion when none is saved (or one was asked for).</param>
/// <param name="Saved">Whether <paramref name="Mapping"/> is the saved one.</param>
/// <param name="Properties">Every property the CRM offers, for choosing.</param>
public sealed record CrmMappingView(string Crm, CrmMapping Mapping, bool Saved, IReadOnlyList<CrmProperty> Properties);

/// <summary>The mapping to edit: the saved one, or what GrowthBrain suggests from the CRM's own property list.</summary>
public sealed class GetCrmMappingHandler(CrmConnectors connectors, GrowthBrainDb db)
{
    public async Task<CrmMappingView> HandleAsync(GetCrmMapping request, CancellationToken ct)
    {
        var connector = await connectors.GetConfiguredAsync(request.Crm, ct);
        var properties = await connector.DescribeAsync(ct);
        var saved = request.Suggested ? null : await db.CrmSyncStates.AsNoTracking().Where(s => s.Crm == connector.Crm).Select(s => s.Mapping).FirstOrDefaultAsync(ct);
        return saved is not null
            ? new CrmMappingView(connector.Crm, CrmMapping.FromJson(saved), true, properties)
            : new CrmMappingView(connector.Crm, CrmMapping.Suggest(properties), false, properties);
    }
}

public sealed record SaveCrmMapping(string Crm, CrmMapping Mapping);

/// <summary>
/// Saves an edited mapping after checking it against the CRM's properties. The next sync reads every record again
/// (the watermarks are cleared), because fields that were not mapped before must be filled for records already pulled.
/// </summary>
public sealed class SaveCrmMappingHandler(CrmConnectors connectors, GrowthBrainDb db, AuditLog audit, TeamScope scope)
{
    public async Task HandleAsync(SaveCrmMapping request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request.Mapping);
        if (request.Mapping.Fields is null || request.Mapping.Won is null || request.Mapping.Lost is null)
            throw new ArgumentException("The mapping needs fields, won and lost lists (they may be empty).");
        var connector = await connectors.GetConfiguredAsync(request.Crm, ct);
        request.Mapping.Validate(await connector.DescribeAsync(ct), connector.DisplayName);
        var state = await connectors.StateAsync(connector, ct);
        state.Mapping = request.Mapping.ToJson();
        state.Watermarks = "{}";
        (state.ResumeObject, state.ResumeCursor, state.ResumeSince, state.ResumeMaxSeen) = (null, null, null, null);
        await db.CrmLinks.Where(l => l.Crm == connector.Crm && l.RecordKind == "lead").ExecuteUpdateAsync(s => s.SetProperty(l => l.PulledHash, (long?)null), ct);
        audit.Add(db, scope.Actor, "crm.mapping-saved", state.TeamId, "crm", connector.Crm,
            $"{request.Mapping.Fields.Count(f => f.Field != Leads.Import.LeadField.Ignore)} properties mapped; outcome from {request.Mapping.OutcomeProperty ?? "none"}");
        await db.SaveChangesAsync(ct);
    }
}
