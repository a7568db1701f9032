using System.Globalization;
using System.Text.RegularExpressions;
using GrowthBrain.Leads.Import;

namespace GrowthBrain.Scoring;

public enum FeatureKind { Numeric, Boolean, Category, Date, EmailDomain, JobTitle, Text }

/// <summary>One source column as the model sees it: its kind, its learned levels and how to put it in words.</summary>
public sealed record FeatureColumn
{
    public required string Name { get; init; }
    public required FeatureKind Kind { get; init; }
    /// <summary>Category levels kept (rare ones fold into "other"), or the text tokens kept.</summary>
    public string[] Levels { get; init; } = [];
    public bool HasMissingSlot { get; init; }
    /// <summary>The typical raw value, used to ask "what if this lead were typical here?" when explaining.</summary>
    public string? Typical { get; init; }
    /// <summary>A sentence for the value, e.g. "{0} meetings in the last 90 days"; null: "Name is value".</summary>
    public string? Template { get; init; }
    public int Offset { get; set; }

    public int Width => Kind switch
    {
        FeatureKind.Numeric or FeatureKind.Boolean => 1 + (HasMissingSlot ? 1 : 0),
        FeatureKind.Category => Levels.Length + 1 + (HasMissingSlot ? 1 : 0),
        FeatureKind.Date => 2,
        FeatureKind.EmailDomain => 3 + (HasMissingSlot ? 1 : 0),
        FeatureKind.JobTitle => 1 + JobTitles.Functions.Length,
        FeatureKind.Text => Levels.Length,
        _ => 0,
    };
}

public sealed record ExcludedColumn(string Name, string Reason);

/// <summary>
/// What the model learned from and how a row of text cells becomes its feature vector. Saved with
/// every model version so scoring uses exactly the encoding training used.
/// </summary>
public sealed class FeatureSchema
{
    private static readonly DateTime Epoch = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public List<FeatureColumn> Columns { get; init; } = [];
    public List<ExcludedColumn> Excluded { get; init; } = [];
    public List<string> Warnings { get; init; } = [];
    public int Width { get; set; }

    public void Layout()
    {
        var offset = 0;
        foreach (var c in Columns)
        {
            c.Offset = offset;
            offset += c.Width;
        }
        Width = offset;
    }

