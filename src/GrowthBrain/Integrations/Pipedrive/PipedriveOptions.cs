using System.ComponentModel.DataAnnotations;

namespace GrowthBrain.Integrations.Pipedrive;

/// <summary>
/// `Crm:Pipedrive:*`: a personal API token, and the limits the connector keeps to. The limits default to Pipedrive's
/// published ones for the lowest plan (rate limiting reference: api_token requests on Essential/Lite may make 20
/// requests per 2-second window; the token-based daily budget is 30,000 base tokens × plan multiplier (Lite: 1) ×
/// seats, so 30,000 for one seat). A company on a higher plan or with more seats may raise them; tests and benchmarks
/// may set 0 to turn one off.
/// </summary>
public sealed class PipedriveOptions : IValidatableObject, ICrmOptions
{
    public const string Section = "Crm:Pipedrive";
    public const string DefaultBaseUrl = "https://api.pipedrive.com";
    public const int DefaultBurstPer2Seconds = 20;
    public const int DefaultDailyTokenBudget = 30_000;

    public string BaseUrl { get; set; } = DefaultBaseUrl;

    /// <summary>Sent as the x-api-token header, never in the query string, so it stays out of access logs.</summary>
    public string? ApiToken { get; set; }

    /// <summary>The user name Pipedrive sends with HTTP Basic auth on webhook calls (set when the webhook was created).</summary>
    public string? WebhookUser { get; set; }

    /// <summary>The password of that Basic auth; without user and password every webhook call is refused.</summary>
    public string? WebhookPassword { get; set; }

    /// <summary>Requests per burst window per token (0: no limit). Lowered further when Pipedrive's x-ratelimit-limit says less.</summary>
    public int BurstPer2Seconds { get; set; } = DefaultBurstPer2Seconds;

    /// <summary>Pipedrive's burst window is 2 seconds; only tests and benchmarks shorten it.</summary>
    public TimeSpan BurstWindow { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>API tokens (Pipedrive's cost units) this process spends per UTC day before it stops and says so (0: no limit).</summary>
    public int DailyTokenBudget { get; set; } = DefaultDailyTokenBudget;

    /// <summary>One attempt's timeout.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>One call's timeout with all its retries and waits.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Retries after a 429, 5xx, 408 or timeout; Retry-After is obeyed when Pipedrive sends it.</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>The first retry's delay (doubling, with jitter) when Pipedrive sends no Retry-After.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    public bool Configured => !string.IsNullOrWhiteSpace(ApiToken);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (CrmAddress.Check("Crm:Pipedrive:BaseUrl", BaseUrl, DefaultBaseUrl, required: true) is { } problem) yield return problem;
        if (BurstPer2Seconds < 0) yield return new ValidationResult($"Crm:Pipedrive:BurstPer2Seconds is {BurstPer2Seconds}; set 0 (no limit) or more, e.g. 20.");
        if (BurstWindow <= TimeSpan.Zero) yield return new ValidationResult("Crm:Pipedrive:BurstWindow must be positive, e.g. 00:00:02.");
        if (DailyTokenBudget < 0) yield return new ValidationResult($"Crm:Pipedrive:DailyTokenBudget is {DailyTokenBudget}; set 0 (no limit) or more, e.g. 30000.");
        if (AttemptTimeout <= TimeSpan.Zero || TotalTimeout < AttemptTimeout)
            yield return new ValidationResult("Crm:Pipedrive:AttemptTimeout must be positive and at most Crm:Pipedrive:TotalTimeout, e.g. 00:00:30 and 00:03:00.");
        if (MaxRetries is < 0 or > 20) yield return new ValidationResult($"Crm:Pipedrive:MaxRetries is {MaxRetries}; set 0 to 20.");
        if (RetryBaseDelay < TimeSpan.Zero) yield return new ValidationResult("Crm:Pipedrive:RetryBaseDelay must not be negative, e.g. 00:00:01.");
        if (string.IsNullOrWhiteSpace(WebhookUser) != string.IsNullOrWhiteSpace(WebhookPassword))
            yield return new ValidationResult("Set both Crm:Pipedrive:WebhookUser and Crm:Pipedrive:WebhookPassword (the webhook's Basic auth), or neither.");
    }

    public override string ToString() =>
        $"Crm:Pipedrive:BaseUrl={BaseUrl}, Crm:Pipedrive:ApiToken={CrmAddress.Secret(ApiToken)}, Crm:Pipedrive:WebhookUser={WebhookUser ?? "(none)"}, " +
        $"Crm:Pipedrive:WebhookPassword={CrmAddress.Secret(WebhookPassword)}, Crm:Pipedrive:BurstPer2Seconds={BurstPer2Seconds}, " +
        $"Crm:Pipedrive:DailyTokenBudget={DailyTokenBudget}";
}
