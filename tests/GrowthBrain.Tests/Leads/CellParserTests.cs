using GrowthBrain.Leads;
using GrowthBrain.Leads.Import;

namespace GrowthBrain.Tests.Leads;

public sealed class CellParserTests
{
    [Theory]
    [InlineData("2025-03-31", 2025, 3, 31, 0, 0)]
    [InlineData("2025-03-31 14:05", 2025, 3, 31, 14, 5)]
    [InlineData("2025-03-31T14:05:00Z", 2025, 3, 31, 14, 5)]
    [InlineData("2025-03-31T16:05:00+02:00", 2025, 3, 31, 14, 5)]
    [InlineData("03/31/2025", 2025, 3, 31, 0, 0)]
    [InlineData("3/1/2025 2:05 PM", 2025, 3, 1, 14, 5)]
    [InlineData("31/03/2025", 2025, 3, 31, 0, 0)]
    [InlineData("31.03.2025 14:05", 2025, 3, 31, 14, 5)]
    [InlineData("1743429900000", 2025, 3, 31, 14, 5)]
    public void Dates_in_the_formats_crms_export_are_read_as_utc(string text, int y, int m, int d, int h, int min)
    {
        CellParsers.TryParseDate(text, null, out var date).ShouldBeTrue();
        date.ShouldBe(new DateTime(y, m, d, h, min, 0, DateTimeKind.Utc));
        date.Kind.ShouldBe(DateTimeKind.Utc);
    }

    [Theory]
    [InlineData("31/31/2024")]
    [InlineData("2025-02-30")]
    [InlineData("yesterday")]
    [InlineData("1899-12-31")]
    [InlineData("12")]
    public void Impossible_or_unreadable_dates_are_refused(string text) =>
        CellParsers.TryParseDate(text, null, out _).ShouldBeFalse();

    [Theory]
    [InlineData("1234", ',', 1234)]
    [InlineData("1,234", ',', 1234)]
    [InlineData("1,5", ',', 1.5)]
    [InlineData("1,234.50", ',', 1234.50)]
    [InlineData("1.234,50", ';', 1234.50)]
    [InlineData("980,5", ';', 980.5)]
    [InlineData("$ 12 000", ',', 12000)]
    [InlineData("€1234,5", ';', 1234.5)]
    [InlineData("2500000 USD", ',', 2500000)]
    [InlineData("-3", ',', -3)]
    public void Amounts_with_grouping_currency_and_decimal_commas_are_read(string text, char separator, double expected)
    {
        CellParsers.TryParseNumber(text, separator, out var n).ShouldBeTrue();
        n.ShouldBe((decimal)expected);
    }

    [Theory]
    [InlineData("lots")]
    [InlineData("12 apples")]
    [InlineData("1-2-3")]
    public void Text_is_not_an_amount(string text) => CellParsers.TryParseNumber(text, ',', out _).ShouldBeFalse();

    [Theory]
    [InlineData("51-200", 126)]
    [InlineData("10,001+", 10001)]
    [InlineData("1001-5000 employees", 3001)]
    [InlineData("12", 12)]
    public void Employee_bands_become_their_midpoint(string text, int expected)
    {
        CellParsers.TryParseCompanySize(text, ',', out var size, out _).ShouldBeTrue();
        size.ShouldBe(expected);
    }

    [Fact]
    public void A_negative_employee_count_is_flagged_as_negative()
    {
        CellParsers.TryParseCompanySize("-5", ',', out _, out var negative).ShouldBeFalse();
        negative.ShouldBeTrue();
    }

    [Theory]
    [InlineData("ada@example.com", true)]
    [InlineData("first.last+tag@sub.example.co.uk", true)]
    [InlineData("zoe@ångström.se", true)]
    [InlineData("jane.doe@", false)]
    [InlineData("not-an-email", false)]
    [InlineData("a@b", false)]
    [InlineData("two@@example.com", false)]
    [InlineData("spa ce@example.com", false)]
    [InlineData("dots@example..com", false)]
    public void Email_addresses_are_checked_the_way_mail_servers_would(string text, bool valid) =>
        CellParsers.IsEmail(text).ShouldBe(valid);

    [Theory]
    [InlineData("Closed Won", LeadOutcome.Won)]
    [InlineData("customer", LeadOutcome.Won)]
    [InlineData("Closed - Converted", LeadOutcome.Won)]
    [InlineData("Closed - Not Converted", LeadOutcome.Lost)]
    [InlineData("Junk Lead", LeadOutcome.Lost)]
    [InlineData("Unqualified", LeadOutcome.Lost)]
    [InlineData("Working - Contacted", null)]
    [InlineData("salesqualifiedlead", null)]
    public void Stages_and_statuses_say_won_lost_or_nothing(string stage, LeadOutcome? expected) =>
        CellParsers.OutcomeFromStage(stage).ShouldBe(expected);

    [Theory]
    [InlineData("First Name", LeadField.FirstName)]
    [InlineData("Email", LeadField.Email)]
    [InlineData("E-mail Address", LeadField.Email)]
    [InlineData("Lead Source", LeadField.Source)]
    [InlineData("Lifecycle Stage", LeadField.Stage)]
    [InlineData("Lead Status", LeadField.Status)]
    [InlineData("Create Date", LeadField.CreatedAt)]
    [InlineData("Created Time", LeadField.CreatedAt)]
    [InlineData("Country/Region", LeadField.Country)]
    [InlineData("Designation", LeadField.JobTitle)]
    [InlineData("Person - Email - Work", LeadField.Email)]
    [InlineData("Organization - Name", LeadField.Company)]
    [InlineData("Deal - Status", LeadField.Outcome)]
    [InlineData("Deal - Title", LeadField.Custom)]
    [InlineData("Favourite Colour", LeadField.Custom)]
    public void Headings_of_crm_exports_are_recognised(string heading, LeadField field) =>
        LeadHeaderRecognizer.Recognize(heading).ShouldBe(field);

    [Theory]
    [InlineData("Number of Sales Activities", true)]
    [InlineData("Deal - Total activities", true)]
    [InlineData("Page views count", true)]
    [InlineData("Number of Employees Band", false)]
    [InlineData("Budget", false)]
    public void Count_columns_are_recognised_by_their_heading(string heading, bool isCount) =>
        LeadHeaderRecognizer.IsCountHeading(heading).ShouldBe(isCount);
}
