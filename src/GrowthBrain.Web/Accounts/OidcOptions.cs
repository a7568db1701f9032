using System.ComponentModel.DataAnnotations;

namespace GrowthBrain.Web.Accounts;

/// <summary>`Accounts:Oidc:*`: optional single sign-on with an OpenID Connect provider; off while Authority is empty.</summary>
public sealed class OidcOptions : IValidatableObject
{
    public const string Section = "Accounts:Oidc";

    public string? Authority { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }

    /// <summary>What the sign-in page's link says: "Sign in with ...".</summary>
    public string? DisplayName { get; set; }

    /// <summary>Only for a provider on this machine or a private network during set-up; never turn it off in production.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled) yield break;
        if (!Uri.TryCreate(Authority, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            yield return new($"Accounts:Oidc:Authority is '{Authority}'; set the provider's address, e.g. https://login.example.com/realms/sales.");
        if (string.IsNullOrWhiteSpace(ClientId))
            yield return new("Accounts:Oidc:ClientId is missing; set it with Accounts:Oidc:Authority.");
    }

    // The client secret is deliberately left out: options end up in logs and exception messages.
    public override string ToString() =>
        $"Accounts:Oidc:Authority={Authority ?? "(none)"}, Accounts:Oidc:ClientId={ClientId ?? "(none)"}, Accounts:Oidc:ClientSecret={(string.IsNullOrEmpty(ClientSecret) ? "(none)" : "(set)")}";
}
