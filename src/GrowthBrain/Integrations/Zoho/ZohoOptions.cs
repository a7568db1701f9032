using System.ComponentModel.DataAnnotations;

namespace GrowthBrain.Integrations.Zoho;

/// <summary>
/// `Crm:Zoho:*`: OAuth with a refresh token. No default addresses: Zoho keeps each account in one data centre
/// (zohoapis.com, .eu, .in, .com.au, .jp, .ca, .sa, ...), and the API and accounts addresses must both be that one's.
/// The limits default to the smallest published ones (Zoho CRM API limits, v8), so that no edition is overrun.
/// </summary>
public sealed class ZohoOptions : IValidatableObject, ICrmOptions
{
    public const string Section = "Crm:Zoho";

    /// <summary>Concurrent calls per org and app: Free 5, Standard 10, Professional 15, Enterprise 20, Ultimate 25.</summary>
    public const int DefaultMaxConcurrentCalls = 5;

    /// <summary>Standard edition's base credits per rolling 24 hours (50,000 + 250 per user license, at most 100,000).</summary>
    public const int DefaultCreditsPerDay = 50_000;

    public string? ApiBaseUrl { get; set; }
    public string? AccountsUrl { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }
    public string? RefreshToken { get; set; }

    /// <summary>The `token` set when the notification channel was enabled; /hooks/zoho refuses every call without it.</summary>
    public string? WebhookToken { get; set; }

    /// <summary>Calls in flight at once from this process; 0 = no limit.</summary>
    public int MaxConcurrentCalls { get; set; } = DefaultMaxConcurrentCalls;

    /// <summary>API credits this process spends in any 24 hours before it refuses to call; 0 = no limit.</summary>
    public int CreditsPerDay { get; set; } = DefaultCreditsPerDay;

    /// <summary>How long one attempt may take before it is abandoned and retried.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one call may take with all its retries.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Retries after a 5xx, 408, 429 or timeout; Retry-After is obeyed when Zoho sends it.</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>First backoff delay; it doubles per retry (with jitter).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Refresh the access token this long before Zoho says it expires.</summary>
    public TimeSpan TokenRefreshMargin { get; set; } = TimeSpan.FromMinutes(5);

    public bool Configured => Missing().Count == 0;

    /// <summary>The credential settings still empty, by key.</summary>
    public IReadOnlyList<string> Missing()
    {
        var missing = new List<string>();
        if (string.IsNullOrWhiteSpace(ApiBaseUrl)) missing.Add("Crm:Zoho:ApiBaseUrl");
        if (string.IsNullOrWhiteSpace(AccountsUrl)) missing.Add("Crm:Zoho:AccountsUrl");
        if (string.IsNullOrWhiteSpace(ClientId)) missing.Add("Crm:Zoho:ClientId");
        if (string.IsNullOrWhiteSpace(ClientSecret)) missing.Add("Crm:Zoho:ClientSecret");
        if (string.IsNullOrWhiteSpace(RefreshToken)) missing.Add("Crm:Zoho:RefreshToken");
        return missing;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (CrmAddress.Check("Crm:Zoho:ApiBaseUrl", ApiBaseUrl, "https://www.zohoapis.com", required: false) is { } api) yield return api;
        if (CrmAddress.Check("Crm:Zoho:AccountsUrl", AccountsUrl, "https://accounts.zoho.com", required: false) is { } accounts) yield return accounts;
        var missing = Missing();
        // Half a connection is a typo waiting to surface at the first sync; say it at start instead.
        if (missing.Count is > 0 and < 5)
            yield return new ValidationResult($"The Zoho connection is incomplete: set {string.Join(", ", missing)} too (all five are needed), or remove the others.");
        if (MaxConcurrentCalls < 0) yield return new ValidationResult($"Crm:Zoho:MaxConcurrentCalls is {MaxConcurrentCalls}; set 0 (no limit) or more.");
        if (CreditsPerDay < 0) yield return new ValidationResult($"Crm:Zoho:CreditsPerDay is {CreditsPerDay}; set 0 (no limit) or more.");
        if (MaxRetries is < 0 or > 20) yield return new ValidationResult($"Crm:Zoho:MaxRetries is {MaxRetries}; set 0 to 20.");
        if (AttemptTimeout <= TimeSpan.Zero || TotalTimeout <= TimeSpan.Zero)
            yield return new ValidationResult("Crm:Zoho:AttemptTimeout and Crm:Zoho:TotalTimeout must be positive, e.g. 00:00:30 and 00:03:00.");
        if (RetryBaseDelay < TimeSpan.Zero) yield return new ValidationResult("Crm:Zoho:RetryBaseDelay must not be negative, e.g. 00:00:02.");
    }

    public override string ToString() =>
        $"Crm:Zoho:ApiBaseUrl={ApiBaseUrl ?? "(none)"}, Crm:Zoho:AccountsUrl={AccountsUrl ?? "(none)"}, Crm:Zoho:ClientId={ClientId ?? "(none)"}, " +
        $"Crm:Zoho:ClientSecret={CrmAddress.Secret(ClientSecret)}, Crm:Zoho:RefreshToken={CrmAddress.Secret(RefreshToken)}, " +
        $"Crm:Zoho:WebhookToken={CrmAddress.Secret(WebhookToken)}, Crm:Zoho:MaxConcurrentCalls={MaxConcurrentCalls}, Crm:Zoho:CreditsPerDay={CreditsPerDay}";
}
