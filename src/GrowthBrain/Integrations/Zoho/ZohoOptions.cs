using System.ComponentModel.DataAnnotations;

namespace GrowthBrain.Integrations.Zoho;

/// <summary>
/// `Crm:Zoho:*`: OAuth with a refresh token. No default addresses: Zoho keeps each account in one data centre
/// (zohoapis.com, .eu, .in, .com.au, ...), and the API and accounts addresses must both be that one's.
/// </summary>
public sealed class ZohoOptions : IValidatableObject, ICrmOptions
{
    public const string Section = "Crm:Zoho";

    public string? ApiBaseUrl { get; set; }
    public string? AccountsUrl { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }
    public string? RefreshToken { get; set; }

    public bool Configured => !string.IsNullOrWhiteSpace(RefreshToken);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (CrmAddress.Check("Crm:Zoho:ApiBaseUrl", ApiBaseUrl, "https://www.zohoapis.com", required: false) is { } api) yield return api;
        if (CrmAddress.Check("Crm:Zoho:AccountsUrl", AccountsUrl, "https://accounts.zoho.com", required: false) is { } accounts) yield return accounts;
    }

    public override string ToString() =>
        $"Crm:Zoho:ApiBaseUrl={ApiBaseUrl ?? "(none)"}, Crm:Zoho:AccountsUrl={AccountsUrl ?? "(none)"}, Crm:Zoho:ClientId={ClientId ?? "(none)"}, " +
        $"Crm:Zoho:ClientSecret={CrmAddress.Secret(ClientSecret)}, Crm:Zoho:RefreshToken={CrmAddress.Secret(RefreshToken)}";
}
