using System.ComponentModel.DataAnnotations;

namespace GrowthBrain.Integrations;

/// <summary>The check every CRM address setting gets, so each message names its key the same way.</summary>
public static class CrmAddress
{
    /// <summary>
    /// An absolute https address; http only to this machine, where the tests' loopback fakes listen. Tokens travel
    /// with every call, so they must never cross a network in clear text.
    /// </summary>
    public static ValidationResult? Check(string key, string? value, string example, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
            return required ? new ValidationResult($"{key} is empty; set the address, e.g. {example}.") : null;
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
            return null;
        return new ValidationResult($"{key} is '{value}'; set an absolute https address, e.g. {example} (http only for a server on this machine).");
    }

    /// <summary>How options show themselves in logs and messages: whether a secret is set, never the secret.</summary>
    public static string Secret(string? value) => string.IsNullOrEmpty(value) ? "(none)" : "(set)";
}
