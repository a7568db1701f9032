using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace GrowthBrain.Integrations.Salesforce;

/// <summary>
/// `Crm:Salesforce:*`: a connected app's OAuth refresh token. Only the login address is configured: API calls go
/// to the `instance_url` the token answer names. Salesforce publishes no per-second rate; what it limits is the
/// org's API requests per rolling 24 hours (shared with every other integration of the org) and long-running
/// requests in flight (25 per org), so those are the two limits here.
/// </summary>
public sealed partial class SalesforceOptions : IValidatableObject, ICrmOptions
{
    public const string Section = "Crm:Salesforce";
    public const string DefaultLoginUrl = "https://login.salesforce.com";
    public const string DefaultApiVersion = "v60.0";

    public string LoginUrl { get; set; } = DefaultLoginUrl;
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }
    public string? RefreshToken { get; set; }

    /// <summary>The REST API version in every path (/services/data/v60.0/...).</summary>
    public string ApiVersion { get; set; } = DefaultApiVersion;

    /// <summary>The org (00D...) whose Outbound Messages /hooks/salesforce accepts; with <see cref="WebhookToken"/>, required to accept any.</summary>
    public string? OrganizationId { get; set; }

    /// <summary>The secret in the Outbound Message's endpoint URL (/hooks/salesforce?token=...); Salesforce does not sign its calls.</summary>
    public string? WebhookToken { get; set; }

    /// <summary>Calls in flight at once from this process (Salesforce allows 25 long-running ones per org); 0 = no limit.</summary>
    public int MaxConcurrentCalls { get; set; } = 10;

    /// <summary>Share of the org's daily API requests GrowthBrain leaves to the org's other integrations, in percent.</summary>
    public double DailyApiReservePercent { get; set; } = 5;

    /// <summary>Daily API requests GrowthBrain always leaves, whatever the percentage says.</summary>
    public int MinRemainingDailyRequests { get; set; }

    /// <summary>How often the limits resource is read again; between readings each answer's Sforce-Limit-Info keeps the count.</summary>
    public TimeSpan LimitsRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long one attempt may take before it is abandoned and retried.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one call may take with all its retries.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Retries after a 5xx, 408, 429 or timeout (never for creates after a timeout or 5xx).</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>First backoff delay; it doubles per retry (with jitter).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    public bool Configured => Missing().Count == 0;

    /// <summary>The credential settings still empty, by key.</summary>
    public IReadOnlyList<string> Missing()
    {
        var missing = new List<string>();
        if (string.IsNullOrWhiteSpace(ClientId)) missing.Add("Crm:Salesforce:ClientId");
        if (string.IsNullOrWhiteSpace(ClientSecret)) missing.Add("Crm:Salesforce:ClientSecret");
        if (string.IsNullOrWhiteSpace(RefreshToken)) missing.Add("Crm:Salesforce:RefreshToken");
        return missing;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (CrmAddress.Check("Crm:Salesforce:LoginUrl", LoginUrl, DefaultLoginUrl, required: true) is { } problem) yield return problem;
        var missing = Missing();
        // Half a connection is a typo waiting to surface at the first sync; say it at start instead.
        if (missing.Count is > 0 and < 3)
            yield return new ValidationResult($"The Salesforce connection is incomplete: set {string.Join(", ", missing)} too (all three are needed), or remove the others.");
        if (!VersionPattern().IsMatch(ApiVersion ?? ""))
            yield return new ValidationResult($"Crm:Salesforce:ApiVersion is '{ApiVersion}'; set a REST API version such as {DefaultApiVersion}.");
        if (MaxConcurrentCalls < 0) yield return new ValidationResult($"Crm:Salesforce:MaxConcurrentCalls is {MaxConcurrentCalls}; set 0 (no limit) or more.");
        if (DailyApiReservePercent is < 0 or >= 100)
            yield return new ValidationResult($"Crm:Salesforce:DailyApiReservePercent is {DailyApiReservePercent}; set 0 to 99.");
        if (MinRemainingDailyRequests < 0) yield return new ValidationResult("Crm:Salesforce:MinRemainingDailyRequests must not be negative.");
        if (LimitsRefreshInterval <= TimeSpan.Zero) yield return new ValidationResult("Crm:Salesforce:LimitsRefreshInterval must be positive, e.g. 00:05:00.");
        if (MaxRetries is < 0 or > 20) yield return new ValidationResult($"Crm:Salesforce:MaxRetries is {MaxRetries}; set 0 to 20.");
        if (AttemptTimeout <= TimeSpan.Zero || TotalTimeout <= TimeSpan.Zero)
            yield return new ValidationResult("Crm:Salesforce:AttemptTimeout and Crm:Salesforce:TotalTimeout must be positive, e.g. 00:00:30 and 00:03:00.");
        if (RetryBaseDelay < TimeSpan.Zero) yield return new ValidationResult("Crm:Salesforce:RetryBaseDelay must not be negative, e.g. 00:00:02.");
    }

    [GeneratedRegex(@"^v\d{2,3}\.\d$")]
    private static partial Regex VersionPattern();

    public override string ToString() =>
        $"Crm:Salesforce:LoginUrl={LoginUrl}, Crm:Salesforce:ClientId={ClientId ?? "(none)"}, " +
        $"Crm:Salesforce:ClientSecret={CrmAddress.Secret(ClientSecret)}, Crm:Salesforce:RefreshToken={CrmAddress.Secret(RefreshToken)}, " +
        $"Crm:Salesforce:ApiVersion={ApiVersion}, Crm:Salesforce:OrganizationId={OrganizationId ?? "(none)"}, " +
        $"Crm:Salesforce:WebhookToken={CrmAddress.Secret(WebhookToken)}, Crm:Salesforce:MaxConcurrentCalls={MaxConcurrentCalls}, " +
        $"Crm:Salesforce:DailyApiReservePercent={DailyApiReservePercent}, Crm:Salesforce:MinRemainingDailyRequests={MinRemainingDailyRequests}";
}