    /// <summary>Where each feature column is in a table's columns (-1: the table lacks it).</summary>
    public int[] Bind(IReadOnlyList<string> tableColumns)
    {
        var index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < tableColumns.Count; i++) index.TryAdd(tableColumns[i].Trim(), i);
        return Columns.Select(c => index.TryGetValue(c.Name, out var i) ? i : -1).ToArray();
    }

    public float[] Featurize(string?[] row, int[] binding)
    {
        var v = new float[Width];
        Featurize(row, binding, v);
        return v;
    }

    /// <summary>Feature vectors for many rows, in their order, encoded in parallel.</summary>
    public float[][] FeaturizeMany(LeadTable table, IReadOnlyList<int> rows)
    {
        var binding = Bind(table.Columns);
        var result = new float[rows.Count][];
        Parallel.For(0, (rows.Count + ChunkRows - 1) / ChunkRows, chunk =>
        {
            var end = Math.Min(rows.Count, (chunk + 1) * ChunkRows);
            for (var k = chunk * ChunkRows; k < end; k++) result[k] = Featurize(table.Rows[rows[k]], binding);
        });
        return result;
    }

    internal const int ChunkRows = 4096;

    public void Featurize(string?[] row, int[] binding, Span<float> v)
    {
        v.Clear();
        var levels = LevelIndexes();
        for (var c = 0; c < Columns.Count; c++)
        {
            var col = Columns[c];
            var raw = binding[c] >= 0 ? row[binding[c]] : null;
            Encode(col, Clean(raw), v.Slice(col.Offset, col.Width), levels[c].Index);
        }
    }

    /// <summary>Per column, its category levels by name (first of equal names wins, as a scan would): built once, not per cell.</summary>
    private (string[]? Levels, Dictionary<string, int>? Index)[] LevelIndexes()
    {
        var cached = _levelIndexes;
        var current = cached.Length == Columns.Count;
        for (var c = 0; current && c < cached.Length; c++) current = Columns[c].Kind != FeatureKind.Category || ReferenceEquals(cached[c].Levels, Columns[c].Levels);
        if (current) return cached;
        var built = new (string[]? Levels, Dictionary<string, int>? Index)[Columns.Count];
        for (var c = 0; c < Columns.Count; c++)
        {
            var col = Columns[c];
            if (col.Kind != FeatureKind.Category) continue;
            var index = new Dictionary<string, int>(col.Levels.Length, StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < col.Levels.Length; i++) index.TryAdd(col.Levels[i], i);
            built[c] = (col.Levels, index);
        }
        _levelIndexes = built;
        return built;
    }

    private (string[]? Levels, Dictionary<string, int>? Index)[] _levelIndexes = [];

    internal static void Encode(FeatureColumn col, string? value, Span<float> slots) => Encode(col, value, slots, null);

    private static void Encode(FeatureColumn col, string? value, Span<float> slots, Dictionary<string, int>? levelIndex)
    {
        var missing = value is null;
        switch (col.Kind)
        {
            case FeatureKind.Numeric:
                slots[0] = !missing && TryNumber(value!, out var n) ? (float)n : float.NaN;
                if (col.HasMissingSlot) slots[1] = float.IsNaN(slots[0]) ? 1 : 0;
                break;
            case FeatureKind.Boolean:
                slots[0] = missing ? float.NaN : Truthy(value!) switch { true => 1, false => 0, null => float.NaN };
                if (col.HasMissingSlot) slots[1] = float.IsNaN(slots[0]) ? 1 : 0;
                break;
            case FeatureKind.Category:
                if (missing)
                {
                    if (col.HasMissingSlot) slots[col.Levels.Length + 1] = 1;
                    break;
                }
                var level = levelIndex is not null ? (levelIndex.TryGetValue(value!, out var found) ? found : -1)
                    : Array.FindIndex(col.Levels, l => string.Equals(l, value, StringComparison.OrdinalIgnoreCase));
                slots[level >= 0 ? level : col.Levels.Length] = 1; // unseen values count as "other"
                break;
            case FeatureKind.Date:
                if (!missing && CellParsers.TryParseDate(value!, null, out var d))
                {
                    slots[0] = (float)(d - Epoch).TotalDays;
                    slots[1] = (int)d.DayOfWeek;
                }
                else
                {
                    slots[0] = slots[1] = float.NaN;
                }
                break;
            case FeatureKind.EmailDomain:
                if (missing)
                {
                    if (col.HasMissingSlot) slots[3] = 1;
                    break;
                }
                slots[(int)EmailDomains.Classify(value!)] = 1;
                break;
            case FeatureKind.JobTitle:
                if (missing)
                {
                    slots[0] = float.NaN;
                    break;
                }
                var (seniority, function) = JobTitles.Read(value!);
                slots[0] = seniority;
                slots[1 + function] = 1;
                break;
            case FeatureKind.Text:
                if (missing) break;
                var tokens = TextTokens.Cached(value!);
                for (var i = 0; i < col.Levels.Length; i++) slots[i] = tokens.Contains(col.Levels[i]) ? 1 : 0;
                break;
        }
    }

    private static readonly HashSet<string> MissingWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "", "na", "n/a", "nan", "null", "none", "-", "--", "?", "unknown", "inf", "-inf", "+inf", "infinity", "-infinity", "#n/a",
    };

    private static readonly int LongestMissingWord = MissingWords.Max(w => w.Length);

    /// <summary>Empty, "N/A", "NaN", "Infinity" and friends all mean "we don't know".</summary>
    public static string? Clean(string? raw)
    {
        if (raw is null) return null;
        var t = raw.Trim();
        return t.Length <= LongestMissingWord && MissingWords.Contains(t) ? null : t;
    }

    public static bool TryNumber(string value, out double number)
    {
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out number))
            return double.IsFinite(number);
        if (CellParsers.TryParseNumber(value, ',', out var d))
        {
            number = (double)d;
            return true;
        }
        return false;
    }

    public static bool? Truthy(string value) => value.Trim().ToLowerInvariant() switch
    {
        "1" or "yes" or "y" or "true" or "t" or "won" or "converted" or "win" => true,
        "0" or "no" or "n" or "false" or "f" or "lost" or "not converted" or "loss" => false,
        _ => null,
    };

    /// <summary>The value in words: "Source is Referral", "3 meetings in the last 90 days", "No Job title".</summary>
    public static string Describe(FeatureColumn col, string? value)
    {
        if (value is null) return $"No {col.Name}";
        if (col.Template is { } template)
        {
            var shown = TryNumber(value, out var n) ? n.ToString("0.##", CultureInfo.InvariantCulture) : value;
            return string.Format(CultureInfo.InvariantCulture, shown == "1" ? Singular(template) : template, shown);
        }
        return col.Kind switch
        {
            FeatureKind.EmailDomain => $"{col.Name} is a {EmailDomains.Classify(value).ToString().ToLowerInvariant()} address",
            FeatureKind.JobTitle => $"{col.Name} is '{Short(value)}' ({JobTitles.SeniorityNames[(int)JobTitles.Read(value).Seniority]})",
            FeatureKind.Text => $"{col.Name} mentions '{string.Join("', '", TextTokens.Of(value).Intersect(col.Levels).Take(2))}'",
            FeatureKind.Category when !col.Levels.Contains(value, StringComparer.OrdinalIgnoreCase) => $"{col.Name} is '{Short(value)}' (rare)",
            _ => $"{col.Name} is {Short(value)}",
        };
    }

    private static readonly Dictionary<string, string> SingularOf = new(StringComparer.Ordinal)
    {
        ["days"] = "day", ["meetings"] = "meeting", ["calls"] = "call", ["replies"] = "reply", ["e-mails"] = "e-mail",
        ["views"] = "view", ["links"] = "link", ["forms"] = "form", ["touches"] = "touch",
    };

    /// <summary>
    /// "1 meeting", not "1 meetings": the counted noun is one of the two words after the number ("{0} page views").
    /// The templates are stored in each trained model, so the singular is found here rather than written into them.
    /// </summary>
    private static string Singular(string template)
    {
        var at = template.IndexOf("{0} ", StringComparison.Ordinal);
        if (at < 0) return template;
        var words = template[(at + 4)..].Split(' ');
        for (var k = 0; k < Math.Min(2, words.Length); k++)
        {
            if (SingularOf.TryGetValue(words[k], out var one))
            {
                words[k] = one;
                return template[..(at + 4)] + string.Join(' ', words);
            }
        }
        return template;
    }

    private static string Short(string s) => s.Length <= 40 ? s : s[..37] + "...";
}

