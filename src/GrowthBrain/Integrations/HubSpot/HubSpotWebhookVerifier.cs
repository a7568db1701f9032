using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GrowthBrain.Integrations.HubSpot;

/// <summary>
/// HubSpot's webhook signature v3: X-HubSpot-Signature-v3 is base64(HMAC-SHA256(app client secret,
/// method + URI + body + X-HubSpot-Request-Timestamp)), and calls older than 5 minutes are to be refused so a captured
/// call cannot be replayed later. The body is a JSON array of events, each with objectId and subscriptionType.
/// </summary>
internal static class HubSpotWebhookVerifier
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    public static IReadOnlyList<CrmRecordRef> Read(CrmWebhook hook, string? clientSecret, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(clientSecret))
            throw new CrmWebhookRejectedException("HubSpot webhooks cannot be checked: set the app's client secret in Crm:HubSpot:ClientSecret " +
                "(or on the Integrations page) so their signatures can be verified.", badSignature: true);
        var signature = Header(hook, "X-HubSpot-Signature-v3")
            ?? throw new CrmWebhookRejectedException("The HubSpot webhook has no X-HubSpot-Signature-v3 header.", badSignature: true);
        var timestamp = Header(hook, "X-HubSpot-Request-Timestamp");
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var millis))
            throw new CrmWebhookRejectedException("The HubSpot webhook has no readable X-HubSpot-Request-Timestamp header.", badSignature: true);
        var age = now - DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(millis, 0, 253402300799999));
        // A little tolerance for clocks ahead; behind by more than the limit is a replay or a very late delivery.
        if (age > MaxAge || age < -MaxAge)
            throw new CrmWebhookRejectedException($"The HubSpot webhook's timestamp is {Math.Abs(age.TotalMinutes):0} minutes off (more than 5): refused as stale.", badSignature: true);

        var signed = Encoding.UTF8.GetBytes(hook.Method.ToUpperInvariant() + SignedUri(hook.Url) + hook.Body + timestamp);
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(clientSecret), signed);
        byte[] given;
        try
        {
            given = Convert.FromBase64String(signature.Trim());
        }
        catch (FormatException)
        {
            given = [];
        }
        if (!CryptographicOperations.FixedTimeEquals(expected, given))
            throw new CrmWebhookRejectedException("The HubSpot webhook's X-HubSpot-Signature-v3 does not match: not signed with this app's client secret " +
                "(check Crm:HubSpot:ClientSecret and that the address HubSpot calls is the one this server sees).", badSignature: true);
        return Events(hook.Body);
    }

    private static List<CrmRecordRef> Events(string body)
    {
        JsonArray events;
        try
        {
            events = JsonNode.Parse(body) as JsonArray ?? throw new JsonException();
        }
        catch (JsonException)
        {
            throw new CrmWebhookRejectedException("The HubSpot webhook's body is not the documented JSON array of events.", badSignature: false);
        }
        var refs = new List<CrmRecordRef>();
        foreach (var node in events)
        {
            if (node is not JsonObject e || HubSpotJson.Text(e["subscriptionType"]) is not { } type || HubSpotJson.Text(e["objectId"]) is not { Length: > 0 } id)
                throw new CrmWebhookRejectedException("A HubSpot webhook event has no subscriptionType or objectId.", badSignature: false);
            // contact.creation, contact.propertyChange, contact.deletion, contact.merge...; the generic object.* events
            // name the type by id, 0-1 being contacts. Other objects' events are not synced.
            var contact = type.StartsWith("contact.", StringComparison.Ordinal)
                || type.StartsWith("object.", StringComparison.Ordinal) && HubSpotJson.Text(e["objectTypeId"]) == "0-1";
            if (contact && !refs.Any(r => r.Id == id)) refs.Add(new CrmRecordRef("contacts", id));
        }
        return refs;
    }

    /// <summary>HubSpot signs the URI with these characters decoded, so a URL that arrives encoded is decoded the same way.</summary>
    private static string SignedUri(string url)
    {
        string[][] decoded =
        [
            ["%3A", ":"], ["%2F", "/"], ["%3F", "?"], ["%40", "@"], ["%21", "!"], ["%24", "$"], ["%27", "'"], ["%28", "("], ["%29", ")"],
            ["%2A", "*"], ["%2C", ","], ["%3B", ";"],
        ];
        foreach (var pair in decoded) url = url.Replace(pair[0], pair[1], StringComparison.OrdinalIgnoreCase);
        return url;
    }

    private static string? Header(CrmWebhook hook, string name) =>
        hook.Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value is { Length: > 0 } v ? v : null;
}
