using System.Text.Json.Nodes;

namespace GrowthBrain.Integrations.Pipedrive;

/// <summary>One answer of the Pipedrive API: its status and its JSON body (null when empty or not JSON).</summary>
/// <param name="What">The call in words, for messages ("GET /api/v2/persons").</param>
public sealed record PipedriveAnswer(int Status, JsonNode? Body, string Raw, string What)
{
    public bool IsSuccess => Status is >= 200 and < 300;

    /// <summary>Pipedrive's error text ({"success":false,"error":"...","error_info":"..."}), when the body has one.</summary>
    public string? Error => Text(Body, "error");

    /// <summary>The body as the documented {"success":true,"data":...} object, or a clear error.</summary>
    public JsonObject RequireObject()
    {
        if (Body is JsonObject o) return o;
        throw new CrmException($"Pipedrive answered {What} with {Status} but the body is not the JSON object its API documents ({Describe(Raw)}); " +
                               "nothing was taken from it. Check Crm:Pipedrive:BaseUrl (https://api.pipedrive.com); if it is right, sync again later.",
            retryable: true, status: Status);
    }

    /// <summary>data as an object (a single item).</summary>
    public JsonObject DataObject() => RequireObject()["data"] as JsonObject ?? throw Malformed("no data object");

    /// <summary>data as an array (a list); null data means an empty list, as Pipedrive answers when nothing matches.</summary>
    public JsonArray DataArray()
    {
        var data = RequireObject()["data"];
        return data switch
        {
            JsonArray a => a,
            null => [],
            _ => throw Malformed("data is not an array"),
        };
    }

    /// <summary>additional_data's next cursor (v2) or null at the end.</summary>
    public string? NextCursor() => Text(RequireObject()["additional_data"], "next_cursor");

    public CrmException Malformed(string detail) =>
        new($"Pipedrive answered {What} with JSON that does not match its documented shape: {detail}; nothing was taken from it.", retryable: true, status: Status);

    public static string Describe(string text) =>
        text.Length == 0 ? "empty" : "\"" + (text.Length <= 160 ? text : text[..160] + "...") + "\"";

    public static string? Text(JsonNode? node, string name) =>
        node is JsonObject o && o[name] is JsonValue v ? PipedriveValues.Scalar(v) : null;
}
