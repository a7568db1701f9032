using System.ComponentModel.DataAnnotations;

namespace GrowthBrain.Integrations.HubSpot;

/// <summary>`Crm:HubSpot:*`: a private app's access token.</summary>
public sealed class HubSpotOptions : IValidatableObject, ICrmOptions
{
    public const string Section = "Crm:HubSpot";
    public const string DefaultBaseUrl = "https://api.hubapi.com";

    public string BaseUrl { get; set; } = DefaultBaseUrl;
    public string? AccessToken { get; set; }

    public bool Configured => !string.IsNullOrWhiteSpace(AccessToken);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (CrmAddress.Check("Crm:HubSpot:BaseUrl", BaseUrl, DefaultBaseUrl, required: true) is { } problem) yield return problem;
    }

    public override string ToString() => $"Crm:HubSpot:BaseUrl={BaseUrl}, Crm:HubSpot:AccessToken={CrmAddress.Secret(AccessToken)}";
}
