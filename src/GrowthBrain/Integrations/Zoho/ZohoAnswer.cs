using System.Text.Json;

namespace GrowthBrain.Integrations.Zoho;

/// <summary>One answer of the CRM API: its status and its JSON body (null when empty or not JSON).</summary>
public sealed record ZohoAnswer(int Status, JsonElement? Body, string Text, string What)
{
    public bool IsSuccess => Status is >= 200 and < 300 or 304;

    /// <summary>Zoho's error code (INVALID_TOKEN, OAUTH_SCOPE_MISMATCH, ...), when the body has one at the top.</summary>
    public string? Code => Top("code");

    public string? Message => Top("message");

    /// <summary>A batch answer: one entry per input record, in input order (Zoho keeps the order).</summary>
    public bool HasRecordResults => Body is { ValueKind: JsonValueKind.Object } b && b.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Array;

    private string? Top(string name) =>
        Body is { ValueKind: JsonValueKind.Object } b && b.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>The JSON body, or a clear error: an answer that is not the documented JSON must never be half-used.</summary>
    public JsonElement RequireObject()
    {
        if (Body is { ValueKind: JsonValueKind.Object } body) return body;
        throw new CrmException($"Zoho answered {What} with {Status} but the body is not the JSON object its API documents " +
                               $"({Describe(Text)}); nothing was taken from it. Try again; if it persists, Zoho or a proxy in between is misbehaving.",
            retryable: true, status: Status);
    }

    public CrmException Malformed(string detail) =>
        new($"Zoho answered {What} with JSON that does not match its documented shape: {detail}; nothing was taken from it.", retryable: true, status: Status);

    public static string Describe(string text) =>
        text.Length == 0 ? "empty" : "\"" + (text.Length <= 120 ? text : text[..120] + "...") + "\"";
}
