using System.Text.RegularExpressions;
using GrowthBrain.Leads;
using GrowthBrain.Scoring;

namespace GrowthBrain.FollowUps;

/// <summary>
/// The checks every draft passes before a person sees it, whichever writer made it. One method per rule,
/// each returning what is wrong in words a reviewer can act on. Word rules match whole words (so "hold"
/// is not "old") and ignore the lead's own name and company, which the draft is allowed to say.
/// </summary>
public static partial class Guardrails
{
    public const int MinWords = 50;
    public const int MaxWords = 150;
    public const int MaxSubjectLength = 59;

    /// <summary>
    /// What makes a sentence a call to action: it asks a question, links somewhere, or contains one of
    /// these asks. The opt-out line is not counted: it is required and asks for nothing.
    /// </summary>
    public static readonly IReadOnlyList<string> CallToActionPhrases =
    [
        "book a", "schedule", "reply", "let me know", "click", "sign up", "register", "get back to me",
        "antworten", "buchen", "vereinbaren", "melden sie sich", "geben sie mir bescheid",
    ];

    /// <summary>Words that single people out by who they are; added to <see cref="ProtectedAttributes.Default"/>.</summary>
    public static readonly IReadOnlyList<string> ProtectedTerms =
    [
        "your age", "as a woman", "as a man", "young", "old", "older", "elderly", "millennial", "boomer",
        "married", "pregnant", "christian", "muslim", "jewish", "immigrant", "foreigner", "wheelchair",
        "alter", "jung", "geschlecht", "schwanger", "herkunft", "als frau", "als mann",
    ];

    public static readonly IReadOnlyList<string> BiasedTerms =
    [
        "guys", "manpower", "chairman", "salesman", "salesmen", "blacklist", "whitelist", "crazy", "insane", "lame",
        "dumb", "exotic", "ladies", "native speaker", "culture fit", "even your grandma",
    ];

    public static readonly IReadOnlyList<string> PressureTerms =
    [
        "act now", "last chance", "only today", "today only", "urgent", "urgently", "limited time", "hurry", "don't miss out",
        "before it's too late", "expires", "final offer", "now or never", "nur heute", "letzte chance", "dringend",
        "sofort", "begrenzte zeit", "jetzt zugreifen",
    ];

    /// <summary>Words that make an offer or a claim; allowed only inside the playbook's own phrases.</summary>
    public static readonly IReadOnlyList<string> OfferTerms =
    [
        "free", "discount", "discounted", "percent", "% off", "guarantee", "guaranteed", "cheapest", "lowest price",
        "kostenlos", "kostenlosen", "kostenloses", "gratis", "rabatt", "prozent", "garantie", "garantiert", "sparen",
    ];

    public static DraftCheck Check(Draft draft, Lead lead, Playbook playbook)
    {
        var violations = new List<Violation>();
        violations.AddRange(WordCount(draft));
        violations.AddRange(OneCallToAction(draft, playbook));
        violations.AddRange(SubjectLength(draft));
        violations.AddRange(ProtectedAttributeWords(draft, lead));
        violations.AddRange(BiasedWording(draft, lead));
        violations.AddRange(ForbiddenWords(draft, lead, playbook));
        violations.AddRange(PressureTactics(draft, lead));
        violations.AddRange(UnapprovedOffers(draft, lead, playbook));
        violations.AddRange(Placeholders(draft));
        violations.AddRange(OptOutLine(draft, playbook));
        violations.AddRange(Language(draft, lead));
        return new DraftCheck(violations);
    }

    public static IEnumerable<Violation> WordCount(Draft draft)
    {
        var count = Words(draft.Body).Count();
        if (count < MinWords)
            yield return new(nameof(WordCount), $"The body has {count} words; write at least {MinWords} so it says why you are writing.");
        else if (count > MaxWords)
            yield return new(nameof(WordCount), $"The body has {count} words; cut it to {MaxWords} or fewer.");
    }

