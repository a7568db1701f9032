using System.ComponentModel.DataAnnotations;

namespace GrowthBrain.Integrations.HubSpot;

/// <summary>
/// `Crm:HubSpot:*`: a private app's access token, the app's client secret for webhook signatures, and the limits
/// the connector keeps to. The limits are HubSpot's published ones for the lowest plan (private apps on Free and
/// Starter: 100 calls per rolling 10 s, 250,000 a day; search: 5 calls per second per account); an account on a
/// higher plan may raise them, and tests and benchmarks may set 0 to turn one off.
/// </summary>
public sealed class HubSpotOptions : IValidatableObject, ICrmOptions
{
    public const string Section = "Crm:HubSpot";
    public const string DefaultBaseUrl = "https://api.hubapi.com";

    public string BaseUrl { get; set; } = DefaultBaseUrl;
    public string? AccessToken { get; set; }

    /// <summary>The app's client secret: the key of X-HubSpot-Signature-v3 on webhook calls. Without it webhooks are refused.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Calls per rolling 10 seconds, all endpoints together (0: no limit).</summary>
    public int BurstPer10Seconds { get; set; } = 100;

    /// <summary>Search calls per second (0: no limit).</summary>
    public int SearchPerSecond { get; set; } = 5;

    /// <summary>Calls per day this process makes before it stops and says so (0: no limit).</summary>
    public int DailyLimit { get; set; } = 250_000;

    /// <summary>One attempt's timeout, in seconds.</summary>
    public double AttemptTimeoutSeconds { get; set; } = 30;

    /// <summary>One call's timeout with all its retries and waits, in seconds.</summary>
    public double TotalTimeoutSeconds { get; set; } = 180;

    /// <summary>Retries after a 429, 5xx, 408 or timeout.</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>The first retry's delay (doubling, with jitter) when HubSpot sends no Retry-After, in milliseconds.</summary>
    public int RetryBaseDelayMilliseconds { get; set; } = 1000;

    public bool Configured => !string.IsNullOrWhiteSpace(AccessToken);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (CrmAddress.Check("Crm:HubSpot:BaseUrl", BaseUrl, DefaultBaseUrl, required: true) is { } problem) yield return problem;
        if (BurstPer10Seconds < 0) yield return new ValidationResult($"Crm:HubSpot:BurstPer10Seconds is {BurstPer10Seconds}; set 0 (no limit) or more, e.g. 100.");
        if (SearchPerSecond < 0) yield return new ValidationResult($"Crm:HubSpot:SearchPerSecond is {SearchPerSecond}; set 0 (no limit) or more, e.g. 5.");
        if (DailyLimit < 0) yield return new ValidationResult($"Crm:HubSpot:DailyLimit is {DailyLimit}; set 0 (no limit) or more, e.g. 250000.");
        if (AttemptTimeoutSeconds <= 0 || TotalTimeoutSeconds < AttemptTimeoutSeconds)
            yield return new ValidationResult($"Crm:HubSpot:AttemptTimeoutSeconds ({AttemptTimeoutSeconds}) must be above 0 and at most Crm:HubSpot:TotalTimeoutSeconds ({TotalTimeoutSeconds}).");
        if (MaxRetries is < 0 or > 20) yield return new ValidationResult($"Crm:HubSpot:MaxRetries is {MaxRetries}; set 0 to 20.");
        if (RetryBaseDelayMilliseconds < 0) yield return new ValidationResult($"Crm:HubSpot:RetryBaseDelayMilliseconds is {RetryBaseDelayMilliseconds}; set 0 or more.");
    }

    public override string ToString() =>
        $"Crm:HubSpot:BaseUrl={BaseUrl}, Crm:HubSpot:AccessToken={CrmAddress.Secret(AccessToken)}, Crm:HubSpot:ClientSecret={CrmAddress.Secret(ClientSecret)}, " +
        $"Crm:HubSpot:BurstPer10Seconds={BurstPer10Seconds}, Crm:HubSpot:SearchPerSecond={SearchPerSecond}, Crm:HubSpot:DailyLimit={DailyLimit}";
}
