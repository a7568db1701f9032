namespace GrowthBrain.FollowUps;

/// <summary>The wording a playbook gives for one language: what drafts in that language may say.</summary>
/// <param name="ValuePoints">Per industry (as the CRM names it) what the product does for such a team, as an infinitive phrase; "*" is the default.</param>
/// <param name="AllowedOffers">The only offers a draft may make, as exact phrases; anything else that looks like a price, discount or "free" is blocked.</param>
public sealed record PlaybookText(
    string ProductSummary,
    IReadOnlyDictionary<string, string> ValuePoints,
    IReadOnlyList<string> AllowedOffers,
    string OptOutLine)
{
    public string ValuePointFor(string? industry) =>
        industry is not null && ValuePoints.TryGetValue(industry, out var point) ? point : ValuePoints["*"];
}

/// <summary>
/// The team's playbook: what the product is, what it does for each industry, which offers are approved,
/// the signature and the opt-out line. Texts are per language because a German draft needs German
/// wording of the same approved offer, not a translation made up on the spot.
/// </summary>
public sealed record Playbook(
    string ProductName,
    string Signature,
    IReadOnlyList<string> ForbiddenWords,
    IReadOnlyDictionary<string, PlaybookText> Languages)
{
    public const string English = "en";
    public const string German = "de";

    /// <summary>The texts for a language, English when the playbook has none for it.</summary>
    public PlaybookText For(string language) =>
        Languages.TryGetValue(language, out var text) ? text : Languages[English];

    /// <summary>
    /// The demo playbook. There is no playbook table yet: every team drafts with this one until the
    /// settings page can edit it.
    /// </summary>
    public static Playbook Default { get; } = new(
        ProductName: "Northwind Pipeline",
        Signature: "Sam Carter, Northwind Pipeline",
        ForbiddenWords: ["cheap", "no-brainer", "billig"],
        Languages: new Dictionary<string, PlaybookText>
        {
            [English] = new(
                ProductSummary: "a forecasting tool that turns your CRM data into a weekly pipeline view",
                ValuePoints: new Dictionary<string, string>
                {
                    ["*"] = "see which deals need attention each week",
                    ["Software"] = "plan renewals and spot churn risk early",
                    ["Financial Services"] = "keep a clear audit trail of every forecast change",
                    ["Healthcare"] = "plan capacity for new accounts weeks ahead",
                    ["Retail"] = "see seasonal demand in the pipeline before it arrives",
                    ["Manufacturing"] = "line up long sales cycles with production planning",
                },
                AllowedOffers: ["a free 30-day pilot"],
                OptOutLine: "If you would rather not hear from us again, tell us and we will not write again."),
            [German] = new(
                ProductSummary: "ein Prognosewerkzeug, das Ihre CRM-Daten in einen wöchentlichen Pipeline-Überblick verwandelt",
                ValuePoints: new Dictionary<string, string>
                {
                    ["*"] = "jede Woche zu sehen, welche Abschlüsse Aufmerksamkeit brauchen",
                    ["Software"] = "Verlängerungen zu planen und Abwanderungsrisiken früh zu erkennen",
                    ["Financial Services"] = "jede Änderung an der Prognose nachvollziehbar zu halten",
                    ["Healthcare"] = "die Kapazität für neue Kunden Wochen im Voraus zu planen",
                    ["Retail"] = "saisonale Nachfrage in der Pipeline zu sehen, bevor sie kommt",
                    ["Manufacturing"] = "lange Verkaufszyklen mit der Produktionsplanung abzustimmen",
                },
                AllowedOffers: ["einem kostenlosen 30-tägigen Pilotprojekt"],
                OptOutLine: "Wenn Sie keine weiteren Nachrichten von uns wünschen, sagen Sie es uns, und wir schreiben nicht mehr."),
        });
}
