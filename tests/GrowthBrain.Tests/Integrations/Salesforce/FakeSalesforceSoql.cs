using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace GrowthBrain.Tests.Integrations.Salesforce;

/// <summary>A SOQL error, answered 400 with its errorCode (MALFORMED_QUERY, INVALID_FIELD, INVALID_TYPE).</summary>
public sealed class FakeSoqlException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>
/// The subset of SOQL a sync's queries use: SELECT fields (and relationship fields such as Owner.Name, Opportunity.IsWon) FROM one
/// object, WHERE conditions joined by AND (field op literal, with = != &lt; &lt;= &gt; &gt;= on date-times, text, numbers,
/// booleans; field IN ('a', 'b')), ORDER BY fields (ASC), LIMIT n. Unknown fields and objects are refused as Salesforce
/// refuses them; anything outside the subset is MALFORMED_QUERY, so a connector cannot rely on what the fake lacks.
/// </summary>
public sealed partial class FakeSalesforceSoql
{
    public required IReadOnlyList<string> Fields { get; init; }
    public required string Object { get; init; }
    public IReadOnlyList<Condition> Where { get; init; } = [];
    public IReadOnlyList<string> OrderBy { get; init; } = [];
    public int? Limit { get; init; }

    /// <param name="Values">One value for comparisons, several for IN; literals already unquoted (date-times as DateTimeOffset).</param>
    public sealed record Condition(string Field, string Op, IReadOnlyList<object?> Values);

    public static FakeSalesforceSoql Parse(string soql, FakeSalesforceStore store)
    {
        var m = Statement().Match(soql.Trim());
        if (!m.Success) throw new FakeSoqlException("MALFORMED_QUERY", $"unexpected token in query: {soql}");
        var type = m.Groups["object"].Value;
        if (!store.HasObject(type)) throw new FakeSoqlException("INVALID_TYPE", $"sObject type '{type}' is not supported.");
        var fields = m.Groups["fields"].Value.Split(',', StringSplitOptions.TrimEntries);
        foreach (var f in fields) Check(store, type, f);
        var conditions = new List<Condition>();
        if (m.Groups["where"].Success)
        {
            foreach (var part in SplitAnd(m.Groups["where"].Value))
            {
                var c = ConditionPattern().Match(part.Trim());
                if (!c.Success) throw new FakeSoqlException("MALFORMED_QUERY", $"unexpected token: '{part.Trim()}'");
                var field = c.Groups["field"].Value;
                Check(store, type, field);
                var op = c.Groups["op"].Value.ToUpperInvariant();
                var values = op == "IN" ? ListOf(c.Groups["value"].Value) : [Literal(c.Groups["value"].Value.Trim())];
                conditions.Add(new Condition(field, op, values));
            }
        }
        var order = m.Groups["order"].Success ? m.Groups["order"].Value.Split(',', StringSplitOptions.TrimEntries)
            .Select(o => Regex.Replace(o, @"\s+ASC$", "", RegexOptions.IgnoreCase)).ToList() : [];
        foreach (var o in order)
        {
            if (o.Contains(' ')) throw new FakeSoqlException("MALFORMED_QUERY", $"the fake orders ascending only: '{o}'");
            Check(store, type, o);
        }
        return new FakeSalesforceSoql
        {
            Fields = fields, Object = type, Where = conditions, OrderBy = order,
            Limit = m.Groups["limit"].Success ? int.Parse(m.Groups["limit"].Value, CultureInfo.InvariantCulture) : null,
        };
    }

    private static void Check(FakeSalesforceStore store, string type, string field)
    {
        if (field.Contains('.'))
        {
            var (rel, sub) = (field.Split('.')[0], field.Split('.')[1]);
            var related = store.Fields(type).Any(f => string.Equals(f.RelationshipName, rel, StringComparison.OrdinalIgnoreCase));
            // A related object the fake keeps has all its fields; others (Owner) only their Name and Id.
            if (related && (store.RelationshipTarget(rel) is { } target ? store.Field(target, sub) is not null : sub is "Name" or "Id")) return;
            throw new FakeSoqlException("INVALID_FIELD", $"Didn't understand relationship '{rel}' in field path. No such column '{field}' on entity '{type}'.");
        }
        var known = store.Field(type, field);
        if (known is null) throw new FakeSoqlException("INVALID_FIELD", $"No such column '{field}' on entity '{type}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.");
    }

