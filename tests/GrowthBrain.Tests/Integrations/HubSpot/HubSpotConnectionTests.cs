using GrowthBrain.Integrations;
using GrowthBrain.Integrations.HubSpot;
using GrowthBrain.Privacy;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBrain.Tests.Integrations.HubSpot;

/// <summary>The connection check's plain words, the registration, and the property list for the mapping.</summary>
public sealed class HubSpotConnectionTests
{
    [Fact]
    public async Task The_registration_gives_the_engine_a_configured_hubspot_connector()
    {
        await using var hub = await HubSpotHarness.StartAsync();

        var connector = hub.Connector;
        connector.ShouldBeOfType<HubSpotConnector>();
        (connector.DisplayName, connector.Objects.Single(), connector.WriteBatchSize).ShouldBe(("HubSpot", "contacts", 100));
        (await connector.IsConfiguredAsync(HubSpotHarness.Ct)).ShouldBeTrue();
        hub.Services.GetServices<ICrmConnector>().ShouldContain(p => p.Crm == "hubspot");
    }

    [Fact]
    public async Task A_working_token_names_the_portal()
    {
        await using var hub = await HubSpotHarness.StartAsync();

        var check = await hub.Connector.TestAsync(HubSpotHarness.Ct);

        check.Ok.ShouldBeTrue(check.Message);
        check.Message.ShouldContain($"portal {FakeHubSpotServer.PortalId}");
    }

    [Fact]
    public async Task A_refused_token_says_to_create_a_new_one_and_where_to_set_it()
    {
        await using var hub = await HubSpotHarness.StartAsync(new() { ["Crm:HubSpot:AccessToken"] = "pat-na1-wrong" });

        var check = await hub.Connector.TestAsync(HubSpotHarness.Ct);

        check.Ok.ShouldBeFalse();
        check.Message.ShouldContain("refused the access token");
        check.Message.ShouldContain("INVALID_AUTHENTICATION");
        check.Message.ShouldContain("Crm:HubSpot:AccessToken");
    }

    [Fact]
    public async Task A_missing_scope_is_named()
    {
        await using var hub = await HubSpotHarness.StartAsync();
        hub.Fake.Scopes.Remove(FakeHubSpotServer.SchemaReadScope);

        var check = await hub.Connector.TestAsync(HubSpotHarness.Ct);

        check.Ok.ShouldBeFalse();
        check.Message.ShouldContain("MISSING_SCOPES");
        check.Message.ShouldContain("Add the scope crm.schemas.contacts.read");
    }

    [Fact]
    public async Task An_address_nothing_answers_at_says_the_base_url_cannot_be_reached()
    {
        await using var hub = await HubSpotHarness.StartAsync(new() { ["Crm:HubSpot:BaseUrl"] = "http://127.0.0.1:9", ["Crm:HubSpot:MaxRetries"] = "1" });

        var check = await hub.Connector.TestAsync(HubSpotHarness.Ct);

        check.Ok.ShouldBeFalse();
        check.Message.ShouldContain("cannot be reached at http://127.0.0.1:9");
        check.Message.ShouldContain("Crm:HubSpot:BaseUrl");
    }

    [Fact]
    public async Task Describe_lists_the_properties_with_the_values_of_enumerations()
    {
        await using var hub = await HubSpotHarness.StartAsync();

        var properties = await hub.Connector.DescribeAsync(HubSpotHarness.Ct);

        properties.ShouldContain(p => p.Name == "email" && p.Type == "string" && p.Object == "contacts");
        properties.Single(p => p.Name == "lifecyclestage").Options.ShouldContain("customer");
        properties.Single(p => p.Name == "hs_lead_status").Options.ShouldContain("UNQUALIFIED");
    }

    [Fact]
    public void Options_never_show_the_token_or_client_secret()
    {
        var options = new HubSpotOptions { AccessToken = "pat-na1-do-not-print", ClientSecret = "app-do-not-print" };

        options.ToString().ShouldNotContain("do-not-print");
        options.ToString().ShouldContain("Crm:HubSpot:BurstPer10Seconds=100");
    }
}
