using GrowthBrain.Integrations;

namespace GrowthBrain.Tests.Integrations.HubSpot;

/// <summary>Webhook calls: signature v3 checked with the app's client secret, stale and forged ones refused.</summary>
public sealed class HubSpotWebhookTests
{
    private const string Url = "https://growth.example.test/hooks/hubspot";

    [Fact]
    public async Task A_signed_call_names_each_changed_contact_once()
    {
        await using var hub = await HubSpotHarness.StartAsync();
        var body = FakeHubSpotWebhooks.Events(("contact.propertyChange", 101), ("contact.creation", 102), ("contact.propertyChange", 101), ("company.creation", 5));

        var refs = await hub.Connector.ReadWebhookAsync(Hook(body, DateTimeOffset.UtcNow), HubSpotHarness.Ct);

        refs.ShouldBe([new CrmRecordRef("contacts", "101"), new CrmRecordRef("contacts", "102")]);
    }

    [Fact]
    public async Task A_forged_signature_is_refused()
    {
        await using var hub = await HubSpotHarness.StartAsync();
        var body = FakeHubSpotWebhooks.Events(("contact.deletion", 101));
        var headers = FakeHubSpotWebhooks.Headers("someone-else's-secret", "POST", Url, body, DateTimeOffset.UtcNow);

        var error = await Should.ThrowAsync<CrmWebhookRejectedException>(() => hub.Connector.ReadWebhookAsync(new CrmWebhook("POST", Url, body, headers), HubSpotHarness.Ct));

        error.BadSignature.ShouldBeTrue();
        error.Message.ShouldContain("does not match");
    }

    [Fact]
    public async Task A_changed_body_under_a_valid_signature_is_refused()
    {
        await using var hub = await HubSpotHarness.StartAsync();
        var hook = Hook(FakeHubSpotWebhooks.Events(("contact.creation", 101)), DateTimeOffset.UtcNow);

        await Should.ThrowAsync<CrmWebhookRejectedException>(() =>
            hub.Connector.ReadWebhookAsync(hook with { Body = FakeHubSpotWebhooks.Events(("contact.creation", 666)) }, HubSpotHarness.Ct));
    }

    [Fact]
    public async Task A_call_older_than_5_minutes_is_refused_as_stale()
    {
        await using var hub = await HubSpotHarness.StartAsync();

        var error = await Should.ThrowAsync<CrmWebhookRejectedException>(() =>
            hub.Connector.ReadWebhookAsync(Hook(FakeHubSpotWebhooks.Events(("contact.creation", 101)), DateTimeOffset.UtcNow.AddMinutes(-6)), HubSpotHarness.Ct));

        error.BadSignature.ShouldBeTrue();
        error.Message.ShouldContain("stale");
    }

    [Fact]
    public async Task Without_a_client_secret_webhooks_are_refused_with_the_setting_to_set()
    {
        await using var hub = await HubSpotHarness.StartAsync(new() { ["Crm:HubSpot:ClientSecret"] = "" });

        var error = await Should.ThrowAsync<CrmWebhookRejectedException>(() =>
            hub.Connector.ReadWebhookAsync(Hook(FakeHubSpotWebhooks.Events(("contact.creation", 101)), DateTimeOffset.UtcNow), HubSpotHarness.Ct));

        error.Message.ShouldContain("Crm:HubSpot:ClientSecret");
    }

    [Fact]
    public async Task A_signed_body_that_is_not_a_list_of_events_is_unreadable_not_forged()
    {
        await using var hub = await HubSpotHarness.StartAsync();

        var error = await Should.ThrowAsync<CrmWebhookRejectedException>(() =>
            hub.Connector.ReadWebhookAsync(Hook("{\"objectId\": 1", DateTimeOffset.UtcNow), HubSpotHarness.Ct));

        error.BadSignature.ShouldBeFalse();
    }

    private static CrmWebhook Hook(string body, DateTimeOffset at) =>
        new("POST", Url, body, FakeHubSpotWebhooks.Headers(HubSpotHarness.ClientSecret, "POST", Url, body, at));
}