    public static IEnumerable<Violation> OneCallToAction(Draft draft, Playbook playbook)
    {
        var body = draft.Body.Replace(playbook.For(draft.Language).OptOutLine, " ", StringComparison.Ordinal);
        var asks = CallsToAction(body).ToList();
        if (asks.Count == 0)
            yield return new(nameof(OneCallToAction), "The draft asks for nothing; end with one clear next step (a question or \"book a call\").");
        else if (asks.Count > 1)
            yield return new(nameof(OneCallToAction),
                $"The draft asks for {asks.Count} things; keep one. Asks found: {string.Join(" | ", asks.Select(a => $"\"{a}\""))}");
    }

    /// <summary>The sentences of a text that are calls to action (see <see cref="CallToActionPhrases"/>).</summary>
    public static IEnumerable<string> CallsToAction(string text) =>
        Sentences(text).Where(s => s.EndsWith('?') || LinkPattern().IsMatch(s) || CallToActionPhrases.Any(p => ContainsWords(s, p)));

    public static IEnumerable<Violation> SubjectLength(Draft draft)
    {
        if (string.IsNullOrWhiteSpace(draft.Subject))
            yield return new(nameof(SubjectLength), "The subject is empty; write one under 60 characters.");
        else if (draft.Subject.Length > MaxSubjectLength)
            yield return new(nameof(SubjectLength), $"The subject has {draft.Subject.Length} characters; shorten it to under 60.");
    }

    public static IEnumerable<Violation> ProtectedAttributeWords(Draft draft, Lead lead)
    {
        var found = Found(draft, lead, ProtectedAttributes.Default.Concat(ProtectedTerms));
        if (found.Count > 0)
            yield return new(nameof(ProtectedAttributeWords),
                $"The draft mentions {Quote(found)}: never refer to age, gender, origin, religion, health or family; write about the business instead.");
    }

    public static IEnumerable<Violation> BiasedWording(Draft draft, Lead lead)
    {
        var found = Found(draft, lead, BiasedTerms);
        if (found.Count > 0)
            yield return new(nameof(BiasedWording), $"Replace {Quote(found)} with neutral wording (\"team\", \"staff\", \"blocklist\").");
    }

    public static IEnumerable<Violation> ForbiddenWords(Draft draft, Lead lead, Playbook playbook)
    {
        var found = Found(draft, lead, playbook.ForbiddenWords);
        if (found.Count > 0)
            yield return new(nameof(ForbiddenWords), $"The playbook forbids {Quote(found)}; reword it.");
    }

    public static IEnumerable<Violation> PressureTactics(Draft draft, Lead lead)
    {
        var found = Found(draft, lead, PressureTerms);
        if (found.Count > 0)
            yield return new(nameof(PressureTactics), $"Remove the pressure ({Quote(found)}): give the lead a reason, not a deadline.");
    }

    public static IEnumerable<Violation> UnapprovedOffers(Draft draft, Lead lead, Playbook playbook)
    {
        // The playbook's own phrases are cut out first; whatever offer-like wording is left was made up.
        var text = WithoutLeadNames($"{draft.Subject}\n{draft.Body}", lead);
        var approved = playbook.For(draft.Language);
        foreach (var phrase in approved.AllowedOffers.Append(approved.ProductSummary).Concat(approved.ValuePoints.Values))
            text = text.Replace(phrase, " ", StringComparison.OrdinalIgnoreCase);
        var found = OfferTerms.Where(t => ContainsWords(text, t)).ToList();
        found.AddRange(MoneyPattern().Matches(text).Select(m => m.Value.Trim()));
        if (found.Count > 0)
            yield return new(nameof(UnapprovedOffers),
                $"{Quote(found.Distinct().ToList())} is not in the playbook; offer only {string.Join(" or ", approved.AllowedOffers.Select(o => $"\"{o}\""))}.");
    }

    public static IEnumerable<Violation> Placeholders(Draft draft)
    {
        var found = PlaceholderPattern().Matches($"{draft.Subject}\n{draft.Body}").Select(m => m.Value).Distinct().ToList();
        if (found.Count > 0)
            yield return new(nameof(Placeholders), $"Fill in {Quote(found)} before sending.");
    }

    public static IEnumerable<Violation> OptOutLine(Draft draft, Playbook playbook)
    {
        var line = playbook.For(draft.Language).OptOutLine;
        if (!draft.Body.Contains(line, StringComparison.Ordinal))
            yield return new(nameof(OptOutLine), $"Add the opt-out line: \"{line}\"");
    }

    public static IEnumerable<Violation> Language(Draft draft, Lead lead)
    {
        var expected = DraftLanguage.For(lead);
        var detected = DraftLanguage.Detect(draft.Body);
        if (draft.Language != expected || detected != expected)
            yield return new(nameof(Language),
                $"The lead should be written to in {Name(expected)} (country: {lead.Country ?? "unknown"}), but the draft is in {Name(detected)}.");
    }

    internal static IEnumerable<string> Words(string text) =>
        WordPattern().Matches(text).Select(m => m.Value);

    private static IEnumerable<string> Sentences(string text) =>
        SentenceBreak().Split(text).Select(s => s.Trim()).Where(s => s.Length > 0);

    private static List<string> Found(Draft draft, Lead lead, IEnumerable<string> terms)
    {
        var text = WithoutLeadNames($"{draft.Subject}\n{draft.Body}", lead);
        return terms.Where(t => !string.IsNullOrWhiteSpace(t) && ContainsWords(text, t)).Distinct().ToList();
    }

    /// <summary>A lead called "Young" or a company called "Free Software Ltd" must not trip a word rule.</summary>
    private static string WithoutLeadNames(string text, Lead lead)
    {
        foreach (var name in new[] { lead.Company, lead.FirstName, lead.LastName })
        {
            if (!string.IsNullOrWhiteSpace(name)) text = text.Replace(name, " ", StringComparison.OrdinalIgnoreCase);
        }
        return text;
    }

    private static bool ContainsWords(string text, string phrase) =>
        Regex.IsMatch(text, $@"(?<![\p{{L}}\p{{N}}]){Regex.Escape(phrase)}(?![\p{{L}}\p{{N}}])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static string Quote(IReadOnlyList<string> found) => string.Join(", ", found.Select(f => $"\"{f}\""));

    private static string Name(string language) => language == Playbook.German ? "German" : "English";

    [GeneratedRegex(@"[\p{L}\p{N}][\p{L}\p{N}'’\-]*")]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"(?<=[.!?])\s+|\n+")]
    private static partial Regex SentenceBreak();

    [GeneratedRegex(@"https?://|www\.", RegexOptions.IgnoreCase)]
    private static partial Regex LinkPattern();

    [GeneratedRegex(@"[$€£]\s?\d|\d[\d.,]*\s?(?:[$€£%]|eur\b|usd\b|euros?\b|dollars?\b)", RegexOptions.IgnoreCase)]
    private static partial Regex MoneyPattern();

    [GeneratedRegex(@"\{\{[^{}]*\}\}|\{\{|\}\}|\{[A-Za-z_]+\}|\[[A-Z][A-Za-z _]*\]|<[A-Z][A-Z_]*>|\bTODO\b|\bTBD\b|\bXXX\b")]
    private static partial Regex PlaceholderPattern();
}
