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
        // The four word-list rules give nothing when no term of any of their lists is in the text, which is the
        // usual case: one scan with all their terms decides that, instead of one scan per list.
        var wordLists = ProtectedAttributes.Default.Concat(ProtectedTerms).Concat(BiasedTerms).Concat(playbook.ForbiddenWords).Concat(PressureTerms);
        if (FoundIn(WithoutLeadNames($"{draft.Subject}\n{draft.Body}", lead), wordLists, firstOnly: true).Count > 0)
        {
            violations.AddRange(ProtectedAttributeWords(draft, lead));
            violations.AddRange(BiasedWording(draft, lead));
            violations.AddRange(ForbiddenWords(draft, lead, playbook));
            violations.AddRange(PressureTactics(draft, lead));
        }
        violations.AddRange(UnapprovedOffers(draft, lead, playbook));
        violations.AddRange(Placeholders(draft));
        violations.AddRange(OptOutLine(draft, playbook));
        violations.AddRange(Language(draft, lead));
        return new DraftCheck(violations);
    }

    public static IEnumerable<Violation> WordCount(Draft draft)
    {
        var count = CountWords(draft.Body);
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
        var found = FoundIn(text, OfferTerms);
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

    internal static int CountWords(ReadOnlySpan<char> text)
    {
        int count = 0, at = 0;
        while (NextWord(text, ref at, out _)) count++;
        return count;
    }

    /// <summary>
    /// The next word from <paramref name="at"/>, exactly as <see cref="WordPattern"/> defines one, without a regex:
    /// counting words this way is several times faster, and every check counts them twice (length, language).
    /// </summary>
    internal static bool NextWord(ReadOnlySpan<char> text, ref int at, out Range word)
    {
        while (at < text.Length && !IsWordChar(text[at])) at++;
        if (at >= text.Length)
        {
            word = default;
            return false;
        }
        var start = at++;
        while (at < text.Length && (IsWordChar(text[at]) || text[at] is '\'' or '’' or '-')) at++;
        word = start..at;
        return true;
    }

    private static IEnumerable<string> Sentences(string text) =>
        SentenceBreak().Split(text).Select(s => s.Trim()).Where(s => s.Length > 0);

    private static List<string> Found(Draft draft, Lead lead, IEnumerable<string> terms) =>
        FoundIn(WithoutLeadNames($"{draft.Subject}\n{draft.Body}", lead), terms);

    /// <summary>The terms found in a text as whole words; one combined regex first, because a clean draft (the usual case) matches none.</summary>
    private static List<string> FoundIn(string text, IEnumerable<string> terms, bool firstOnly = false)
    {
        var list = terms.Where(t => !string.IsNullOrWhiteSpace(t)).ToList();
        if (list.Count == 0 || !AnyWordRegex(list).IsMatch(text)) return [];
        if (firstOnly) return [list.First(t => ContainsWords(text, t))];
        return list.Where(t => ContainsWords(text, t)).Distinct().ToList();
    }

    /// <summary>
    /// A lead called "Young" or a company called "Free Software Ltd" must not trip a word rule. Whole words
    /// only: a last name such as "Ne" must not cut "einem" out of the approved offer and make it look invented.
    /// </summary>
    private static string WithoutLeadNames(string text, Lead lead)
    {
        foreach (var name in new[] { lead.Company, lead.FirstName, lead.LastName })
        {
            if (!string.IsNullOrWhiteSpace(name)) text = WithoutWholeWords(text, name.Trim());
        }
        return text;
    }

    /// <summary>Every whole-word occurrence of a phrase replaced by a space (no regex: names differ on every lead).</summary>
    private static string WithoutWholeWords(string text, string phrase)
    {
        System.Text.StringBuilder? result = null;
        int from = 0, copied = 0, at;
        while ((at = text.IndexOf(phrase, from, StringComparison.OrdinalIgnoreCase)) >= 0)
        {
            var end = at + phrase.Length;
            if ((at == 0 || !IsWordChar(text[at - 1])) && (end == text.Length || !IsWordChar(text[end])))
            {
                result ??= new System.Text.StringBuilder(text.Length);
                result.Append(text, copied, at - copied).Append(' ');
                copied = from = end;
            }
            else
            {
                from = at + 1;
            }
        }
        return result is null ? text : result.Append(text, copied, text.Length - copied).ToString();
    }

    private static bool IsWordChar(char c) => char.IsLetter(c) || char.IsNumber(c);

    private static bool ContainsWords(string text, string phrase) => WordRegex(phrase).IsMatch(text);

    // One parsed regex per phrase, kept: Regex.IsMatch(text, pattern) re-parses whenever its small static cache
    // (15 patterns) is exceeded, which every check does with ~100 terms, and that made a check take over 1 ms.
    // Playbook words can change, so the cache is bounded; when it is full it starts over.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Regex> WordRegexes = new(StringComparer.OrdinalIgnoreCase);
    private const int MaxCachedRegexes = 2_000;

    private static Regex WordRegex(string phrase) => Cached(phrase, () => Regex.Escape(phrase));

    /// <summary>Matches when any of the terms occurs as whole words (alternation backtracks, so "old" does not hide "older").</summary>
    private static Regex AnyWordRegex(IReadOnlyList<string> terms) =>
        Cached("\u0001" + string.Join("\u0001", terms), () => "(?:" + string.Join("|", terms.Select(Regex.Escape)) + ")");

    private static Regex Cached(string key, Func<string> pattern)
    {
        if (WordRegexes.TryGetValue(key, out var cached)) return cached;
        if (WordRegexes.Count >= MaxCachedRegexes) WordRegexes.Clear();
        // Compiled: these few patterns run on every draft, and compiling each once pays back within a few dozen drafts.
        return WordRegexes.GetOrAdd(key, _ => new Regex($@"(?<![\p{{L}}\p{{N}}]){pattern()}(?![\p{{L}}\p{{N}}])",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled));
    }

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
