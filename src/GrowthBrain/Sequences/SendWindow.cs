namespace GrowthBrain.Sequences;

/// <summary>
/// Business hours in the recipient's time zone: Monday to Friday, 9:00 to 17:00 local time. The zone comes from
/// the lead's country (name or ISO code) through a default table; a country that spans zones gets its business
/// centre (United States: New York), and an unknown country gets UTC, which is said on the lead page.
/// </summary>
public static class SendWindow
{
    public static readonly TimeSpan Opens = TimeSpan.FromHours(9);
    public static readonly TimeSpan Closes = TimeSpan.FromHours(17);

    private static readonly Dictionary<string, string> Zones = new(StringComparer.OrdinalIgnoreCase)
    {
        ["US"] = "America/New_York", ["USA"] = "America/New_York", ["United States"] = "America/New_York", ["United States of America"] = "America/New_York",
        ["CA"] = "America/Toronto", ["Canada"] = "America/Toronto",
        ["MX"] = "America/Mexico_City", ["Mexico"] = "America/Mexico_City",
        ["BR"] = "America/Sao_Paulo", ["Brazil"] = "America/Sao_Paulo",
        ["GB"] = "Europe/London", ["UK"] = "Europe/London", ["United Kingdom"] = "Europe/London",
        ["IE"] = "Europe/Dublin", ["Ireland"] = "Europe/Dublin",
        ["DE"] = "Europe/Berlin", ["Germany"] = "Europe/Berlin", ["Deutschland"] = "Europe/Berlin",
        ["AT"] = "Europe/Vienna", ["Austria"] = "Europe/Vienna", ["CH"] = "Europe/Zurich", ["Switzerland"] = "Europe/Zurich",
        ["FR"] = "Europe/Paris", ["France"] = "Europe/Paris", ["ES"] = "Europe/Madrid", ["Spain"] = "Europe/Madrid",
        ["IT"] = "Europe/Rome", ["Italy"] = "Europe/Rome", ["NL"] = "Europe/Amsterdam", ["Netherlands"] = "Europe/Amsterdam",
        ["BE"] = "Europe/Brussels", ["Belgium"] = "Europe/Brussels", ["PL"] = "Europe/Warsaw", ["Poland"] = "Europe/Warsaw",
        ["SE"] = "Europe/Stockholm", ["Sweden"] = "Europe/Stockholm", ["NO"] = "Europe/Oslo", ["Norway"] = "Europe/Oslo",
        ["DK"] = "Europe/Copenhagen", ["Denmark"] = "Europe/Copenhagen", ["FI"] = "Europe/Helsinki", ["Finland"] = "Europe/Helsinki",
        ["PT"] = "Europe/Lisbon", ["Portugal"] = "Europe/Lisbon",
        ["IN"] = "Asia/Kolkata", ["India"] = "Asia/Kolkata", ["SG"] = "Asia/Singapore", ["Singapore"] = "Asia/Singapore",
        ["JP"] = "Asia/Tokyo", ["Japan"] = "Asia/Tokyo", ["CN"] = "Asia/Shanghai", ["China"] = "Asia/Shanghai",
        ["AE"] = "Asia/Dubai", ["United Arab Emirates"] = "Asia/Dubai",
        ["AU"] = "Australia/Sydney", ["Australia"] = "Australia/Sydney", ["NZ"] = "Pacific/Auckland", ["New Zealand"] = "Pacific/Auckland",
        ["ZA"] = "Africa/Johannesburg", ["South Africa"] = "Africa/Johannesburg",
    };

    public static TimeZoneInfo ZoneFor(string? country) =>
        country is not null && Zones.TryGetValue(country.Trim(), out var id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone)
            ? zone
            : TimeZoneInfo.Utc;

    public static bool IsOpen(DateTime utc, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone);
        return local.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && local.TimeOfDay >= Opens && local.TimeOfDay < Closes;
    }

    /// <summary>The first moment at or after <paramref name="utc"/> inside the window, in UTC.</summary>
    public static DateTime NextOpen(DateTime utc, TimeZoneInfo zone)
    {
        utc = DateTime.SpecifyKind(utc, DateTimeKind.Utc);
        if (IsOpen(utc, zone)) return utc;
        var local = TimeZoneInfo.ConvertTimeFromUtc(utc, zone);
        var day = local.TimeOfDay < Opens ? local.Date : local.Date.AddDays(1);
        while (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) day = day.AddDays(1);
        var opening = day + Opens;
        // 9:00 never falls in a daylight-saving gap in these zones, but stay safe if a table entry ever does.
        if (zone.IsInvalidTime(opening)) opening = opening.AddHours(1);
        return TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(opening, DateTimeKind.Unspecified), zone);
    }
}
