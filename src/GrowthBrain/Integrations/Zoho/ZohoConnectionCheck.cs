using System.Text.Json;

namespace GrowthBrain.Integrations.Zoho;

/// <summary>
/// The connection test: a fresh token from the accounts server, then one read per scope GrowthBrain needs
/// (organization, fields metadata, records), each failure said in words with what to change.
/// </summary>
public sealed class ZohoConnectionCheck(ZohoApiClient api, ZohoTokenCache tokens)
{
    public async Task<CrmCheck> CheckAsync(ZohoOptions o, CancellationToken ct)
    {
        if (!o.Configured)
            return new CrmCheck(false, $"Zoho CRM is not connected: set {string.Join(", ", o.Missing())} (or enter them on the Integrations page).");
        try
        {
            tokens.Forget(o);
            var token = await api.TokenAsync(o, ct);
            if (token.ApiDomain is { } domain && !SameHost(domain, o.ApiBaseUrl!))
                return new CrmCheck(false,
                    $"This Zoho account lives in another data centre: Zoho says its API is at {domain}, but Crm:Zoho:ApiBaseUrl is {o.ApiBaseUrl}. " +
                    $"Set Crm:Zoho:ApiBaseUrl to {domain} (and Crm:Zoho:AccountsUrl to the same data centre's accounts address).");

            var org = ZohoApiClient.Ok(await api.SendAsync(o, HttpMethod.Get, "/crm/v8/org", null, 0, ct), "ZohoCRM.org.READ");
            var (name, id) = OrgOf(org);
            ZohoApiClient.Ok(await api.SendAsync(o, HttpMethod.Get, "/crm/v8/settings/fields?module=Leads", null, 0, ct), ZohoFields.Scope);
            ZohoApiClient.Ok(await api.SendAsync(o, HttpMethod.Get, "/crm/v8/Leads?fields=Last_Name&per_page=1", null, 0, ct), "ZohoCRM.modules.ALL");
            return new CrmCheck(true, $"Connected to Zoho CRM organization {name} ({id}) at {o.ApiBaseUrl}.");
        }
        catch (CrmException e)
        {
            return new CrmCheck(false, e.Message);
        }
    }

    private static (string Name, string Id) OrgOf(ZohoAnswer answer)
    {
        var body = answer.RequireObject();
        if (!body.TryGetProperty("org", out var orgs) || orgs.ValueKind != JsonValueKind.Array || orgs.GetArrayLength() == 0)
            throw answer.Malformed("no org[]");
        var org = orgs[0];
        var name = org.TryGetProperty("company_name", out var n) ? ZohoRecordReader.Text(n) : null;
        var id = org.TryGetProperty("id", out var i) ? ZohoRecordReader.Text(i) : null;
        return (name ?? "(no name)", id ?? "?");
    }

    private static bool SameHost(string a, string b) =>
        Uri.TryCreate(a, UriKind.Absolute, out var x) && Uri.TryCreate(b, UriKind.Absolute, out var y)
            ? string.Equals(x.Host, y.Host, StringComparison.OrdinalIgnoreCase) && x.Port == y.Port
            : string.Equals(a.TrimEnd('/'), b.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);
}
