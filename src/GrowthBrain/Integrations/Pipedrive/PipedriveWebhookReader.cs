using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GrowthBrain.Integrations.Pipedrive;

/// <summary>
/// A Pipedrive webhook delivery. Pipedrive does not sign deliveries; the HTTP Basic auth credentials set when the
/// webhook was created (http_auth_user, http_auth_password) are the only proof a call comes from it, so without them
/// configured no call is trusted. Both shapes are read: v1 {meta:{object, id, action}, current, previous} and v2
/// {meta:{entity, entity_id, action}, data, previous}. A person's event names the person; a deal's names its person,
/// whose outcome it changes.
/// </summary>
public static class PipedriveWebhookReader
{
    public static IReadOnlyList<CrmRecordRef> Read(CrmWebhook hook, string? user, string? password)
    {
        if (string.IsNullOrEmpty(user) || string.IsNullOrEmpty(password))
            throw new CrmWebhookRejectedException("No Pipedrive webhook credentials are configured, so no call can be trusted: set Crm:Pipedrive:WebhookUser " +
                "and Crm:Pipedrive:WebhookPassword to the HTTP auth user and password given when the webhook was created.", badSignature: true);
        var header = hook.Headers.FirstOrDefault(h => string.Equals(h.Key, "Authorization", StringComparison.OrdinalIgnoreCase)).Value;
        if (header is null || !header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) || !Matches(header[6..].Trim(), user, password))
            throw new CrmWebhookRejectedException("The Pipedrive webhook call's Basic auth does not match Crm:Pipedrive:WebhookUser and WebhookPassword.", badSignature: true);

        JsonObject body;
        try
        {
            body = JsonNode.Parse(hook.Body) as JsonObject ?? throw new CrmWebhookRejectedException("The Pipedrive webhook body is not a JSON object.", badSignature: false);
        }
        catch (JsonException)
        {
            throw new CrmWebhookRejectedException("The Pipedrive webhook body is not JSON.", badSignature: false);
        }
        var meta = body["meta"] as JsonObject ?? throw new CrmWebhookRejectedException("The Pipedrive webhook body has no meta object.", badSignature: false);
        var entity = PipedriveAnswer.Text(meta, "entity") ?? PipedriveAnswer.Text(meta, "object");
        var id = PipedriveValues.Id(meta["entity_id"]) ?? PipedriveValues.Id(meta["id"]);
        var current = body["data"] as JsonObject ?? body["current"] as JsonObject;
        var previous = body["previous"] as JsonObject;
        switch (entity)
        {
            case "person":
                if (id is null) throw new CrmWebhookRejectedException("The Pipedrive person event has no entity_id.", badSignature: false);
                return [Ref(id.Value)];
            case "deal":
                // The deal's person now, and the person it had before when it moved: both outcomes may have changed.
                return new[] { PipedriveValues.Id(current?["person_id"]), PipedriveValues.Id(previous?["person_id"]) }
                    .OfType<long>().Distinct().Select(Ref).ToList();
            default:
                return [];
        }
    }

    private static CrmRecordRef Ref(long id) => new("persons", id.ToString(CultureInfo.InvariantCulture));

    private static bool Matches(string encoded, string user, string password)
    {
        byte[] given;
        try
        {
            given = Convert.FromBase64String(encoded);
        }
        catch (FormatException)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(given, Encoding.UTF8.GetBytes($"{user}:{password}"));
    }
}
