using System.Globalization;
using System.Net.Mail;

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

    /// <summary>Parses a date as UTC. Day-first slashed dates are accepted when the first number can't be a month.</summary>
    public static bool TryParseDate(string value, string? format, out DateTime utc)
    {
        const DateTimeStyles styles = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal | DateTimeStyles.AllowWhiteSpaces;
        var ok = format is not null
            ? DateTime.TryParseExact(value, format, CultureInfo.InvariantCulture, styles, out utc)
            : DateTime.TryParseExact(value, DateFormats, CultureInfo.InvariantCulture, styles, out utc)
              || DateTime.TryParseExact(value, DayFirstSlashFormats, CultureInfo.InvariantCulture, styles, out utc)
              || TryParseEpoch(value, out utc);
        // Dates before 1970 or after 2100 in a CRM are typing errors, not history.
        return ok && utc.Year is >= 1970 and <= 2100;
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

    /// <summary>A practical address check: one @, a dotted domain, no spaces; what mail servers accept.</summary>
    public static bool IsEmail(string value)
    {
        if (value.Length > 254 || value.Contains(' ')) return false;
        var at = value.IndexOf('@');
        if (at <= 0 || at != value.LastIndexOf('@') || at == value.Length - 1) return false;
        var domain = value[(at + 1)..];
        if (!domain.Contains('.') || domain.StartsWith('.') || domain.EndsWith('.') || domain.Contains("..")) return false;
        return MailAddress.TryCreate(value, out var parsed) && parsed.Address == value;
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
