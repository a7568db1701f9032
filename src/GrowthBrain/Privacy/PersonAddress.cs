using GrowthBrain.Leads.Import;

namespace GrowthBrain.Privacy;

/// <summary>The address a data-subject request names: checked at the edge, compared lower-cased as imports store it.</summary>
public static class PersonAddress
{
    /// <exception cref="ArgumentException">The address is missing or not an e-mail address.</exception>
    public static string Normalize(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
            throw new ArgumentException("No e-mail address given; pass the address the person's data is held under, e.g. ada@example.com.");
        var trimmed = email.Trim();
        if (!CellParsers.IsEmail(trimmed))
            throw new ArgumentException($"'{(trimmed.Length > 80 ? trimmed[..77] + "..." : trimmed)}' is not an e-mail address; pass one such as ada@example.com.");
        return trimmed.ToLowerInvariant();
    }
}
