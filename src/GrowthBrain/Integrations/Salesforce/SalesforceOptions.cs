using System.ComponentModel.DataAnnotations;

namespace GrowthBrain.Integrations.Salesforce;

/// <summary>
/// `Crm:Salesforce:*`: a connected app's OAuth refresh token. Only the login address is configured: API calls go
/// to the `instance_url` the token answer names.
/// </summary>
public sealed class SalesforceOptions : IValidatableObject, ICrmOptions
{
    public const string Section = "Crm:Salesforce";
    public const string DefaultLoginUrl = "https://login.salesforce.com";

    public string LoginUrl { get; set; } = DefaultLoginUrl;
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }
    public string? RefreshToken { get; set; }

    public bool Configured => !string.IsNullOrWhiteSpace(ClientSecret);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (CrmAddress.Check("Crm:Salesforce:LoginUrl", LoginUrl, DefaultLoginUrl, required: true) is { } problem) yield return problem;
    }

    public override string ToString() =>
        $"Crm:Salesforce:LoginUrl={LoginUrl}, Crm:Salesforce:ClientId={ClientId ?? "(none)"}, " +
        $"Crm:Salesforce:ClientSecret={CrmAddress.Secret(ClientSecret)}, Crm:Salesforce:RefreshToken={CrmAddress.Secret(RefreshToken)}";
}
