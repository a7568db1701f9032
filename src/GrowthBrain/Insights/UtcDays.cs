namespace GrowthBrain.Insights;

/// <summary>Whole UTC days since 1970-01-01 and months as year × 12 + month − 1: how the lead aggregates count time.</summary>
public static class UtcDays
{
    public static int DayOf(DateTime utc) => (int)Math.Floor((utc - DateTime.UnixEpoch).TotalSeconds / 86400);

    public static DateTime DayStart(int day) => DateTime.UnixEpoch.AddDays(day);

    public static int MonthOf(DateTime utc) => utc.Year * 12 + utc.Month - 1;
}
