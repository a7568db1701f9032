using System.Security.Cryptography;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace GrowthBrain.Integrations.Salesforce;

/// <summary>
/// An Outbound Message (a workflow or flow action calling /hooks/salesforce): a SOAP envelope with the org's id and one
/// Notification per changed record, whose sObject carries at least its Id. Salesforce does not sign these calls
/// (it can present a client certificate, which this app does not check), so two things must match: a secret token in
/// the endpoint URL an admin entered, and the org's id. Change Data Capture is the richer alternative but is a
/// streaming subscription, not an HTTP call, so it is not used here.
/// </summary>
public static class SalesforceWebhookReader
{
    private static readonly XNamespace Outbound = "http://soap.sforce.com/2005/09/outbound";
    private static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";

    public static IReadOnlyList<CrmRecordRef> Read(CrmWebhook hook, string? expectedToken, string? expectedOrg, IReadOnlyList<string> objects)
    {
        if (string.IsNullOrEmpty(expectedToken) || string.IsNullOrEmpty(expectedOrg))
            throw new CrmWebhookRejectedException(
                "No Salesforce Outbound Message token and organization id are configured, so no call can be trusted: set Crm:Salesforce:WebhookToken " +
                "(and put it in the Outbound Message's endpoint URL as /hooks/salesforce?token=...) and Crm:Salesforce:OrganizationId (00D...).",
                badSignature: true);
        var token = Uri.TryCreate(hook.Url, UriKind.Absolute, out var url) ? TokenOf(url.Query) : null;
        if (string.IsNullOrEmpty(token) || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(expectedToken)))
            throw new CrmWebhookRejectedException("The Salesforce Outbound Message's ?token= does not match Crm:Salesforce:WebhookToken.", badSignature: true);

        XDocument doc;
        try
        {
            using var reader = XmlReader.Create(new StringReader(hook.Body), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            doc = XDocument.Load(reader);
        }
        catch (XmlException)
        {
            throw new CrmWebhookRejectedException("The Salesforce Outbound Message body is not XML.", badSignature: false);
        }
        var notifications = doc.Descendants(Outbound + "notifications").FirstOrDefault()
            ?? throw new CrmWebhookRejectedException("The Salesforce Outbound Message has no notifications element.", badSignature: false);
        var org = notifications.Element(Outbound + "OrganizationId")?.Value.Trim();
        // Ids come in 15- and 18-character forms; the first 15 are the id itself (case-sensitive).
        if (org is null || org.Length < 15 || expectedOrg.Length < 15 || !string.Equals(org[..15], expectedOrg[..15], StringComparison.Ordinal))
            throw new CrmWebhookRejectedException($"The Salesforce Outbound Message comes from organization {org ?? "(none)"}, not Crm:Salesforce:OrganizationId.", badSignature: true);

        var refs = new List<CrmRecordRef>();
        foreach (var sobject in notifications.Elements(Outbound + "Notification").Select(n => n.Element(Outbound + "sObject")))
        {
            if (sobject is null) throw new CrmWebhookRejectedException("A Salesforce notification has no sObject.", badSignature: false);
            var type = sobject.Attribute(Xsi + "type")?.Value.Split(':').Last();
            var id = sobject.Elements().FirstOrDefault(e => e.Name.LocalName == "Id")?.Value.Trim();
            if (string.IsNullOrEmpty(type) || string.IsNullOrEmpty(id))
                throw new CrmWebhookRejectedException("A Salesforce notification's sObject has no xsi:type or no Id.", badSignature: false);
            var known = objects.FirstOrDefault(o => string.Equals(o, type, StringComparison.OrdinalIgnoreCase));
            if (known is not null) refs.Add(new CrmRecordRef(known, id));
        }
        return refs.Distinct().ToList();
    }

    private static string? TokenOf(string query) =>
        query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2 && p[0] == "token").Select(p => Uri.UnescapeDataString(p[1].Replace('+', ' '))).FirstOrDefault();
}
