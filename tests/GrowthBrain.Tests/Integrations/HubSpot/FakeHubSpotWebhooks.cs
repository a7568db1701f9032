using System.Security.Cryptography;
using System.Text;

namespace GrowthBrain.Tests.Integrations.HubSpot;

/// <summary>Webhook calls as HubSpot signs them (signature v3), for tests and the benchmark to send.</summary>
public static class FakeHubSpotWebhooks
{
    /// <summary>base64(HMAC-SHA256(client secret, method + URI + body + timestamp)).</summary>
    public static string SignatureV3(string clientSecret, string method, string uri, string body, long timestampMillis) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(clientSecret), Encoding.UTF8.GetBytes(method + uri + body + timestampMillis)));

    /// <summary>The headers HubSpot sends with a signed call.</summary>
    public static Dictionary<string, string> Headers(string clientSecret, string method, string uri, string body, DateTimeOffset at)
    {
        var millis = at.ToUnixTimeMilliseconds();
        return new(StringComparer.OrdinalIgnoreCase)
        {
            ["X-HubSpot-Signature-v3"] = SignatureV3(clientSecret, method, uri, body, millis),
            ["X-HubSpot-Request-Timestamp"] = millis.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Content-Type"] = "application/json",
        };
    }

    /// <summary>A body of events as HubSpot batches them: one object per event, objectId a number.</summary>
    public static string Events(params (string SubscriptionType, long ObjectId)[] events) =>
        "[" + string.Join(",", events.Select((e, i) =>
            $"{{\"eventId\":{1000 + i},\"subscriptionId\":77,\"portalId\":{FakeHubSpotServer.PortalId},\"appId\":55,\"occurredAt\":1714640000000," +
            $"\"subscriptionType\":\"{e.SubscriptionType}\",\"attemptNumber\":0,\"objectId\":{e.ObjectId},\"changeSource\":\"CRM\"}}")) + "]";
}
