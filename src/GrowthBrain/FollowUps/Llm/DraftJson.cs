using System.Text.Json;

namespace GrowthBrain.FollowUps.Llm;

public sealed record ParsedDraft(string Subject, string Body, string CallToAction, IReadOnlyList<string> FactsUsed);

/// <summary>
/// Reads the model's answer. Providers without structured output wrap JSON in code fences or prose, or
/// name the keys differently; anything that still is not a draft is a <see cref="FormatException"/>.
/// </summary>
public static class DraftJson
{
    public static readonly JsonElement Schema = JsonDocument.Parse("""
        {
          "type": "object",
          "properties": {
            "subject": { "type": "string", "description": "The e-mail subject, under 60 characters" },
            "body": { "type": "string", "description": "The whole e-mail body: greeting, text, call to action, signature, opt-out line" },
            "callToAction": { "type": "string", "description": "The one sentence of the body that asks for something, copied word for word" },
            "factsUsed": { "type": "array", "items": { "type": "string" }, "description": "Which lead facts the draft uses" }
          },
          "required": ["subject", "body", "callToAction", "factsUsed"],
          "additionalProperties": false
        }
        """).RootElement.Clone();

    private static readonly JsonDocumentOptions Lenient = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    public static ParsedDraft Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new FormatException("the answer was empty");
        var start = text.IndexOf('{');
        var end = text.LastIndexOf('}');
        if (start < 0 || end <= start) throw new FormatException("the answer holds no JSON object");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(text.AsMemory(start, end - start + 1), Lenient);
        }
        catch (JsonException e)
        {
            throw new FormatException($"the answer is not valid JSON ({e.Message})", e);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new FormatException("the answer is not a JSON object");
            var subject = String(root, "subject") ?? throw new FormatException("the answer has no subject");
            var body = String(root, "body") ?? throw new FormatException("the answer has no body");
            body = body.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
            var cta = String(root, "callToAction", "call_to_action", "cta")
                      ?? Guardrails.CallsToAction(body).FirstOrDefault() ?? "";
            var facts = new List<string>();
            if (Property(root, "factsUsed", "facts_used", "facts") is { ValueKind: JsonValueKind.Array } array)
                facts.AddRange(array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String)
                    .Select(e => e.GetString()!.Trim()).Where(f => f.Length is > 0 and <= 100).Take(12));
            return new ParsedDraft(subject.Trim(), body, cta.Trim(), facts);
        }
    }

    private static string? String(JsonElement root, params string[] names) =>
        Property(root, names) is { ValueKind: JsonValueKind.String } e && e.GetString() is { Length: > 0 } s && !string.IsNullOrWhiteSpace(s) ? s : null;

    private static JsonElement? Property(JsonElement root, params string[] names)
    {
        foreach (var p in root.EnumerateObject())
        {
            if (names.Any(n => string.Equals(n, p.Name, StringComparison.OrdinalIgnoreCase))) return p.Value;
        }
        return null;
    }
}
