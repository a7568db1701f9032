namespace GrowthBrain.Privacy;

/// <summary>The GDPR Art. 6 ground on which a lead's data is processed. Only the grounds a sales team plausibly relies on.</summary>
public enum LawfulBasis
{
    Unknown = 0,
    Consent = 1,
    LegitimateInterest = 2,
    Contract = 3,
}

/// <summary>Whether the person agreed to be contacted; Withdrawn means they said no (or took it back).</summary>
public enum ConsentStatus
{
    Unknown = 0,
    Granted = 1,
    Withdrawn = 2,
}

/// <summary>Reading consent and lawful-basis cells of CRM exports ("yes", "opted in", "Legitimate interest", ...).</summary>
public static class ConsentText
{
    private static readonly HashSet<string> GrantedWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "yes", "y", "true", "1", "granted", "given", "consented", "opted in", "opt-in", "opt in", "optin", "subscribed", "ja",
    };

    private static readonly HashSet<string> WithdrawnWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "no", "n", "false", "0", "withdrawn", "revoked", "denied", "declined", "refused", "opted out", "opt-out", "opt out", "optout",
        "unsubscribed", "nein",
    };

    private static readonly HashSet<string> UnknownWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "unknown", "not set", "none", "n/a", "pending", "-",
    };

    public static bool TryParseStatus(string value, out ConsentStatus status)
    {
        var v = value.Trim();
        status = GrantedWords.Contains(v) ? ConsentStatus.Granted
            : WithdrawnWords.Contains(v) ? ConsentStatus.Withdrawn
            : ConsentStatus.Unknown;
        return status != ConsentStatus.Unknown || UnknownWords.Contains(v);
    }

    /// <summary>HubSpot's "Legal basis for processing contact's data" values and the plain names.</summary>
    public static bool TryParseBasis(string value, out LawfulBasis basis)
    {
        var folded = new string(value.Where(char.IsLetter).Select(char.ToLowerInvariant).ToArray());
        basis = folded switch
        {
            _ when folded.Contains("legitimateinterest") => LawfulBasis.LegitimateInterest,
            _ when folded.Contains("contract") => LawfulBasis.Contract,
            _ when folded.Contains("consent") || folded is "freelygivenconsent" => LawfulBasis.Consent,
            _ => LawfulBasis.Unknown,
        };
        return basis != LawfulBasis.Unknown || folded is "unknown" or "notapplicable" or "none" or "";
    }
}
