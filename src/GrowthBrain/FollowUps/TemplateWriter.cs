using System.Text;
using GrowthBrain.Leads;
using GrowthBrain.Scoring;

namespace GrowthBrain.FollowUps;

/// <summary>
/// The offline writer: composes a draft from the lead's facts, its positive score factors and the
/// playbook. Wording is picked by a stable hash of the lead and the goal, so the same lead always gets the
/// same text for a goal and different leads read differently. Free text that came from the lead (notes,
/// replies, form answers) is never copied in: it is data, and nothing in it can change what is offered.
/// </summary>
public sealed class TemplateWriter
{
    public const string Name = "template";

    public Draft Write(Lead lead, FollowUpGoal goal, Tone tone, Playbook playbook, IReadOnlyList<Factor>? factorsFor = null)
    {
        var language = DraftLanguage.For(lead);
        var phrases = TemplatePhrases.For(language);
        var text = playbook.For(language);
        var key = lead.Id != 0 ? lead.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) : lead.Email ?? lead.DisplayName;
        var facts = new List<string>();
        string Pick(string[] options, int slot) => options[(int)(StableHash($"{key}|{goal}|{slot}") % (ulong)options.Length)];

        var first = Clean(lead.FirstName);
        var last = Clean(lead.LastName);
        var company = Clean(lead.Company);
        if (first is not null) facts.Add("first name");
        if (first is not null && last is not null && tone == Tone.Formal) facts.Add("last name");
        if (company is not null) facts.Add("company");
        if (lead.Industry is not null && text.ValuePoints.ContainsKey(lead.Industry)) facts.Add($"industry: {lead.Industry}");

        var reasons = Reasons(factorsFor, phrases);
        foreach (var (feature, _) in reasons) facts.Add($"score factor: {feature}");

        string Fill(string template) => new StringBuilder(template)
            .Replace("{reasons}", string.Join(phrases.ReasonJoin, reasons.Select(r => r.Reason)))
            .Replace("{first}", first ?? "").Replace("{last}", last ?? "")
            .Replace("{company}", company ?? phrases.NoCompany)
            .Replace("{product}", playbook.ProductName)
            .Replace("{summary}", text.ProductSummary)
            .Replace("{value}", text.ValuePointFor(lead.Industry))
            .Replace("{offer}", text.AllowedOffers[0])
            .ToString().Replace("  ", " ").Trim();

        var greeting = first is null
            ? phrases.Greetings[tone].Anonymous
            : Fill(last is null ? phrases.Greetings[tone].Named.Replace(" {last}", "") : phrases.Greetings[tone].Named);

        var sentences = new List<string> { Fill(Pick(phrases.Openers[goal], 1)), Fill(Pick(phrases.Values, 2)) };
        if (reasons.Count > 0 && tone != Tone.Brief && goal != FollowUpGoal.BreakUp) sentences.Add(Fill(Pick(phrases.Reasons, 3)));
        if (goal != FollowUpGoal.BreakUp)
        {
            sentences.Add(Fill(Pick(phrases.Offers, 4)));
            facts.Add($"offer: {text.AllowedOffers[0]}");
        }
        if (tone == Tone.Formal) sentences.Add(phrases.FormalCourtesy);
        var callToAction = Fill(Pick(phrases.CallsToAction[goal], 5));

        // A long company name can push the subject past the limit: fall back to the next wording that fits.
        var subjects = phrases.Subjects[goal];
        var picked = Pick(subjects, 0);
        var subject = new[] { picked }.Concat(subjects.Where(s => company is not null || !s.Contains("{company}"))).Concat(subjects)
            .Select(Fill).FirstOrDefault(s => s.Length <= Guardrails.MaxSubjectLength) ?? Fill(picked);

        var body = string.Join("\n\n",
            greeting,
            string.Join(' ', sentences),
            callToAction,
            $"{phrases.Closings[tone]}\n{playbook.Signature}",
            text.OptOutLine);
        return new Draft(Name, subject, body, callToAction, language, facts);
    }

    /// <summary>One or two positive factors the writer has words for; never a protected attribute.</summary>
    private static List<(string Feature, string Reason)> Reasons(IReadOnlyList<Factor>? factorsFor, TemplatePhrases phrases) =>
        (factorsFor ?? [])
            .Where(f => f.Points > 0 && !ProtectedAttributes.IsProtected(f.Feature))
            .OrderByDescending(f => f.Points)
            .Select(f => (f.Feature, Reason: phrases.FactorReasons.FirstOrDefault(r => f.Feature.Contains(r.FeatureContains, StringComparison.OrdinalIgnoreCase)).Reason))
            .Where(r => r.Reason is not null)
            .DistinctBy(r => r.Reason)
            .Take(2)
            .ToList();

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    // FNV-1a: string.GetHashCode is randomised per process, and the same lead must read the same tomorrow.
    private static ulong StableHash(string value)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in value)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }
        return hash;
    }
}
