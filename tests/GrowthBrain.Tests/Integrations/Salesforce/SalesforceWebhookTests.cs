using GrowthBrain.Integrations;

namespace GrowthBrain.Tests.Integrations.Salesforce;

/// <summary>Outbound Messages: trusted only with the token in the URL and the configured org; their records are read from the SOAP body.</summary>
public sealed class SalesforceWebhookTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Envelope(string org, params (string Type, string Id)[] records) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
         <soapenv:Body>
          <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
           <OrganizationId>{org}</OrganizationId>
           <ActionId>04kDn0000000001AAA</ActionId>
           <SessionId xsi:nil="true"/>
           <EnterpriseUrl>https://acme.my.salesforce.com/services/Soap/c/60.0/00DDn00000FAKE</EnterpriseUrl>
           <PartnerUrl>https://acme.my.salesforce.com/services/Soap/u/60.0/00DDn00000FAKE</PartnerUrl>
           {string.Concat(records.Select((r, i) => $"""
           <Notification>
            <Id>04lDn00000000{i:D2}AAA</Id>
            <sObject xsi:type="sf:{r.Type}" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">
             <sf:Id>{r.Id}</sf:Id>
            </sObject>
           </Notification>
           """))}
          </notifications>
         </soapenv:Body>
        </soapenv:Envelope>
        """;

    private static CrmWebhook Hook(string token, string body) =>
        new("POST", $"https://growthbrain.example/hooks/salesforce?token={token}", body, new Dictionary<string, string> { ["Content-Type"] = "text/xml" });

    [Fact]
    public async Task A_message_with_the_token_from_the_org_names_its_leads_and_contacts()
    {
        await using var h = await SalesforceHarness.StartAsync();

        var refs = await h.Connector.ReadWebhookAsync(Hook(SalesforceHarness.WebhookToken,
            Envelope(FakeSalesforceServer.OrgId + "AAA", ("Lead", "00QDn0000000001AAA"), ("Contact", "003Dn0000000002AAA"), ("Account", "001Dn0000000003AAA"))), Ct);

        refs.ShouldBe([new CrmRecordRef("Lead", "00QDn0000000001AAA"), new CrmRecordRef("Contact", "003Dn0000000002AAA")]);
    }

    [Fact]
    public async Task A_wrong_token_or_another_org_is_refused()
    {
        await using var h = await SalesforceHarness.StartAsync();

        var token = await Should.ThrowAsync<CrmWebhookRejectedException>(() =>
            h.Connector.ReadWebhookAsync(Hook("guess", Envelope(FakeSalesforceServer.OrgId, ("Lead", "00QDn0000000001AAA"))), Ct));
        var org = await Should.ThrowAsync<CrmWebhookRejectedException>(() =>
            h.Connector.ReadWebhookAsync(Hook(SalesforceHarness.WebhookToken, Envelope("00DDn00000OTHERORG", ("Lead", "00QDn0000000001AAA"))), Ct));
        var garbage = await Should.ThrowAsync<CrmWebhookRejectedException>(() =>
            h.Connector.ReadWebhookAsync(Hook(SalesforceHarness.WebhookToken, "<notifications"), Ct));

        (token.BadSignature, org.BadSignature, garbage.BadSignature).ShouldBe((true, true, false));
        org.Message.ShouldContain("00DDn00000OTHERORG");
    }

    [Fact]
    public async Task Without_a_configured_token_no_message_is_trusted()
    {
        await using var h = await SalesforceHarness.StartAsync(s => s["Crm:Salesforce:WebhookToken"] = null);

        var error = await Should.ThrowAsync<CrmWebhookRejectedException>(() =>
            h.Connector.ReadWebhookAsync(Hook("", Envelope(FakeSalesforceServer.OrgId, ("Lead", "00QDn0000000001AAA"))), Ct));

        error.Message.ShouldContain("Crm:Salesforce:WebhookToken");
    }
}