    /// <summary>Splits on AND outside quotes and parentheses; OR is outside the subset.</summary>
    private static IEnumerable<string> SplitAnd(string where)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        var depth = 0;
        for (var i = 0; i < where.Length; i++)
        {
            var ch = where[i];
            if (ch == '\\' && quoted && i + 1 < where.Length) { current.Append(ch).Append(where[++i]); continue; }
            if (ch == '\'') quoted = !quoted;
            if (!quoted && ch == '(') depth++;
            if (!quoted && ch == ')') depth--;
            if (!quoted && depth == 0 && string.Compare(where, i, " AND ", 0, 5, StringComparison.OrdinalIgnoreCase) == 0)
            {
                parts.Add(current.ToString());
                current.Clear();
                i += 4;
                continue;
            }
            if (!quoted && depth == 0 && string.Compare(where, i, " OR ", 0, 4, StringComparison.OrdinalIgnoreCase) == 0)
                throw new FakeSoqlException("MALFORMED_QUERY", "the fake's SOQL has no OR");
            current.Append(ch);
        }
        if (quoted) throw new FakeSoqlException("MALFORMED_QUERY", "unterminated string literal");
        parts.Add(current.ToString());
        return parts;
    }

    private static List<object?> ListOf(string text)
    {
        var inner = text.Trim();
        if (!inner.StartsWith('(') || !inner.EndsWith(')')) throw new FakeSoqlException("MALFORMED_QUERY", $"IN needs a list: {text}");
        var values = new List<object?>();
        var current = new StringBuilder();
        var quoted = false;
        foreach (var (ch, i) in inner[1..^1].Select((c, i) => (c, i)))
        {
            if (ch == '\'' && (i == 0 || inner[i] != '\\')) quoted = !quoted;
            if (ch == ',' && !quoted) { values.Add(Literal(current.ToString().Trim())); current.Clear(); continue; }
            current.Append(ch);
        }
        if (current.Length > 0) values.Add(Literal(current.ToString().Trim()));
        return values;
    }

    private static object? Literal(string text)
    {
        if (text.Length >= 2 && text[0] == '\'' && text[^1] == '\'')
        {
            var s = new StringBuilder();
            for (var i = 1; i < text.Length - 1; i++)
            {
                if (text[i] == '\\' && i + 1 < text.Length - 1) { s.Append(text[++i]); continue; }
                if (text[i] == '\'') throw new FakeSoqlException("MALFORMED_QUERY", $"unescaped quote in {text}");
                s.Append(text[i]);
            }
            return s.ToString();
        }
        if (text.Equals("null", StringComparison.OrdinalIgnoreCase)) return null;
        if (text.Equals("true", StringComparison.OrdinalIgnoreCase)) return true;
        if (text.Equals("false", StringComparison.OrdinalIgnoreCase)) return false;
        if (DateTimeLiteral().IsMatch(text))
            return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n)) return n;
        throw new FakeSoqlException("MALFORMED_QUERY", $"unexpected token: '{text}'");
    }

    /// <summary>Whether the record meets every condition; <paramref name="value"/> reads a field as the API would return it.</summary>
    public bool Matches(Func<string, object?> value) => Where.All(c =>
    {
        var actual = value(c.Field);
        return c.Op switch
        {
            "IN" => c.Values.Any(v => Compare(actual, v) == 0),
            "=" => Compare(actual, c.Values[0]) == 0,
            "!=" => Compare(actual, c.Values[0]) != 0,
            "<" => actual is not null && Compare(actual, c.Values[0]) < 0,
            "<=" => actual is not null && Compare(actual, c.Values[0]) <= 0,
            ">" => actual is not null && Compare(actual, c.Values[0]) > 0,
            ">=" => actual is not null && Compare(actual, c.Values[0]) >= 0,
            _ => throw new FakeSoqlException("MALFORMED_QUERY", $"unknown operator {c.Op}"),
        };
    });

    private static int Compare(object? a, object? b) => (a, b) switch
    {
        (null, null) => 0,
        (null, _) => -1,
        (_, null) => 1,
        (DateTimeOffset x, DateTimeOffset y) => x.CompareTo(y),
        (DateTimeOffset, _) or (_, DateTimeOffset) => throw new FakeSoqlException("INVALID_FIELD", "value of filter criterion must be of type dateTime and should not be enclosed in quotes"),
        (bool x, bool y) => x.CompareTo(y),
        (decimal x, decimal y) => x.CompareTo(y),
        _ => string.Compare(Convert.ToString(a, CultureInfo.InvariantCulture), Convert.ToString(b, CultureInfo.InvariantCulture), StringComparison.OrdinalIgnoreCase),
    };

    [GeneratedRegex(@"^SELECT\s+(?<fields>.+?)\s+FROM\s+(?<object>\w+)(\s+WHERE\s+(?<where>.+?))?(\s+ORDER\s+BY\s+(?<order>.+?))?(\s+LIMIT\s+(?<limit>\d+))?$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Statement();

    [GeneratedRegex(@"^(?<field>[A-Za-z_][\w.]*)\s*(?<op>>=|<=|!=|=|<|>|\bIN\b)\s*(?<value>.+)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex ConditionPattern();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex DateTimeLiteral();
}
