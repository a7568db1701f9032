using System.Globalization;

namespace GrowthBrain.Leads.Import;

/// <summary>Lenient-but-honest parsing of the values CRM exports contain.</summary>
public static class CellParsers
{
    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF",
        "yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF",
        "yyyy-MM-ddTHH:mm:ssK", "yyyy-MM-ddTHH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ssK",
        "yyyy/MM/dd", "yyyy/MM/dd HH:mm", "yyyy/MM/dd HH:mm:ss",
        // US order first: HubSpot and Salesforce exports made in the US write month/day.
        "M/d/yyyy", "M/d/yyyy H:mm", "M/d/yyyy H:mm:ss", "M/d/yyyy h:mm tt", "M/d/yyyy h:mm:ss tt", "M/d/yy",
        "d.M.yyyy", "d.M.yyyy H:mm", "d.M.yyyy H:mm:ss",
        "MMM d, yyyy", "MMM d, yyyy h:mm tt", "d MMM yyyy", "dd-MMM-yyyy",
    ];

    private static readonly string[] DayFirstSlashFormats = ["d/M/yyyy", "d/M/yyyy H:mm", "d/M/yyyy H:mm:ss", "d/M/yy"];

    /// <summary>
    /// Parses a date as UTC, trying first the format that matched this column last time (<paramref name="hint"/>):
    /// a column almost always keeps one format, and trying 27 formats per cell is the slow part of an import.
    /// </summary>
    public static bool TryParseDate(string value, string? format, ref int hint, out DateTime utc)
    {
        if (format is null && TryParseCommon(value, out utc)) return true;
        const DateTimeStyles hinted = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal | DateTimeStyles.AllowWhiteSpaces;
        if (format is null && hint >= 0 && hint < DateFormats.Length
            && DateTime.TryParseExact(value, DateFormats[hint], CultureInfo.InvariantCulture, hinted, out utc) && utc.Year is >= 1970 and <= 2100)
        {
            return true;
        }
        if (!TryParseDate(value, format, out utc)) return false;
        if (format is null)
        {
            for (var i = 0; i < DateFormats.Length; i++)
            {
                if (DateTime.TryParseExact(value, DateFormats[i], CultureInfo.InvariantCulture, hinted, out _)) { hint = i; break; }
            }
        }
        return true;
    }

    /// <summary>Parses a date as UTC. Day-first slashed dates are accepted when the first number can't be a month.</summary>
    public static bool TryParseDate(string value, string? format, out DateTime utc)
    {
        if (format is null && TryParseCommon(value, out utc)) return true;
        const DateTimeStyles styles = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal | DateTimeStyles.AllowWhiteSpaces;
        var ok = format is not null
            ? DateTime.TryParseExact(value, format, CultureInfo.InvariantCulture, styles, out utc)
            : DateTime.TryParseExact(value, DateFormats, CultureInfo.InvariantCulture, styles, out utc)
              || DateTime.TryParseExact(value, DayFirstSlashFormats, CultureInfo.InvariantCulture, styles, out utc)
              || TryParseEpoch(value, out utc);
        // Dates before 1970 or after 2100 in a CRM are typing errors, not history.
        return ok && utc.Year is >= 1970 and <= 2100;
    }

    /// <summary>
    /// The shapes nearly every CRM export uses, parsed by hand (about 20 times faster than TryParseExact):
    /// yyyy-MM-dd, with " HH:mm", " HH:mm:ss" or "THH:mm:ss" and an optional "Z"; and MM/dd/yyyy.
    /// Anything else falls through to the full list of formats.
    /// </summary>
    private static bool TryParseCommon(string v, out DateTime utc)
    {
        utc = default;
        int year, month, day, hour = 0, minute = 0, second = 0;
        var s = v.AsSpan().Trim();
        if (s.Length >= 10 && s[4] == '-' && s[7] == '-')
        {
            if (!Digits(s, 0, 4, out year) || !Digits(s, 5, 2, out month) || !Digits(s, 8, 2, out day)) return false;
            var rest = s[10..];
            if (rest.Length > 0)
            {
                if (rest[0] is not (' ' or 'T')) return false;
                rest = rest[1..];
                if (rest.Length > 0 && rest[^1] == 'Z') rest = rest[..^1];
                if (rest.Length is not (5 or 8) || rest[2] != ':' || !Digits(rest, 0, 2, out hour) || !Digits(rest, 3, 2, out minute)) return false;
                if (rest.Length == 8 && (rest[5] != ':' || !Digits(rest, 6, 2, out second))) return false;
            }
        }
        else if (s.Length == 10 && s[2] == '/' && s[5] == '/')
        {
            if (!Digits(s, 0, 2, out month) || !Digits(s, 3, 2, out day) || !Digits(s, 6, 4, out year)) return false;
            if (month > 12) return false; // day-first: leave it to the full parser
        }
        else
        {
            return false;
        }
        if (year is < 1970 or > 2100 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59) return false;
        utc = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc);
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> s, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            var d = s[i] - '0';
            if ((uint)d > 9) return false;
            value = value * 10 + d;
        }
        return true;
    }

    private static bool TryParseEpoch(string value, out DateTime utc)
    {
        // HubSpot's API and some of its exports write epoch milliseconds.
        utc = default;
        if (value.Length is not (10 or 13) || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return false;
        utc = value.Length == 13 ? DateTime.UnixEpoch.AddMilliseconds(n) : DateTime.UnixEpoch.AddSeconds(n);
        return true;
    }

    /// <summary>Parses "1,234.50", "1.234,50", "$ 12 000", "€1234,5"; the separator decides what a lone comma means.</summary>
    public static bool TryParseNumber(string value, char separator, out decimal number)
    {
        Span<char> buf = stackalloc char[Math.Min(value.Length, 64)];
        var n = 0;
        foreach (var c in value)
        {
            if (char.IsDigit(c) || c is '.' or ',' or '-' or '+' or 'e' or 'E')
            {
                if (n == buf.Length) { number = 0; return false; }
                buf[n++] = c;
            }
            else if (c is ' ' or '\u00A0' or '\u202F' or '\'' or '$' or '€' or '£' or '¥' or '%' || char.IsLetter(c) && IsCurrencyCode(value))
            {
                // thousands grouping and currency marks carry no value
            }
            else
            {
                number = 0;
                return false;
            }
        }
        var s = buf[..n];
        var lastDot = s.LastIndexOf('.');
        var lastComma = s.LastIndexOf(',');
        string normalized;
        if (lastDot >= 0 && lastComma >= 0)
        {
            normalized = lastComma > lastDot
                ? s.ToString().Replace(".", "").Replace(',', '.')
                : s.ToString().Replace(",", "");
        }
        else if (lastComma >= 0)
        {
            var decimals = s.Length - lastComma - 1;
            // "1,5" is a decimal; "1,500" is a thousand unless the file is semicolon-separated (European).
            var commaIsDecimal = s.Count(',') == 1 && (separator == ';' || decimals != 3);
            normalized = commaIsDecimal ? s.ToString().Replace(',', '.') : s.ToString().Replace(",", "");
        }
        else
        {
            normalized = s.ToString();
        }
        return decimal.TryParse(normalized, NumberStyles.Float, CultureInfo.InvariantCulture, out number);
    }

    private static bool IsCurrencyCode(string value)
    {
        var letters = value.Where(char.IsLetter).ToArray();
        return letters.Length == 3 && new string(letters).ToUpperInvariant() is "USD" or "EUR" or "GBP" or "CHF" or "SEK" or "NOK" or "DKK" or "CAD" or "AUD" or "JPY" or "INR";
    }

    /// <summary>
    /// Employee counts come as numbers or as bands ("51-200", "10,001+", "1001-5000 employees"); a band
    /// becomes its midpoint, an open band its lower bound.
    /// </summary>
    public static bool TryParseCompanySize(string value, char separator, out int size, out bool negative)
    {
        negative = false;
        size = 0;
        var v = value.Replace("employees", "", StringComparison.OrdinalIgnoreCase).Trim();
        var dash = v.IndexOf('-', 1);
        if (dash > 0 && TryParseNumber(v[..dash], separator, out var lo) && TryParseNumber(v[(dash + 1)..], separator, out var hi) && lo >= 0 && hi >= lo)
        {
            size = (int)Math.Round((lo + hi) / 2, MidpointRounding.AwayFromZero);
            return true;
        }
        if (v.EndsWith('+') && TryParseNumber(v[..^1], separator, out var open) && open >= 0)
        {
            size = (int)Math.Min(open, int.MaxValue);
            return true;
        }
        if (TryParseNumber(v, separator, out var n))
        {
            if (n < 0) { negative = true; return false; }
            if (n > int.MaxValue || n != decimal.Truncate(n)) return false;
            size = (int)n;
            return true;
        }
        return false;
    }

    /// <summary>
    /// A practical address check, what mail servers accept: a local part of the usual characters, one @,
    /// a domain of dotted labels (letters of any script, digits, hyphens) ending in a label of two or more.
    /// Hand-written because System.Net.Mail.MailAddress costs microseconds per call on million-row imports.
    /// </summary>
    public static bool IsEmail(string value)
    {
        if (value.Length is < 6 or > 254) return false;
        var at = value.IndexOf('@');
        if (at <= 0 || at > 64 || at != value.LastIndexOf('@') || at >= value.Length - 4) return false;
        var local = value.AsSpan(0, at);
        if (local[0] == '.' || local[^1] == '.' || local.Contains("..", StringComparison.Ordinal)) return false;
        foreach (var c in local)
        {
            if (!(char.IsLetterOrDigit(c) || "!#$%&'*+/=?^_`{|}~.-".Contains(c))) return false;
        }
        var domain = value.AsSpan(at + 1);
        var labels = 0;
        var labelStart = 0;
        for (var i = 0; i <= domain.Length; i++)
        {
            if (i < domain.Length && domain[i] != '.')
            {
                var c = domain[i];
                if (!(char.IsLetterOrDigit(c) || c == '-')) return false;
                continue;
            }
            var label = domain[labelStart..i];
            if (label.Length == 0 || label.Length > 63 || label[0] == '-' || label[^1] == '-') return false;
            labels++;
            labelStart = i + 1;
        }
        var tld = domain[(domain.LastIndexOf('.') + 1)..];
        return labels >= 2 && tld.Length >= 2 && !char.IsDigit(tld[0]);
    }

    private static readonly HashSet<string> WonWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "won", "win", "closed won", "closedwon", "closed - won", "customer", "evangelist", "converted", "closed - converted",
        "closed converted", "yes", "y", "true", "1", "sale", "sold", "deal won",
    };

    private static readonly HashSet<string> LostWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "lost", "loss", "closed lost", "closedlost", "closed - lost", "closed - not converted", "closed not converted",
        "not converted", "lost lead", "junk lead", "junk", "unqualified", "not qualified", "disqualified", "deal lost",
    };

    private static readonly HashSet<string> NotWonWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "no", "n", "false", "0", "open", "",
    };

    /// <summary>Reads an explicit outcome column. Null means "not decided by this column".</summary>
    public static bool TryParseOutcome(string value, out LeadOutcome? outcome)
    {
        var v = value.Trim();
        if (WonWords.Contains(v)) { outcome = LeadOutcome.Won; return true; }
        if (LostWords.Contains(v)) { outcome = LeadOutcome.Lost; return true; }
        if (NotWonWords.Contains(v)) { outcome = null; return true; }
        outcome = null;
        return false;
    }

    /// <summary>What a lifecycle stage or lead status says about the outcome, if anything.</summary>
    public static LeadOutcome? OutcomeFromStage(string? stage)
    {
        if (stage is null) return null;
        var v = stage.Trim();
        if (v is "1" or "0" or "yes" or "no" or "true" or "false" or "y" or "n") return null;
        if (WonWords.Contains(v)) return LeadOutcome.Won;
        if (LostWords.Contains(v)) return LeadOutcome.Lost;
        return null;
    }
}
