namespace GrowthBrain.Insights;

// What the overview dashboard shows (GetOverviewHandler). Intervals are 95%; see Statistics for how each is made.

public sealed record Overview(
    DateTime AsOf,
    RateComparison Conversion,
    CycleComparison SalesCycle,
    ReplyRateComparison ReplyRate,
    ActiveUsage ActiveUsers,
    SinceGrowthBrain? SinceGrowthBrain,
    IReadOnlyList<MonthPoint> Monthly,
    IReadOnlyList<StageCount> Funnel,
    LeadHealth Health,
    ModelCheck? Model)
{
    public bool HasClosedLeads => Monthly.Any(m => m.Won + m.Lost > 0) || Conversion.Previous.Won + Conversion.Previous.Lost > 0;
}

/// <summary>Won and lost leads closed in [From, To), with the win rate and its 95% Wilson interval (null when nothing closed).</summary>
public sealed record RateWindow(DateTime From, DateTime To, int Won, int Lost, double? Rate, double? Low, double? High);

/// <summary>The last window against the one before; the difference's interval is Newcombe's (from the two Wilson intervals).</summary>
public sealed record RateComparison(RateWindow Recent, RateWindow Previous, double? Difference, double? DifferenceLow, double? DifferenceHigh);

/// <summary>Leads won in [From, To) and their mean days from creation to close, with its 95% interval (t, from the spread of the cycles).</summary>
public sealed record CycleWindow(DateTime From, DateTime To, int WonLeads, double? AverageDays, double? Low = null, double? High = null);

/// <summary>The difference's interval is Welch's (unequal spreads), null while either side has fewer than two won leads.</summary>
public sealed record CycleComparison(CycleWindow Recent, CycleWindow Previous, double? DifferenceDays, double? DifferenceLow = null, double? DifferenceHigh = null);

/// <summary>
/// Conversion and sales cycle since the team started using GrowthBrain (<see cref="Adoption"/>, up to now) against the
/// 90 days before it: in each comparison Recent is "since" and Previous is "before". Null when no adoption date is known.
/// </summary>
public sealed record SinceGrowthBrain(Adoption Adoption, RateComparison Conversion, CycleComparison SalesCycle);

public sealed record MonthPoint(int Year, int Month, int Won, int Lost, double? ConversionRate, double? MedianCycleDays);

public sealed record StageCount(string Stage, int Leads);

public sealed record StaleLead(long Id, string Name, int DaysSinceActivity);

public sealed record ScoreMover(long LeadId, string Name, double From, double To);

public sealed record LeadHealth(int StaleLeads, IReadOnlyList<StaleLead> OldestStale, int NoNextStep, IReadOnlyList<ScoreMover> ScoreMovers);

public sealed record GradeConversion(string Grade, int Count, double ConversionRate);

/// <summary>How the active model's grades converted on leads it never saw, as stored when it was trained.</summary>
public sealed record ModelCheck(string Version, double? HoldoutRocAuc, IReadOnlyList<GradeConversion> ByGrade);

/// <summary>
/// When the team started using GrowthBrain, and from what: "first audit entry" (the installation's first recorded
/// action) or "first model version" (the team's first trained model), whichever is earlier; null with basis
/// "unknown" when neither exists yet.
/// </summary>
public sealed record Adoption(DateTime? Since, string Basis);

/// <summary>Successes out of trials in [From, To), with the rate and its 95% Wilson interval (null when there were no trials).</summary>
public sealed record Proportion(DateTime From, DateTime To, int Trials, int Successes, double? Rate, double? Low, double? High);

/// <summary>
/// Reply rate before GrowthBrain against since. <see cref="Since"/>: follow-ups GrowthBrain sent from the adoption
/// date (the last 90 days when it is unknown) that got an inbound reply within 14 days (FollowUps/GetReplyRates).
/// <see cref="Before"/>: the team's own e-mails recorded in the CRM (EmailSent activities) in the 90 days before that,
/// with a reply from the lead within 14 days. The difference's interval is Newcombe's.
/// </summary>
public sealed record ReplyRateComparison(Adoption Adoption, Proportion Before, Proportion Since, double? Difference, double? DifferenceLow,
    double? DifferenceHigh, string Basis);

/// <param name="Users">People who signed in or acted (audit entries by a person) in the window.</param>
/// <param name="Teams">Teams with at least one such person among their members.</param>
public sealed record ActiveWindow(DateTime From, DateTime To, int Users, int Teams);

/// <summary>
/// Active users and teams over the last 30 days against the 30 before. There is no "before GrowthBrain": nobody
/// signs in to GrowthBrain before it is installed, so <see cref="BeforeReason"/> says so instead of showing a zero.
/// </summary>
public sealed record ActiveUsage(Adoption Adoption, ActiveWindow Recent, ActiveWindow Previous, int TeamUsers, int AllTeams, string BeforeReason);
