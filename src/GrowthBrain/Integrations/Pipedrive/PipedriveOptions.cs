using System.ComponentModel.DataAnnotations;

namespace GrowthBrain.Integrations.Pipedrive;

/// <summary>`Crm:Pipedrive:*`: a personal API token.</summary>
public sealed class PipedriveOptions : IValidatableObject, ICrmOptions
{
    public const string Section = "Crm:Pipedrive";
    public const string DefaultBaseUrl = "https://api.pipedrive.com";

    public string BaseUrl { get; set; } = DefaultBaseUrl;
    public string? ApiToken { get; set; }

    public bool Configured => !string.IsNullOrWhiteSpace(ApiToken);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (CrmAddress.Check("Crm:Pipedrive:BaseUrl", BaseUrl, DefaultBaseUrl, required: true) is { } problem) yield return problem;
    }

    public override string ToString() => $"Crm:Pipedrive:BaseUrl={BaseUrl}, Crm:Pipedrive:ApiToken={CrmAddress.Secret(ApiToken)}";
}
