using System.Globalization;
using System.Text;
using Bogus;

namespace GrowthBrain.Synthetic;

/// <summary>A person name with the ASCII form used to build its e-mail address.</summary>
internal readonly record struct PooledName(string Text, string Slug);

/// <summary>An account several leads may belong to; its facts stay the same across those leads.</summary>
internal sealed record PooledCompany(string Name, string Domain, string Industry, int Employees, decimal AnnualRevenue, int CountryIndex);

internal sealed record NamePool(PooledName[] FirstNames, PooledName[] LastNames);

/// <summary>
/// Everything Bogus produces, made once per seed. Bogus fakers cost microseconds per call, which is
/// too slow for a million rows, so rows pick from these pools with a plain <see cref="Random"/>.
/// </summary>
internal sealed class SyntheticPools
{
    public static readonly string[] Countries =
    [
        "United States", "United Kingdom", "Germany", "Canada", "France", "Australia", "Netherlands",
        "Spain", "Sweden", "Poland", "India", "Brazil", "Ireland", "Austria", "Mexico", "Switzerland",
    ];

    // Roughly the mix of a US-headquartered B2B SaaS vendor's inbound leads.
    public static readonly double[] CountryWeights = [44, 10, 8, 6, 5, 4, 3, 3, 2, 2, 3, 2, 2, 2, 2, 2];

    public static readonly string[] CountryDialCodes =
        ["+1", "+44", "+49", "+1", "+33", "+61", "+31", "+34", "+46", "+48", "+91", "+55", "+353", "+43", "+52", "+41"];

    private static readonly string[] Locales = ["en", "de", "fr", "es", "sv", "pl", "nl", "pt_BR"];

    // Index into Locales for each entry of Countries.
    private static readonly int[] CountryLocale = [0, 0, 1, 0, 2, 0, 6, 3, 4, 5, 0, 7, 0, 1, 3, 1];

    // Names that must appear so that importers and e-mail drafts meet non-ASCII text.
    private static readonly (int Locale, string[] First, string[] Last)[] MustHaveNames =
    [
        (0, ["Zoë", "Chloë", "Renée"], ["O'Brien", "Brontë"]),
        (1, ["Jürgen", "Jörg"], ["Müller", "Schröder", "Weiß"]),
        (2, ["Hélène", "François"], ["Lefèvre", "Citroën"]),
        (3, ["José", "María"], ["Núñez", "Peña"]),
        (4, ["Åsa", "Björn"], ["Ångström", "Sjögren"]),
        (5, ["Łukasz", "Małgorzata"], ["Wałęsa", "Żak"]),
    ];

    public static readonly string[] Industries =
    [
        "Software", "Financial Services", "Healthcare", "Retail", "Manufacturing", "Education", "Real Estate",
        "Professional Services", "Media & Entertainment", "Logistics", "Hospitality", "Government", "Non-profit",
        "Telecommunications", "Energy",
    ];

    private static readonly double[] IndustryWeights = [16, 10, 9, 9, 9, 6, 5, 9, 5, 5, 4, 3, 3, 4, 3];

    public NamePool[] NamesByLocale { get; }
    public PooledCompany[] Companies { get; }
    public string[] Owners { get; }

    public SyntheticPools(int seed)
    {
        var random = new Random(unchecked(seed * 7919 + 17));
        NamesByLocale = new NamePool[Locales.Length];
        for (var i = 0; i < Locales.Length; i++)
        {
            var faker = new Faker(Locales[i]) { Random = new Randomizer(unchecked(seed + 1000 * (i + 1))) };
            var first = Distinct(Enumerable.Range(0, 400).Select(_ => faker.Name.FirstName()));
            var last = Distinct(Enumerable.Range(0, 400).Select(_ => faker.Name.LastName()));
            foreach (var (locale, mustFirst, mustLast) in MustHaveNames)
            {
                if (locale != i) continue;
                first.AddRange(mustFirst.Where(n => !first.Contains(n)));
                last.AddRange(mustLast.Where(n => !last.Contains(n)));
            }
            NamesByLocale[i] = new NamePool([.. first.Select(ToName)], [.. last.Select(ToName)]);
        }

        var english = new Faker("en") { Random = new Randomizer(unchecked(seed + 99)) };
        Owners = [.. Distinct(Enumerable.Range(0, 40).Select(_ => english.Name.FullName())).Take(12)];

        var companyFaker = new Faker("en") { Random = new Randomizer(unchecked(seed + 7)) };
        var companyNames = Distinct(Enumerable.Range(0, 9000).Select(_ => companyFaker.Company.CompanyName()));
        Companies = new PooledCompany[companyNames.Count];
        for (var i = 0; i < companyNames.Count; i++)
        {
            var name = companyNames[i];
            // Log-normal head counts: most accounts are small, a long tail is huge (median ~90).
            var employees = (int)Math.Clamp(Math.Exp(4.5 + 1.9 * Gaussian(random)), 1, 250_000);
            var revenuePerHead = Math.Exp(11.9 + 0.5 * Gaussian(random));
            var revenue = Math.Round((decimal)(employees * revenuePerHead) / 1000m) * 1000m;
            Companies[i] = new PooledCompany(
                name,
                Slug(name) + random.Next(4) switch { 0 => ".io", 1 => ".co", _ => ".com" },
                Industries[Pick(random, IndustryWeights)],
                employees,
                Math.Max(revenue, 10_000m),
                Pick(random, CountryWeights));
        }
    }

    public NamePool NamesForCountry(int countryIndex) => NamesByLocale[CountryLocale[countryIndex]];

    public static int Pick(Random random, double[] weights)
    {
        var total = 0.0;
        foreach (var w in weights) total += w;
        var x = random.NextDouble() * total;
        for (var i = 0; i < weights.Length; i++)
        {
            x -= weights[i];
            if (x < 0) return i;
        }
        return weights.Length - 1;
    }

    public static double Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Lower-case ASCII letters and digits only, so it is safe in an e-mail address or domain.</summary>
    public static string Slug(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            var lower = char.ToLowerInvariant(c);
            switch (lower)
            {
                case >= 'a' and <= 'z' or >= '0' and <= '9': builder.Append(lower); break;
                case 'ł': builder.Append('l'); break;
                case 'ø': builder.Append('o'); break;
                case 'æ': builder.Append("ae"); break;
                case 'ß': builder.Append("ss"); break;
                case 'đ': builder.Append('d'); break;
            }
        }
        return builder.Length == 0 ? "lead" : builder.ToString();
    }

    private static PooledName ToName(string text) => new(text, Slug(text));

    private static List<string> Distinct(IEnumerable<string> values)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var list = new List<string>();
        foreach (var v in values)
        {
            if (seen.Add(v)) list.Add(v);
        }
        return list;
    }
}
