using System.Globalization;
using System.Text.Json;
using GrowthBrain.Data;
using GrowthBrain.Leads;

namespace GrowthBrain.Scoring;

/// <summary>
/// Turns leads in the database, their custom fields and their activity into the flat table the scorer
/// learns from. Activity is counted as of a reference time: the close date for a closed lead (what was
/// known when it was decided) and now for an open one, so the model learns what it will be shown.
/// </summary>
public static class LeadFeatures
{
    public const string DaysSinceLastTouch = "Days since last touch";
    public const string Replies90 = "Replies in the last 90 days";
    public const string Meetings90 = "Meetings in the last 90 days";
    public const string Calls30 = "Calls in the last 30 days";
    public const string EmailsSent30 = "E-mails sent in the last 30 days";
    public const string DemoRequested = "Requested a demo";
    public const string PricingAsked = "Asked for pricing";

    private static readonly string[] Standard =
    [
        "Job title", "Industry", "Company size", "Annual revenue", "Country", "Source", "Campaign", "E-mail", "Notes",
        "Lead age in days", "Created on weekday",
    ];

    private static readonly (string Name, ActivityType? Type, int Days)[] Counts =
    [
        ("E-mails sent in the last 7 days", ActivityType.EmailSent, 7),
        (EmailsSent30, ActivityType.EmailSent, 30),
        ("E-mails opened in the last 30 days", ActivityType.EmailOpened, 30),
        ("E-mails opened in the last 90 days", ActivityType.EmailOpened, 90),
        ("Links clicked in the last 30 days", ActivityType.EmailClicked, 30),
        ("Links clicked in the last 90 days", ActivityType.EmailClicked, 90),
        ("Replies in the last 30 days", ActivityType.EmailReplied, 30),
        (Replies90, ActivityType.EmailReplied, 90),
        ("Calls in the last 7 days", ActivityType.Call, 7),
        (Calls30, ActivityType.Call, 30),
        (Meetings90, ActivityType.Meeting, 90),
        ("Meetings in total", ActivityType.Meeting, 100_000),
        ("Page views in the last 7 days", ActivityType.PageView, 7),
        ("Page views in the last 30 days", ActivityType.PageView, 30),
        ("Forms submitted in the last 90 days", ActivityType.FormSubmission, 90),
        ("Touches in the last 7 days", null, 7),
        ("Touches in the last 30 days", null, 30),
        ("Touches in total", null, 100_000),
    ];

    private const string Trend = "Engagement trend (last 30 days vs the 30 before)";

    /// <summary>Columns GrowthBrain computes itself: never mistaken for a protected attribute ("Lead age in days" is not a person's age).</summary>
    public static readonly IReadOnlySet<string> Computed = new HashSet<string>(
        new[] { "Lead age in days", "Created on weekday", DaysSinceLastTouch, Trend, DemoRequested, PricingAsked }.Concat(Counts.Select(c => c.Name)),
        StringComparer.OrdinalIgnoreCase);

    /// <summary>Sentences for the factors: "3 meetings in the last 90 days", "45 days since last touch".</summary>
    public static readonly IReadOnlyDictionary<string, string> Templates = new Dictionary<string, string>
    {
        [DaysSinceLastTouch] = "{0} days since last touch",
        [DemoRequested] = "Requested a demo: {0}",
        [PricingAsked] = "Asked for pricing: {0}",
        ["Lead age in days"] = "Lead is {0} days old",
        ["Created on weekday"] = "Created on a {0}",
        [Trend] = "Engagement trend {0} (touches last 30 days minus the 30 before)",
    }.Concat(Counts.Select(c => new KeyValuePair<string, string>(c.Name, "{0} " + char.ToLowerInvariant(c.Name[0]) + c.Name[1..])))
     .ToDictionary(kv => kv.Key, kv => kv.Value);

    /// <summary>Builds the table for the given leads (in the given order). Custom fields become columns of their own.</summary>
    public static async Task<LeadTable> BuildAsync(GrowthBrainDb db, IReadOnlyList<Lead> leads, DateTime now, CancellationToken ct) =>
        Build(leads, await LoadActivitiesAsync(db, leads, ct), now);

