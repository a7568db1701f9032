using System.ComponentModel.DataAnnotations;
using GrowthBrain.Integrations.Zoho;

namespace GrowthBrain.Tests.Integrations.Zoho;

/// <summary>The connection test says in plain words what is wrong: client, refresh token, data centre, scope, address.</summary>
public sealed class ZohoConnectionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Working_credentials_connect_and_name_the_organization()
    {
        await using var h = await ZohoHarness.StartAsync();

        var check = await h.Connector.TestAsync(Ct);

        check.Ok.ShouldBeTrue(check.Message);
        check.Message.ShouldContain("Zylker Fake");
        h.Fake.ApiCalls.ShouldAllBe(c => c.Authorization!.StartsWith("Zoho-oauthtoken 1000."));
        (await h.Connector.IsConfiguredAsync(Ct)).ShouldBeTrue();
    }

    [Fact]
    public async Task A_client_unknown_to_the_accounts_server_says_to_check_its_data_centre()
    {
        await using var h = await ZohoHarness.StartAsync(s => s["Crm:Zoho:ClientId"] = "1000.REGISTERED-IN-EU");

        var check = await h.Connector.TestAsync(Ct);

        check.Ok.ShouldBeFalse();
        check.Message.ShouldContain("invalid_client");
        check.Message.ShouldContain("check Crm:Zoho:AccountsUrl matches the data centre where the account lives");
        h.Fake.ApiCalls.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_revoked_refresh_token_says_to_generate_a_new_one_with_the_scopes()
    {
        await using var h = await ZohoHarness.StartAsync(s => s["Crm:Zoho:RefreshToken"] = "1000.revoked");

        var check = await h.Connector.TestAsync(Ct);

        check.Ok.ShouldBeFalse();
        check.Message.ShouldContain("invalid_code");
        check.Message.ShouldContain("ZohoCRM.modules.ALL,ZohoCRM.settings.fields.ALL,ZohoCRM.org.READ");
        check.Message.ShouldNotContain("1000.revoked");
    }

    [Fact]
    public async Task A_wrong_client_secret_names_the_setting()
    {
        await using var h = await ZohoHarness.StartAsync(s => s["Crm:Zoho:ClientSecret"] = "stale-secret");

        var check = await h.Connector.TestAsync(Ct);

        check.Ok.ShouldBeFalse();
        check.Message.ShouldContain("Crm:Zoho:ClientSecret");
        check.Message.ShouldNotContain("stale-secret");
    }

    [Fact]
    public async Task An_account_in_another_data_centre_names_both_addresses()
    {
        await using var h = await ZohoHarness.StartAsync();
        h.Fake.ApiDomain = "https://www.zohoapis.eu";

        var check = await h.Connector.TestAsync(Ct);

        check.Ok.ShouldBeFalse();
        check.Message.ShouldContain("https://www.zohoapis.eu");
        check.Message.ShouldContain(h.Fake.Root);
        check.Message.ShouldContain("Crm:Zoho:ApiBaseUrl");
    }

    [Theory]
    [InlineData("ZohoCRM.modules.ALL ZohoCRM.settings.fields.ALL", "ZohoCRM.org.READ")]
    [InlineData("ZohoCRM.modules.ALL ZohoCRM.org.READ", "ZohoCRM.settings.fields.ALL")]
    [InlineData("ZohoCRM.settings.fields.ALL ZohoCRM.org.READ", "ZohoCRM.modules.ALL")]
    public async Task A_missing_scope_is_named(string granted, string missing)
    {
        await using var h = await ZohoHarness.StartAsync();
        h.Fake.Scopes = granted;

        var check = await h.Connector.TestAsync(Ct);

        check.Ok.ShouldBeFalse();
        check.Message.ShouldContain("OAUTH_SCOPE_MISMATCH");
        check.Message.ShouldContain($"lacks the scope {missing}");
    }

    [Fact]
    public async Task An_unreachable_accounts_server_says_which_address_failed()
    {
        await using var h = await ZohoHarness.StartAsync(s =>
        {
            s["Crm:Zoho:AccountsUrl"] = "http://127.0.0.1:9";
            s["Crm:Zoho:MaxRetries"] = "1";
        });

        var check = await h.Connector.TestAsync(Ct);

        check.Ok.ShouldBeFalse();
        check.Message.ShouldContain("Could not reach Zoho's accounts server at http://127.0.0.1:9");
        check.Message.ShouldContain("Crm:Zoho:AccountsUrl");
    }

    [Fact]
    public void Half_a_connection_names_the_missing_settings_and_secrets_never_show()
    {
        var options = new ZohoOptions { ApiBaseUrl = "https://www.zohoapis.eu", ClientSecret = "shh-secret", RefreshToken = "1000.shh", WebhookToken = "shh-token" };

        var problems = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), problems, validateAllProperties: true);

        options.Configured.ShouldBeFalse();
        problems.ShouldHaveSingleItem().ErrorMessage!.ShouldContain("Crm:Zoho:AccountsUrl, Crm:Zoho:ClientId");
        options.ToString().ShouldNotContain("shh");
        new ZohoOptions().MaxConcurrentCalls.ShouldBe(5);
        new ZohoOptions().CreditsPerDay.ShouldBe(50_000);
    }
}
