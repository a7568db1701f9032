using GrowthBrain.Scoring;

namespace GrowthBrain.Tests.Scoring;

public sealed class ProtectedAttributesTests
{
    [Theory]
    [InlineData("Gender")]
    [InlineData("Date of Birth")]
    [InlineData("marital_status")]
    [InlineData("Age")]
    [InlineData("Person - Gender")]
    [InlineData("DateOfBirth")]
    [InlineData("Religion")]
    public void Headings_naming_who_a_person_is_are_protected(string heading) =>
        ProtectedAttributes.IsProtected(heading).ShouldBeTrue();

    [Theory]
    [InlineData("Stage")]
    [InlineData("Usage")]
    [InlineData("Page views")]
    [InlineData("Agency")]
    [InlineData("Lead Source")]
    [InlineData("Message")]
    public void Headings_that_only_contain_the_letters_are_not_protected(string heading) =>
        ProtectedAttributes.IsProtected(heading).ShouldBeFalse();

    [Fact]
    public void A_custom_list_replaces_the_default()
    {
        ProtectedAttributes.IsProtected("Postcode", ["postcode"]).ShouldBeTrue();
        ProtectedAttributes.IsProtected("Gender", ["postcode"]).ShouldBeFalse();
        ProtectedAttributes.IsProtected("Gender", []).ShouldBeFalse();
    }
}
