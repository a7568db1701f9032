using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace GrowthBrain.Privacy;

/// <summary>`Privacy:RetentionDays`: closed leads older than this many days are anonymised. Unset (the default) or "off": never.</summary>
public sealed class PrivacyOptions : IValidatableObject
{
    public const string Section = "Privacy";

    /// <summary>The setting as written: a string, so "off" is accepted and a typo gets our message rather than the binder's.</summary>
    public string? RetentionDays { get; set; }

    /// <summary>The retention in days, or null when closed leads are kept.</summary>
    public int? AnonymiseAfterDays => Off ? null : Days(out var days) ? days : null;

    private bool Off => string.IsNullOrWhiteSpace(RetentionDays) || RetentionDays.Trim().Equals("off", StringComparison.OrdinalIgnoreCase);

    private bool Days(out int days) =>
        int.TryParse(RetentionDays, NumberStyles.Integer, CultureInfo.InvariantCulture, out days) && days >= 1;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Off && !Days(out _))
            yield return new($"Privacy:RetentionDays is '{RetentionDays}'; set it to a number of days (at least 1), or leave it unset to keep closed leads.");
    }
}
