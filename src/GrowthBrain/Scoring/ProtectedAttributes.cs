using GrowthBrain.Leads.Import;

namespace GrowthBrain.Scoring;

/// <summary>
/// Columns that must never reach the model: scoring people by who they are rather than what they did
/// is unfair and, in the EU, unlawful. Matched on the heading, so custom fields count too.
/// </summary>
public static class ProtectedAttributes
{
    public static readonly IReadOnlyList<string> Default =
    [
        "gender", "sex", "age", "date of birth", "birth date", "birthday", "dob", "year of birth", "ethnicity", "ethnic",
        "race", "religion", "religious", "nationality", "citizenship", "marital", "marital status", "disability",
        "disabled", "pregnant", "pregnancy", "sexual orientation", "pronouns", "political",
    ];

    /// <summary>Whether a heading names a protected attribute: whole words, so "Stage" is not "age" and "Usage" is not either.</summary>
    public static bool IsProtected(string heading, IReadOnlyList<string>? list = null)
    {
        var words = Words(heading);
        foreach (var entry in list ?? Default)
        {
            var target = Words(entry);
            if (target.Length == 0) continue;
            for (var i = 0; i + target.Length <= words.Length; i++)
            {
                if (words.AsSpan(i, target.Length).SequenceEqual(target)) return true;
            }
            // "dateofbirth", "maritalstatus": headings written without spaces.
            if (LeadHeaderRecognizer.Fold(heading) == LeadHeaderRecognizer.Fold(entry)) return true;
        }
        return false;
    }

    private static string[] Words(string text) =>
        System.Text.RegularExpressions.Regex.Split(text.ToLowerInvariant(), "[^a-z0-9]+").Where(w => w.Length > 0).ToArray();
}
