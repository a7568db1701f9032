using GrowthBrain.Integrations;
using GrowthBrain.Integrations.HubSpot;
using GrowthBrain.Integrations.Pipedrive;
using GrowthBrain.Integrations.Salesforce;
using GrowthBrain.Integrations.Zoho;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GrowthBrain.Tests.Integrations;

/// <summary>`Crm:*` settings: documented defaults, addresses checked with messages that name the key, secrets never shown.</summary>
public sealed class CrmOptionsTests
{
    private static ServiceProvider Services(Dictionary<string, string?> settings) =>
        new ServiceCollection().AddGrowthBrainIntegrations(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()).BuildServiceProvider();

    [Fact]
    public void Without_settings_each_crm_has_its_documented_address_and_is_not_connected()
    {
        using var services = Services([]);

        services.GetRequiredService<IOptions<HubSpotOptions>>().Value.BaseUrl.ShouldBe("https://api.hubapi.com");
        services.GetRequiredService<IOptions<SalesforceOptions>>().Value.LoginUrl.ShouldBe("https://login.salesforce.com");
        services.GetRequiredService<IOptions<PipedriveOptions>>().Value.BaseUrl.ShouldBe("https://api.pipedrive.com");
        services.GetRequiredService<IOptions<ZohoOptions>>().Value.ApiBaseUrl.ShouldBeNull();
        services.GetRequiredService<IOptions<HubSpotOptions>>().Value.Configured.ShouldBeFalse();
        services.GetRequiredService<IOptions<ZohoOptions>>().Value.Configured.ShouldBeFalse();
        services.GetRequiredService<IOptions<SalesforceOptions>>().Value.Configured.ShouldBeFalse();
        services.GetRequiredService<IOptions<PipedriveOptions>>().Value.Configured.ShouldBeFalse();
    }

    [Fact]
    public void A_configured_token_marks_its_crm_as_configured()
    {
        using var services = Services(new()
        {
            ["Crm:HubSpot:AccessToken"] = "pat-1", ["Crm:Zoho:RefreshToken"] = "r", ["Crm:Zoho:ClientId"] = "c", ["Crm:Zoho:ClientSecret"] = "s",
            ["Crm:Zoho:ApiBaseUrl"] = "https://www.zohoapis.eu", ["Crm:Zoho:AccountsUrl"] = "https://accounts.zoho.eu", ["Crm:Pipedrive:BaseUrl"] = "http://127.0.0.1:5123",
        });

        services.GetRequiredService<IOptions<HubSpotOptions>>().Value.Configured.ShouldBeTrue();
        services.GetRequiredService<IOptions<ZohoOptions>>().Value.Configured.ShouldBeTrue();
        services.GetRequiredService<IOptions<PipedriveOptions>>().Value.Configured.ShouldBeFalse();
        services.GetRequiredService<IOptions<PipedriveOptions>>().Value.BaseUrl.ShouldBe("http://127.0.0.1:5123");
    }

    [Theory]
    [InlineData("Crm:HubSpot:BaseUrl", "api.hubapi.com")]
    [InlineData("Crm:HubSpot:BaseUrl", "")]
    [InlineData("Crm:Zoho:ApiBaseUrl", "ftp://www.zohoapis.com")]
    [InlineData("Crm:Zoho:AccountsUrl", "accounts.zoho.com")]
    [InlineData("Crm:Salesforce:LoginUrl", "http://login.salesforce.com")]
    [InlineData("Crm:Pipedrive:BaseUrl", "not a url")]
    public void A_bad_address_names_the_key_and_what_to_set(string key, string value)
    {
        using var services = Services(new() { [key] = value });

        var error = Should.Throw<OptionsValidationException>(() => Resolve(services, key));

        error.Message.ShouldContain(key);
        error.Message.ShouldContain("https://");
    }

    private static object Resolve(IServiceProvider services, string key) => key.Split(':')[1] switch
    {
        "HubSpot" => services.GetRequiredService<IOptions<HubSpotOptions>>().Value,
        "Zoho" => services.GetRequiredService<IOptions<ZohoOptions>>().Value,
        "Salesforce" => services.GetRequiredService<IOptions<SalesforceOptions>>().Value,
        _ => services.GetRequiredService<IOptions<PipedriveOptions>>().Value,
    };

    [Fact]
    public void Options_never_show_their_secrets()
    {
        const string secret = "secret-do-not-print";
        using var services = Services(new()
        {
            ["Crm:HubSpot:AccessToken"] = secret, ["Crm:Zoho:ClientSecret"] = secret, ["Crm:Zoho:RefreshToken"] = secret,
            ["Crm:Zoho:ClientId"] = "c", ["Crm:Zoho:ApiBaseUrl"] = "https://www.zohoapis.eu", ["Crm:Zoho:AccountsUrl"] = "https://accounts.zoho.eu",
            ["Crm:Salesforce:ClientSecret"] = secret, ["Crm:Salesforce:RefreshToken"] = secret, ["Crm:Pipedrive:ApiToken"] = secret,
            ["Crm:Salesforce:ClientId"] = "c",
        });

        object[] all =
        [
            services.GetRequiredService<IOptions<HubSpotOptions>>().Value, services.GetRequiredService<IOptions<ZohoOptions>>().Value,
            services.GetRequiredService<IOptions<SalesforceOptions>>().Value, services.GetRequiredService<IOptions<PipedriveOptions>>().Value,
        ];

        all.ShouldAllBe(o => !o.ToString()!.Contains(secret) && o.ToString()!.Contains("(set)"));
    }
}
