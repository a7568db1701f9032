using System.Globalization;

namespace GrowthBrain.Integrations.Pipedrive;

/// <summary>
/// The connection test: who the token is (GET /v1/users/me: company and user), whether persons and their fields can
/// be read, and what is left of the day's budget, each failure in words with what to change.
/// </summary>
public sealed class PipedriveConnectionCheck(PipedriveApiClient api, PipedriveRateLimiter limiter)
{
    public async Task<CrmCheck> CheckAsync(PipedriveOptions o, CancellationToken ct)
    {
        if (!o.Configured)
            return new CrmCheck(false, "Pipedrive is not connected: set Crm:Pipedrive:ApiToken (or enter the API token on the Integrations page).");
        try
        {
            var me = (await api.SendOkAsync(o, HttpMethod.Get, "/v1/users/me", null, ct)).DataObject();
            var company = PipedriveAnswer.Text(me, "company_name") ?? PipedriveAnswer.Text(me, "company_domain") ?? "(no name)";
            var user = PipedriveAnswer.Text(me, "name") ?? "?";
            var email = PipedriveAnswer.Text(me, "email");
            await api.SendOkAsync(o, HttpMethod.Get, "/v1/personFields?start=0&limit=1", null, ct);
            await api.SendOkAsync(o, HttpMethod.Get, "/api/v2/persons?limit=1", null, ct);
            var budget = limiter.TokensLeft is { } left
                ? $" {left.ToString("N0", CultureInfo.InvariantCulture)} of the day's {o.DailyTokenBudget.ToString("N0", CultureInfo.InvariantCulture)} API tokens are left (Crm:Pipedrive:DailyTokenBudget)"
                : " No daily API budget is set (Crm:Pipedrive:DailyTokenBudget is 0)";
            var writes = limiter.WritesLeft is { } w ? $"; Pipedrive reports {w.ToString("N0", CultureInfo.InvariantCulture)} write requests left today" : "";
            var burst = limiter.BurstLimit is { } b ? $" Requests are kept to {b} per 2 seconds." : "";
            return new CrmCheck(true, $"Connected to Pipedrive company {company} as {user}{(email is null ? "" : $" ({email})")}: persons and their fields can be read.{budget}{writes}.{burst}");
        }
        catch (CrmException e)
        {
            return new CrmCheck(false, e.Message);
        }
    }
}