    /// <summary>Builds the table from leads and their activities already in memory (ad-hoc scoring).</summary>
    public static LeadTable Build(IReadOnlyList<Lead> leads, Dictionary<long, List<(ActivityType Type, DateTime OccurredAt, string? Subject)>> activities, DateTime now)
    {
        var customNames = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        var customs = new Dictionary<string, string>?[leads.Count];
        for (var i = 0; i < leads.Count; i++)
        {
            if (leads[i].CustomFields is { Length: > 2 } json)
            {
                customs[i] = JsonSerializer.Deserialize<Dictionary<string, string>>(json);
                foreach (var k in customs[i]!.Keys) customNames.Add(k);
            }
        }
        // A custom field must not shadow a computed column.
        customNames.RemoveWhere(n => Standard.Contains(n, StringComparer.OrdinalIgnoreCase) || Counts.Any(c => c.Name.Equals(n, StringComparison.OrdinalIgnoreCase)));
        var columns = Standard.Concat(Counts.Select(c => c.Name)).Append(DaysSinceLastTouch).Append(Trend).Append(DemoRequested).Append(PricingAsked)
            .Concat(customNames).ToList();
        var table = new LeadTable(columns);

        for (var i = 0; i < leads.Count; i++)
        {
            var lead = leads[i];
            var reference = ReferenceTime(lead, now);
            var row = new string?[columns.Count];
            var k = 0;
            row[k++] = lead.JobTitle;
            row[k++] = lead.Industry;
            row[k++] = lead.CompanySize?.ToString(CultureInfo.InvariantCulture);
            row[k++] = lead.AnnualRevenue?.ToString(CultureInfo.InvariantCulture);
            row[k++] = lead.Country;
            row[k++] = lead.Source;
            row[k++] = lead.Campaign;
            row[k++] = lead.Email;
            row[k++] = lead.Notes;
            row[k++] = Math.Max(0, (int)(reference - lead.CreatedAt).TotalDays).ToString(CultureInfo.InvariantCulture);
            row[k++] = lead.CreatedAt.DayOfWeek.ToString();
            var acts = activities.TryGetValue(lead.Id, out var list) ? list : [];
            foreach (var (_, type, days) in Counts)
            {
                var from = reference.AddDays(-days);
                row[k++] = acts.Count(a => (type is null || a.Type == type) && a.OccurredAt <= reference && a.OccurredAt > from).ToString(CultureInfo.InvariantCulture);
            }
            var last = acts.Where(a => a.OccurredAt <= reference).Select(a => (DateTime?)a.OccurredAt).Max();
            row[k++] = last is null ? null : Math.Max(0, (int)(reference - last.Value).TotalDays).ToString(CultureInfo.InvariantCulture);
            var recent = acts.Count(a => a.OccurredAt <= reference && a.OccurredAt > reference.AddDays(-30));
            var before = acts.Count(a => a.OccurredAt <= reference.AddDays(-30) && a.OccurredAt > reference.AddDays(-60));
            row[k++] = (recent - before).ToString(CultureInfo.InvariantCulture);
            row[k++] = acts.Any(a => a.Type == ActivityType.FormSubmission && a.OccurredAt <= reference && Mentions(a.Subject, "demo")) ? "yes" : "no";
            row[k++] = acts.Any(a => a.OccurredAt <= reference && Mentions(a.Subject, "pricing", "price", "quote")) ? "yes" : "no";
            foreach (var name in customNames)
            {
                row[k++] = customs[i] is { } c && c.TryGetValue(name, out var v) ? v : null;
            }
            table.Add(lead.Id.ToString(CultureInfo.InvariantCulture), row,
                lead.Outcome switch { LeadOutcome.Won => true, LeadOutcome.Lost => false, _ => null });
        }
        return table;
    }

    /// <summary>When a lead's features are read: its close for a closed lead, now for an open one.</summary>
    public static DateTime ReferenceTime(Lead lead, DateTime now) =>
        lead.Outcome == LeadOutcome.Open ? now : lead.ClosedAt ?? lead.LastActivityAt ?? lead.CreatedAt;

    private static bool Mentions(string? text, params string[] words) =>
        text is not null && words.Any(w => text.Contains(w, StringComparison.OrdinalIgnoreCase));

    internal static async Task<Dictionary<long, List<(ActivityType Type, DateTime OccurredAt, string? Subject)>>> LoadActivitiesAsync(
        GrowthBrainDb db, IReadOnlyList<Lead> leads, CancellationToken ct)
    {
        var result = new Dictionary<long, List<(ActivityType Type, DateTime OccurredAt, string? Subject)>>(leads.Count);
        // Chunks of ids keep each query's parameter list small on both providers.
        foreach (var chunk in leads.Select(l => l.Id).Chunk(5_000))
        {
            var rows = await db.Activities.AsNoTracking().Where(a => chunk.Contains(a.LeadId))
                .Select(a => new { a.LeadId, a.Type, a.OccurredAt, a.Subject }).ToListAsync(ct);
            foreach (var a in rows)
            {
                if (!result.TryGetValue(a.LeadId, out var list)) result[a.LeadId] = list = [];
                list.Add((a.Type, a.OccurredAt, a.Subject));
            }
        }
        return result;
    }

    /// <summary>What a rep can do next, and how to show it in the lead's row: the "what would raise it" actions.</summary>
    public static readonly IReadOnlyList<(string Action, Action<LeadTable, string?[]> Apply)> Actions =
    [
        ("Get a reply", (t, r) => Add(t, r, 1, "Replies in the last 30 days", Replies90, "Touches in the last 7 days", "Touches in the last 30 days", "Touches in total")),
        ("Call", (t, r) => Add(t, r, 1, "Calls in the last 7 days", Calls30, "Touches in the last 7 days", "Touches in the last 30 days", "Touches in total")),
        ("Book a meeting", (t, r) => Add(t, r, 1, Meetings90, "Meetings in total", "Touches in the last 7 days", "Touches in the last 30 days", "Touches in total")),
        ("Send pricing", (t, r) => { Set(t, r, PricingAsked, "yes"); Add(t, r, 1, "E-mails sent in the last 7 days", EmailsSent30, "Touches in the last 7 days", "Touches in the last 30 days", "Touches in total"); }),
    ];

    private static void Add(LeadTable table, string?[] row, int by, params string[] columns)
    {
        foreach (var c in columns)
        {
            var i = table.IndexOf(c);
            if (i < 0) continue;
            var current = int.TryParse(row[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;
            row[i] = (current + by).ToString(CultureInfo.InvariantCulture);
        }
        Set(table, row, DaysSinceLastTouch, "0");
    }

    private static void Set(LeadTable table, string?[] row, string column, string value)
    {
        var i = table.IndexOf(column);
        if (i >= 0) row[i] = value;
    }
}
