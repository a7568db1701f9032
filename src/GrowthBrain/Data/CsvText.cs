using System.Globalization;

namespace GrowthBrain.Data;

/// <summary>Writing CSV cells that are safe to open in a spreadsheet.</summary>
public static class CsvText
{
    /// <summary>
    /// A cell starting with = + - @ (or tab/CR) is run as a formula by Excel and LibreOffice
    /// (CSV injection); a leading apostrophe makes it text. Plain numbers such as -12.5 are left alone.
    /// </summary>
    public static string Neutralise(string value)
    {
        if (value.Length == 0) return value;
        var first = value[0];
        if (first is not ('=' or '+' or '-' or '@' or '\t' or '\r')) return value;
        if (first is '-' or '+' && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) return value;
        return "'" + value;
    }

    /// <summary>RFC 4180 quoting, after neutralising.</summary>
    public static string Cell(string? value, char separator = ',')
    {
        if (string.IsNullOrEmpty(value)) return "";
        var v = Neutralise(value);
        return v.AsSpan().IndexOfAny([separator, '"', '\n', '\r']) >= 0 ? "\"" + v.Replace("\"", "\"\"") + "\"" : v;
    }

    public static string Line(IEnumerable<string?> cells, char separator = ',') =>
        string.Join(separator, cells.Select(c => Cell(c, separator)));
}
