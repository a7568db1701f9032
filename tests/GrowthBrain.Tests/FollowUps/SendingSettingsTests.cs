using GrowthBrain.FollowUps;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GrowthBrain.Tests.FollowUps;

/// <summary>Smtp:* and App:PublicUrl are checked before anything is sent, with messages that say what to set.</summary>
public sealed class SendingSettingsTests
{
    private static SmtpOptions Resolve(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddGrowthBrainFollowUps(configuration).BuildServiceProvider();
        return services.GetRequiredService<IOptions<SmtpOptions>>().Value;
    }

    [Fact]
    public void Without_a_host_the_app_is_in_drafts_only_mode()
    {
        Resolve([]).Enabled.ShouldBeFalse();
    }

    [Fact]
    public void A_complete_configuration_is_accepted()
    {
        var options = Resolve(new() { ["Smtp:Host"] = "smtp.example.com", ["Smtp:Port"] = "465", ["Smtp:From"] = "Sam <sam@example.com>", ["Smtp:User"] = "sam", ["Smtp:Password"] = "pw" });
        options.Enabled.ShouldBeTrue();
        options.FromAddress().Address.ShouldBe("sam@example.com");
    }

    [Theory]
    [InlineData(null, "587", "sam", "pw", "Smtp:From is ''")]
    [InlineData("not an address", "587", null, null, "Smtp:From is 'not an address'")]
    [InlineData("sam@example.com", "0", null, null, "Smtp:Port is 0")]
    [InlineData("sam@example.com", "587", "sam", null, "Smtp:User and Smtp:Password go together")]
    public void A_broken_configuration_says_what_to_fix(string? from, string port, string? user, string? password, string expected)
    {
        var error = Should.Throw<OptionsValidationException>(() => Resolve(new()
        {
            ["Smtp:Host"] = "smtp.example.com", ["Smtp:Port"] = port, ["Smtp:From"] = from, ["Smtp:User"] = user, ["Smtp:Password"] = password,
        }));
        error.Message.ShouldContain(expected);
    }

    [Theory]
    [InlineData("ftp://growth.example.com")]
    [InlineData("growth.example.com")]
    public void A_public_url_must_be_an_absolute_http_address(string url)
    {
        Should.Throw<InvalidOperationException>(() => PublicUrl.From(url)).Message.ShouldContain("App:PublicUrl");
        PublicUrl.From(null).Value.ShouldBeNull();
        PublicUrl.From("https://growth.example.com/").Value!.Host.ShouldBe("growth.example.com");
    }

    [Fact]
    public void A_line_diff_marks_removed_added_and_kept_lines()
    {
        TextDiff.Lines("Hi Ann,\nOld line.\nBye", "Hi Ann,\nNew line.\nBye").ShouldBe("  Hi Ann,\n- Old line.\n+ New line.\n  Bye\n");
    }
}
