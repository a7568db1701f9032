namespace GrowthBrain.Integrations.Salesforce;

/// <summary>
/// The connection test: a fresh session from the login server, the org's daily API requests from the limits
/// resource, and Lead's describe (which needs API access and read on leads), each failure said in words.
/// </summary>
public sealed class SalesforceConnectionCheck(SalesforceApiClient api, SalesforceTokenCache tokens, SalesforceLimits limits, SalesforceDescribe describe)
{
    public async Task<CrmCheck> CheckAsync(SalesforceOptions o, CancellationToken ct)
    {
        if (!o.Configured)
            return new CrmCheck(false, $"Salesforce is not connected: set {string.Join(", ", o.Missing())} (or enter them on the Integrations page).");
        try
        {
            tokens.Forget(o);
            var session = await api.SessionAsync(o, ct);
            session = await api.ReadLimitsAsync(o, session, ct);
            var budget = limits.BudgetOf(session.InstanceUrl);
            await describe.FieldsAsync(o, "Lead", ct);
            var org = session.OrganizationId is { } id ? $"org {id} " : "";
            var other = o.OrganizationId is { Length: >= 15 } configured && session.OrganizationId is { Length: >= 15 } actual
                        && !string.Equals(configured[..15], actual[..15], StringComparison.Ordinal)
                ? $" Note: Crm:Salesforce:OrganizationId is {configured}, so Outbound Messages from this org would be refused."
                : "";
            return new CrmCheck(true, $"Connected to Salesforce {org}at {session.InstanceUrl}" +
                                      (budget is null ? "." : $"; {budget.Remaining:N0} of {budget.Max:N0} daily API requests left.") + other);
        }
        catch (CrmException e)
        {
            return new CrmCheck(false, e.Message);
        }
    }
}
