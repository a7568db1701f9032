using System.Text.Json.Nodes;

namespace GrowthBrain.Integrations.HubSpot;

/// <summary>
/// Turns HubSpot's error answers ({"status":"error","message","category","errors":[{"context":...}]}, or the rate
/// limiter's {"errorType":"RATE_LIMIT","policyName"}) into messages that say what HubSpot said and what to do.
/// </summary>
public static class HubSpotErrors
{
    public const string TokenAdvice = "create a new private-app access token with the crm.objects.contacts.read, crm.objects.contacts.write, " +
        "crm.schemas.contacts.read and crm.schemas.contacts.write scopes, and set it on the Integrations page or in Crm:HubSpot:AccessToken";

    public static string? Category(JsonNode? body) => Text(body, "category") ?? Text(body, "errorType");

    public static string? Message(JsonNode? body) => Text(body, "message");

    /// <summary>The scopes a 403 MISSING_SCOPES names, wherever in the body HubSpot put them.</summary>
    public static IReadOnlyList<string> MissingScopes(JsonNode? body)
    {
        var scopes = new List<string>();
        void From(JsonNode? context)
        {
            if (context is not JsonObject c) return;
            foreach (var key in new[] { "requiredGranularScopes", "requiredScopes" })
                if (c[key] is JsonArray list)
                    scopes.AddRange(list.Select(s => s is JsonValue v && v.TryGetValue<string>(out var text) ? text : null).OfType<string>());
        }
        From(body?["context"]);
        if (body?["errors"] is JsonArray errors)
            foreach (var e in errors) From(e?["context"]);
        return scopes.Distinct(StringComparer.Ordinal).ToList();
    }

    public static CrmException Exception(HubSpotResponse response, string what)
    {
        var (status, body) = (response.Status, response.Body);
        var said = Said(response);
        return status switch
        {
            401 when Category(body) == "EXPIRED_AUTHENTICATION" =>
                new CrmException($"HubSpot says the access token has expired ({said}) when {what}: {TokenAdvice}.", status: status),
            401 => new CrmException($"HubSpot refused the access token ({said}) when {what}: {TokenAdvice}.", status: status),
            403 when Category(body) == "MISSING_SCOPES" => new CrmException(
                $"HubSpot refused {what} because the private app lacks scopes ({said}). Add {ScopeList(body)} to the app in HubSpot " +
                "(Settings > Integrations > Private apps > Scopes), then copy its token again if HubSpot made a new one.", status: status),
            403 => new CrmException($"HubSpot refused {what} ({said}): check that the private app's user and scopes allow it.", status: status),
            429 => new CrmException($"HubSpot kept answering its rate limit ({said}) when {what}, after waiting and retrying: " +
                "sync again later, and if other apps use the same HubSpot account lower Crm:HubSpot:BurstPer10Seconds.", retryable: true, status: status),
            404 => new CrmException($"HubSpot answered 404 when {what} ({said}): check that Crm:HubSpot:BaseUrl is the HubSpot API (https://api.hubapi.com).", status: status),
            408 or >= 500 => new CrmException($"HubSpot failed when {what} ({said}), after retries: it is down or overloaded; sync again later.", retryable: true, status: status),
            _ => new CrmException($"HubSpot refused {what} ({said}).", status: status),
        };
    }

    /// <summary>"403 MISSING_SCOPES: This app hasn't been granted..." or the first bytes of a body that is not HubSpot's error JSON.</summary>
    public static string Said(HubSpotResponse response)
    {
        var category = Category(response.Body);
        var message = Message(response.Body) ?? Snippet(response.Raw);
        var head = category is null ? $"{response.Status}" : $"{response.Status} {category}";
        return string.IsNullOrWhiteSpace(message) ? head : $"{head}: {message}";
    }

    public static string Snippet(string raw) => raw.Length <= 200 ? raw.Trim() : raw[..200].Trim() + "...";

    private static string ScopeList(JsonNode? body) => MissingScopes(body) is { Count: > 0 } scopes
        ? "the scope" + (scopes.Count > 1 ? "s " : " ") + string.Join(", ", scopes)
        : "the scopes it names";

    private static string? Text(JsonNode? node, string name) =>
        node is JsonObject o && o[name] is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s) ? s : null;
}