public enum EmailKind { Company = 0, Free = 1, Disposable = 2 }

public static class EmailDomains
{
    private static readonly HashSet<string> Free = new(StringComparer.OrdinalIgnoreCase)
    {
        "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de", "ymail.com", "hotmail.com", "hotmail.co.uk",
        "hotmail.fr", "outlook.com", "live.com", "msn.com", "aol.com", "icloud.com", "me.com", "mac.com", "gmx.de", "gmx.net", "gmx.com",
        "web.de", "mail.ru", "yandex.ru", "yandex.com", "protonmail.com", "proton.me", "qq.com", "163.com", "126.com", "zoho.com",
        "mail.com", "t-online.de", "orange.fr", "free.fr", "libero.it", "btinternet.com", "comcast.net", "verizon.net", "fastmail.com",
    };

    private static readonly string[] Disposable =
        ["mailinator", "guerrillamail", "10minutemail", "tempmail", "temp-mail", "trashmail", "yopmail", "throwaway", "sharklasers", "getnada", "dispostable", "maildrop"];

    public static EmailKind Classify(string email)
    {
        var at = email.LastIndexOf('@');
        var domain = at >= 0 ? email[(at + 1)..] : email;
        if (Free.Contains(domain)) return EmailKind.Free;
        return Disposable.Any(d => domain.Contains(d, StringComparison.OrdinalIgnoreCase)) ? EmailKind.Disposable : EmailKind.Company;
    }
}

public static class JobTitles
{
    public static readonly string[] SeniorityNames = ["student or intern", "individual contributor", "manager", "director", "VP level", "C-level or owner"];
    public static readonly string[] Functions = ["sales", "marketing", "engineering", "finance", "operations", "people", "executive", "other"];

