namespace GrowthBrain.Synthetic;

/// <summary>
/// What to generate. <paramref name="Now"/> should come from the caller's <see cref="TimeProvider"/>;
/// when it is null a fixed date is used so that a bare seed still reproduces the same data.
/// <paramref name="DirtyRowShare"/> is carried for callers that export the leads
/// (see <see cref="SyntheticCsvExport"/>); the generated leads themselves are always clean.
/// </summary>
public sealed record SyntheticCrmOptions(int Leads = 5000, int Seed = 42, DateTime? Now = null, double DirtyRowShare = 0.0)
{
    /// <summary>The "now" used when the caller passes none.</summary>
    public static readonly DateTime DefaultNow = new(2025, 6, 30, 12, 0, 0, DateTimeKind.Utc);

    /// <summary>How far back the generated history reaches.</summary>
    public const int HistoryMonths = 18;

    /// <summary><see cref="Now"/> as UTC, or <see cref="DefaultNow"/>.</summary>
    public DateTime EffectiveNow => Now switch
    {
        null => DefaultNow,
        { Kind: DateTimeKind.Utc } utc => utc,
        { Kind: DateTimeKind.Local } local => local.ToUniversalTime(),
        { } unspecified => DateTime.SpecifyKind(unspecified, DateTimeKind.Utc),
    };
}
