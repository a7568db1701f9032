using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace GrowthBrain.Integrations.Zoho;

/// <summary>
/// A call of a Zoho notification channel (the Notifications/watch API): a JSON body with channel_id, module, ids,
/// operation and the token set when the channel was enabled. Zoho does not sign the call; the token is the only
/// proof it comes from the channel, so no token configured means no call is trusted.
/// </summary>
public static class ZohoWebhookReader
{
    public static IReadOnlyList<CrmRecordRef> Read(CrmWebhook hook, string? expectedToken, IReadOnlyList<string> objects)
    {
        if (string.IsNullOrEmpty(expectedToken))
            throw new CrmWebhookRejectedException(
                "No Zoho notification token is configured, so no call can be trusted: set Crm:Zoho:WebhookToken to the token given when the channel was enabled.",
                badSignature: true);
        JsonElement body;
        try
        {
            body = JsonSerializer.Deserialize<JsonElement>(hook.Body);
        }
        catch (JsonException)
        {
            throw new CrmWebhookRejectedException("The Zoho notification body is not JSON.", badSignature: false);
        }
        if (body.ValueKind != JsonValueKind.Object)
            throw new CrmWebhookRejectedException("The Zoho notification body is not a JSON object.", badSignature: false);
        var token = body.TryGetProperty("token", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (token is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(expectedToken)))
            throw new CrmWebhookRejectedException("The Zoho notification's token does not match Crm:Zoho:WebhookToken.", badSignature: true);
        var module = body.TryGetProperty("module", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        if (module is null || !body.TryGetProperty("ids", out var ids) || ids.ValueKind != JsonValueKind.Array)
            throw new CrmWebhookRejectedException("The Zoho notification has no module or no ids[].", badSignature: false);
        var known = objects.FirstOrDefault(o => string.Equals(o, module, StringComparison.OrdinalIgnoreCase));
        if (known is null) return [];
        var refs = new List<CrmRecordRef>();
        foreach (var id in ids.EnumerateArray())
        {
            var text = id.ValueKind is JsonValueKind.String or JsonValueKind.Number ? ZohoRecordReader.Text(id) : null;
            if (text is null) throw new CrmWebhookRejectedException("The Zoho notification has an id that is not a string or a number.", badSignature: false);
            refs.Add(new CrmRecordRef(known, text));
        }
        return refs.Distinct().ToList();
    }
}
