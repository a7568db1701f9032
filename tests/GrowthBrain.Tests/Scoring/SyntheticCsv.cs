using System.Globalization;
using GrowthBrain.Leads;
using GrowthBrain.Synthetic;

namespace GrowthBrain.Tests.Scoring;

/// <summary>The synthetic CRM flattened to one row per lead with a converted column, as a backtest reads it.</summary>
public static class SyntheticCsv
{
    public static readonly DateTime Now = new(2026, 11, 30, 9, 0, 0, DateTimeKind.Utc);

    public const string Header = "id,job_title,industry,company_size,annual_revenue,country,source,email,touches,meetings,replies,Gender,Age,converted";

    public static IEnumerable<SyntheticLead> Leads(int count, int seed) =>
        new SyntheticCrm(new SyntheticCrmOptions(count, seed, Now)).Generate();

    /// <summary>A row; the label is 1/0 for won/lost and empty for open leads.</summary>
    public static string Row(SyntheticLead l) => string.Join(',',
        l.ExternalId, Quote(l.JobTitle), Quote(l.Industry), l.CompanySize?.ToString(CultureInfo.InvariantCulture),
        l.AnnualRevenue?.ToString(CultureInfo.InvariantCulture), Quote(l.Country), Quote(l.Source), Quote(l.Email),
        l.Activities.Count, l.Activities.Count(a => a.Type == ActivityType.Meeting), l.Activities.Count(a => a.Type == ActivityType.EmailReplied),
        Quote(l.CustomFields.GetValueOrDefault("Gender")), Quote(l.CustomFields.GetValueOrDefault("Age")),
        l.Outcome switch { LeadOutcome.Won => "1", LeadOutcome.Lost => "0", _ => "" });

    public static string Csv(IEnumerable<SyntheticLead> leads) => Header + "\n" + string.Join("\n", leads.Select(Row)) + "\n";

    private static string? Quote(string? value) =>
        value is null ? null : value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
}
