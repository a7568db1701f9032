using System.Text.Json;

namespace GrowthBrain.Integrations.Salesforce;

/// <summary>One answer of the REST API: its status and JSON body (null when empty or not JSON).</summary>
public sealed record SalesforceAnswer(int Status, JsonElement? Body, string Text, string What)
{
    public bool IsSuccess => Status is >= 200 and < 300;

    /// <summary>
    /// Salesforce's error code (INVALID_SESSION_ID, REQUEST_LIMIT_EXCEEDED, ...): errors come as an array of
    /// {message, errorCode}; the first one names the problem.
    /// </summary>
    public string? Code => First("errorCode");

    public string? Message => First("message");

    private string? First(string name)
    {
        if (Body is not { } body) return null;
        var error = body.ValueKind == JsonValueKind.Array && body.GetArrayLength() > 0 ? body[0] : body;
        return error.ValueKind == JsonValueKind.Object && error.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
    }

    /// <summary>The JSON body, or a clear error: an answer that is not the documented JSON must never be half-used.</summary>
    public JsonElement Require(JsonValueKind kind)
    {
        if (Body is { } body && body.ValueKind == kind) return body;
        throw Malformed($"the body is not the JSON {(kind == JsonValueKind.Array ? "array" : "object")} the API documents ({Describe(Text)})");
    }

    public CrmException Malformed(string detail) =>
        new($"Salesforce answered {What} ({Status}) with something that does not match its documented shape: {detail}; nothing was taken from it. " +
            "Try again; if it persists, Salesforce or a proxy in between is misbehaving.", retryable: true, status: Status);

    public static string Describe(string text) =>
        text.Length == 0 ? "empty" : "\"" + (text.Length <= 160 ? text : text[..160] + "...") + "\"";
}
