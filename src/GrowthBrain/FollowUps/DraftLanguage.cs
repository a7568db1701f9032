using GrowthBrain.Leads;

namespace GrowthBrain.FollowUps;

/// <summary>Which language a lead is written to in, and a rough check of which language a text is in.</summary>
public static class DraftLanguage
{
    // Switzerland is mostly German-speaking; a French- or Italian-speaking Swiss lead gets German too until
    // leads carry a language of their own.
    private static readonly HashSet<string> GermanCountries = new(StringComparer.OrdinalIgnoreCase)
    {
        "Germany", "Deutschland", "DE", "Austria", "Österreich", "AT", "Switzerland", "Schweiz", "CH",
    };

    private static readonly HashSet<string> EnglishWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "the", "and", "you", "your", "to", "of", "for", "with", "we", "is", "are", "our", "in", "that", "it", "if",
    };

    private static readonly HashSet<string> GermanWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "und", "der", "die", "das", "sie", "ihnen", "ihr", "ihre", "mit", "für", "wir", "ist", "nicht", "ein", "eine", "einen", "zu", "uns", "wenn",
    };

    public static string For(Lead lead) =>
        lead.Country is { } country && GermanCountries.Contains(country.Trim()) ? Playbook.German : Playbook.English;

    /// <summary>"de" or "en" by counting common words; good enough to catch a draft in the wrong language.</summary>
    public static string Detect(string text)
    {
        int en = 0, de = 0, at = 0;
        var english = EnglishWords.GetAlternateLookup<ReadOnlySpan<char>>();
        var german = GermanWords.GetAlternateLookup<ReadOnlySpan<char>>();
        var span = text.AsSpan();
        while (Guardrails.NextWord(span, ref at, out var range))
        {
            var word = span[range];
            if (english.Contains(word)) en++;
            if (german.Contains(word)) de++;
        }
        return de > en ? Playbook.German : Playbook.English;
    }
}
