using GrowthBrain.Scoring;

namespace GrowthBrain.Tests.Scoring;

/// <summary>What the scorer decides to learn from, and what it refuses to, from the data alone.</summary>
public sealed class FeatureInferenceTests
{
    private static readonly string[] Titles = ["CEO", "VP Sales", "Software Engineer", "Marketing Manager"];
    private static readonly string[] Sources = ["Web", "Referral", "Trade Show", "Paid Search"];
    private static readonly string[] Domains = ["acme.com", "gmail.com", "initech.io", "globex.net"];

    private static (FeatureSchema Schema, LeadTable Table) Infer()
    {
        var random = new Random(11);
        var table = new LeadTable(["Gender", "Lead ID", "Region", "Outcome flag", "Job Title", "Email", "Source", "Company size"]);
        for (var i = 0; i < 200; i++)
        {
            var won = random.NextDouble() < 0.4;
            table.Add(i.ToString(), [
                random.Next(2) == 0 ? "Female" : "Male",
                (100_000 + i).ToString(),
                "EMEA",
                won ? "won" : "lost",
                Titles[random.Next(Titles.Length)],
                $"person{i}@{Domains[random.Next(Domains.Length)]}",
                Sources[random.Next(Sources.Length)],
                random.Next(1, 5000).ToString(),
            ], won);
        }
        return (FeatureInference.Infer(table, Enumerable.Range(0, table.Count).ToList(), ProtectedAttributes.Default), table);
    }

    private static ExcludedColumn Excluded(FeatureSchema schema, string name) =>
        schema.Excluded.SingleOrDefault(e => e.Name == name)
        ?? throw new ShouldAssertException($"'{name}' should be excluded; excluded: {string.Join("; ", schema.Excluded.Select(e => $"{e.Name}: {e.Reason}"))}");

    private static FeatureColumn Column(FeatureSchema schema, string name) =>
        schema.Columns.SingleOrDefault(c => c.Name == name)
        ?? throw new ShouldAssertException($"'{name}' should be a feature; features: {string.Join(", ", schema.Columns.Select(c => c.Name))}");

    [Fact]
    public void A_protected_column_is_excluded_with_the_reason() =>
        Excluded(Infer().Schema, "Gender").Reason.ShouldContain("protected");

    [Fact]
    public void An_id_like_column_is_excluded() =>
        Excluded(Infer().Schema, "Lead ID").Reason.ShouldNotBeNullOrWhiteSpace();

    [Fact]
    public void A_constant_column_is_excluded() =>
        Excluded(Infer().Schema, "Region").Reason.ShouldNotBeNullOrWhiteSpace();

    [Fact]
    public void A_column_that_equals_the_label_is_excluded_because_it_leaks_the_outcome() =>
        Excluded(Infer().Schema, "Outcome flag").Reason.ShouldContain("leaks the outcome");

    [Fact]
    public void A_job_title_column_is_read_as_job_titles() =>
        Column(Infer().Schema, "Job Title").Kind.ShouldBe(FeatureKind.JobTitle);

    [Fact]
    public void An_email_column_is_read_as_email_domains() =>
        Column(Infer().Schema, "Email").Kind.ShouldBe(FeatureKind.EmailDomain);

    [Fact]
    public void Every_column_is_either_a_feature_or_excluded_with_a_reason_never_both()
    {
        var (schema, table) = Infer();

        var used = schema.Columns.Select(c => c.Name).ToList();
        var excluded = schema.Excluded.Select(e => e.Name).ToList();
        used.Intersect(excluded).ShouldBeEmpty();
        used.Concat(excluded).Order().ShouldBe(table.Columns.Order());
        schema.Excluded.ShouldAllBe(e => !string.IsNullOrWhiteSpace(e.Reason));
    }

    [Theory]
    [InlineData(LeadFeatures.Meetings90, "1", "1 meeting in the last 90 days")]
    [InlineData(LeadFeatures.Meetings90, "3", "3 meetings in the last 90 days")]
    [InlineData(LeadFeatures.Replies90, "1.0", "1 reply in the last 90 days")]
    [InlineData(LeadFeatures.EmailsSent30, "1", "1 e-mail sent in the last 30 days")]
    [InlineData("Page views in the last 7 days", "1", "1 page view in the last 7 days")]
    [InlineData("Touches in total", "1", "1 touch in total")]
    [InlineData(LeadFeatures.DaysSinceLastTouch, "1", "1 day since last touch")]
    [InlineData("Lead age in days", "1", "Lead is 1 day old")]
    [InlineData("Lead age in days", "0", "Lead is 0 days old")]
    [InlineData("Engagement trend (last 30 days vs the 30 before)", "1", "Engagement trend 1 (touches last 30 days minus the 30 before)")]
    public void Factor_sentences_count_one_in_the_singular(string name, string value, string sentence)
    {
        var column = new FeatureColumn { Name = name, Kind = FeatureKind.Numeric, Template = LeadFeatures.Templates[name] };

        FeatureSchema.Describe(column, value).ShouldBe(sentence);
    }
}
