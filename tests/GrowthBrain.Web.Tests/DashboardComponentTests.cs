using Bunit;
using GrowthBrain.Web.Components.Shared;
using MudBlazor.Services;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBrain.Web.Tests;

/// <summary>The dashboard's small components rendered with bUnit: what a reader sees for a rate, a missing rate, an empty page and a sort.</summary>
public sealed class DashboardComponentTests : BunitContext
{
    public DashboardComponentTests()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    [Fact]
    public void A_rate_shows_its_interval_and_how_many_outcomes_it_is_over()
    {
        var cut = Render<RateCell>(p => p.Add(c => c.Rate, 0.75).Add(c => c.Low, 0.30064).Add(c => c.High, 0.95441).Add(c => c.Trials, 4));

        cut.Find(".rate-value").TextContent.ShouldBe("75.0%");
        cut.Find(".rate-ci").TextContent.ShouldBe(" (30.1%–95.4%)");
        cut.Find(".rate-cell").GetAttribute("title").ShouldBe("95% interval over 4 outcomes");
    }

    [Fact]
    public void A_missing_rate_is_a_dash_that_says_why_not_a_zero()
    {
        var cut = Render<RateCell>(p => p.Add(c => c.Rate, null).Add(c => c.Missing, "No closed leads"));

        cut.Find(".rate-missing").TextContent.ShouldBe("—");
        cut.Find(".rate-missing").GetAttribute("title").ShouldBe("No closed leads");
        cut.FindAll(".rate-value").ShouldBeEmpty();
    }

    [Fact]
    public void An_empty_state_says_what_is_missing_and_the_command_to_run()
    {
        var cut = Render<EmptyState>(p => p.Add(c => c.Id, "empty-sources").Add(c => c.Title, "No leads yet")
            .Add(c => c.Next, "Import your CRM export.").Add(c => c.Command, "./growthbrain import FILE.csv"));

        var alert = cut.Find("#empty-sources");
        alert.GetAttribute("role").ShouldBe("status");
        alert.TextContent.ShouldContain("No leads yet");
        alert.TextContent.ShouldContain("Import your CRM export.");
        cut.Find("code.empty-command").TextContent.ShouldBe("./growthbrain import FILE.csv");
    }

    [Fact]
    public void A_sort_header_is_a_button_that_reports_its_direction()
    {
        string? sorted = null;
        var cut = Render<SortHeader>(p => p.Add(c => c.Label, "Leads").Add(c => c.Key, "leads").Add(c => c.SortedBy, "leads")
            .Add(c => c.Descending, true).Add(c => c.OnSort, (string k) => sorted = k));

        cut.Find("th").GetAttribute("aria-sort").ShouldBe("descending");
        cut.Find("button").GetAttribute("type").ShouldBe("button");
        cut.Find("button").Click();
        sorted.ShouldBe("leads");
    }

    [Fact]
    public void Sorting_flips_on_the_same_column_and_keeps_rows_without_a_value_last()
    {
        var sort = new TableSort("rate");
        double?[] rows = [0.2, null, 0.9, 0.5];
        var columns = new Dictionary<string, Func<double?, IComparable?>> { ["rate"] = r => r };

        sort.Apply(rows, columns).ShouldBe([0.9, 0.5, 0.2, null]);
        sort.Toggle("rate");
        sort.Descending.ShouldBeFalse();
        sort.Apply(rows, columns).ShouldBe([0.2, 0.5, 0.9, null]);
        sort.Toggle("other");
        (sort.Key, sort.Descending).ShouldBe(("other", true));
    }
}
