using System.ComponentModel.DataAnnotations;
using GrowthBrain.Integrations.Salesforce;

namespace GrowthBrain.Tests.Integrations.Salesforce;

/// <summary>The connection test says in plain words what is wrong: client id, secret, refresh token, version; and what is left of the day.</summary>
public sealed class SalesforceConnectionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Working_credentials_connect_name_the_org_and_the_daily_requests_left()
    {
        await using var h = await SalesforceHarness.StartAsync();
        h.Fake.UseApiRequests(1_000);

        var check = await h.Connector.TestAsync(Ct);

        check.Ok.ShouldBeTrue(check.Message);
        check.Message.ShouldContain(FakeSalesforceServer.OrgId);
        check.Message.ShouldContain("13,999 of 15,000 daily API requests left");
        h.Fake.ApiCalls.Select(c => c.Path).ShouldBe(["/services/data/v60.0/limits", "/services/data/v60.0/sobjects/Lead/describe"]);
        h.Fake.ApiCalls.ShouldAllBe(c => c.Authorization!.StartsWith("Bearer 00DDn00000FAKEORG!"));
        (await h.Connector.IsConfiguredAsync(Ct)).ShouldBeTrue();
    }

    [Theory]
    [InlineData("Crm:Salesforce:RefreshToken", "5Aep-revoked", "invalid_grant", "revoked or has expired")]
    [InlineData("Crm:Salesforce:ClientId", "3MVG9-OTHER-APP", "invalid_client_id", "consumer key into Crm:Salesforce:ClientId")]
    [InlineData("Crm:Salesforce:ClientSecret", "stale-secret", "invalid_client", "consumer secret into Crm:Salesforce:ClientSecret")]
    public async Task A_refused_credential_is_named_with_what_to_do_and_never_shown(string key, string value, string error, string advice)
    {
        await using var h = await SalesforceHarness.StartAsync(s => s[key] = value);

        var check = await h.Connector.TestAsync(Ct);

        check.Ok.ShouldBeFalse();
        check.Message.ShouldContain(error);
        check.Message.ShouldContain(advice);
        if (key != "Crm:Salesforce:ClientId") check.Message.ShouldNotContain(value);
        h.Fake.ApiCalls.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_api_version_the_org_does_not_serve_is_named()
    {
        await using var h = await SalesforceHarness.StartAsync(s => s["Crm:Salesforce:ApiVersion"] = "v20.0");

        var check = await h.Connector.TestAsync(Ct);

        check.Ok.ShouldBeFalse();
        check.Message.ShouldContain("404");
        check.Message.ShouldContain("Crm:Salesforce:ApiVersion");
    }

    [Fact]
    public async Task An_unreachable_login_server_says_which_address_failed()
    {
        await using var h = await SalesforceHarness.StartAsync(s =>
        {
            s["Crm:Salesforce:LoginUrl"] = "http://127.0.0.1:9";
            s["Crm:Salesforce:MaxRetries"] = "1";
        });

        var check = await h.Connector.TestAsync(Ct);

        check.Ok.ShouldBeFalse();
        check.Message.ShouldContain("Could not reach Salesforce's login server at http://127.0.0.1:9");
        check.Message.ShouldContain("Crm:Salesforce:LoginUrl");
    }

    [Fact]
    public void Half_a_connection_names_the_missing_settings_and_secrets_never_show()
    {
        var options = new SalesforceOptions { ClientSecret = "shh-secret", RefreshToken = "shh-refresh", WebhookToken = "shh-token" };

        var problems = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), problems, validateAllProperties: true);

        options.Configured.ShouldBeFalse();
        problems.ShouldHaveSingleItem().ErrorMessage!.ShouldContain("Crm:Salesforce:ClientId");
        options.ToString().ShouldNotContain("shh");
        new SalesforceOptions { ClientId = "c", ClientSecret = "s", RefreshToken = "r" }.Configured.ShouldBeTrue();
        new SalesforceOptions().ApiVersion.ShouldBe("v60.0");
        new SalesforceOptions().MaxConcurrentCalls.ShouldBe(10);
    }
}