    private static readonly (Regex Pattern, int Level)[] Seniority =
    [
        (new(@"\b(ceo|cto|cfo|coo|cmo|cio|cro|chief|founder|co-founder|cofounder|owner|president|partner|managing director|geschäftsführer)\b", RegexOptions.IgnoreCase | RegexOptions.Compiled), 5),
        (new(@"\b(vp|vice president|svp|evp|head of)\b", RegexOptions.IgnoreCase | RegexOptions.Compiled), 4),
        (new(@"\bdirector\b", RegexOptions.IgnoreCase | RegexOptions.Compiled), 3),
        (new(@"\b(manager|lead|supervisor|principal|team lead)\b", RegexOptions.IgnoreCase | RegexOptions.Compiled), 2),
        (new(@"\b(student|intern|trainee|apprentice)\b", RegexOptions.IgnoreCase | RegexOptions.Compiled), 0),
    ];

    private static readonly (Regex Pattern, int Function)[] FunctionPatterns =
    [
        (new(@"\b(ceo|founder|co-founder|owner|president|chief executive|managing director)\b", RegexOptions.IgnoreCase | RegexOptions.Compiled), 6),
        (new(@"\b(sales|account executive|business development|bdr|sdr|account manager|revenue|cro)\b", RegexOptions.IgnoreCase | RegexOptions.Compiled), 0),
        (new(@"\b(marketing|growth|brand|content|seo|cmo|demand gen)\b", RegexOptions.IgnoreCase | RegexOptions.Compiled), 1),
        (new(@"\b(engineer|engineering|developer|it|technology|cto|software|data|devops|architect|cio)\b", RegexOptions.IgnoreCase | RegexOptions.Compiled), 2),
        (new(@"\b(finance|cfo|accounting|accountant|controller|procurement|purchasing)\b", RegexOptions.IgnoreCase | RegexOptions.Compiled), 3),
        (new(@"\b(operations|coo|logistics|supply|ops)\b", RegexOptions.IgnoreCase | RegexOptions.Compiled), 4),
        (new(@"\b(hr|people|talent|recruit|recruiter|recruiting)\b", RegexOptions.IgnoreCase | RegexOptions.Compiled), 5),
    ];

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, (float, int)> Cache = new(StringComparer.Ordinal);

    /// <summary>Seniority and function of a title; titles repeat a lot, so results are cached (bounded).</summary>
    public static (float Seniority, int Function) Read(string title)
    {
        if (Cache.TryGetValue(title, out var hit)) return hit;
        var r = ReadUncached(title);
        if (Cache.Count < 200_000) Cache.TryAdd(title, r);
        return r;
    }

    private static (float Seniority, int Function) ReadUncached(string title)
    {
        var level = 1;
        foreach (var (pattern, l) in Seniority)
        {
            if (pattern.IsMatch(title)) { level = l; break; }
        }
        var function = Functions.Length - 1;
        foreach (var (pattern, f) in FunctionPatterns)
        {
            if (pattern.IsMatch(title)) { function = f; break; }
        }
        return (level, function);
    }
}

public static class TextTokens
{
    private static readonly Regex Word = new(@"\p{L}[\p{L}\p{N}']*", RegexOptions.Compiled);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, HashSet<string>> Cache = new(StringComparer.Ordinal);

    /// <summary>Like <see cref="Of"/> for repeated texts (templated notes): the token set is cached, bounded; don't modify it.</summary>
    internal static HashSet<string> Cached(string text)
    {
        if (Cache.TryGetValue(text, out var hit)) return hit;
        var set = Of(text);
        if (Cache.Count < 50_000 && text.Length <= 2_000) Cache.TryAdd(text, set);
        return set;
    }

    /// <summary>Lower-cased words of three letters or more, and adjacent word pairs.</summary>
    public static HashSet<string> Of(string text)
    {
        var words = Word.Matches(text.ToLowerInvariant()).Select(m => m.Value).ToList();
        var set = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < words.Count; i++)
        {
            if (words[i].Length >= 3) set.Add(words[i]);
            if (i + 1 < words.Count) set.Add(words[i] + " " + words[i + 1]);
        }
        return set;
    }
}
