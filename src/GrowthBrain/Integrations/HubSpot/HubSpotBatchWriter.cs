using System.Text.Json.Nodes;

namespace GrowthBrain.Integrations.HubSpot;

/// <summary>One input of a batch call.</summary>
/// <param name="Key">What the result is keyed by (the record id, the activity's local key).</param>
/// <param name="Token">What HubSpot echoes for it: the record id in results and errors' context.ids for an update, the
/// objectWriteTraceId for a create.</param>
internal sealed record HubSpotBatchInput(string Key, string Token, JsonObject Input);

/// <summary>
/// Sends batch/update and batch/create calls and reads their answers per record. 200 means all written; 207 lists
/// results and errors[] ({status, category, message, context:{ids:[..]}} or context.objectWriteTraceId). A 400 (or a
/// 404 OBJECT_NOT_FOUND) for the whole batch means HubSpot wrote nothing because of some input, so the batch is halved
/// until the inputs it refuses stand alone: one bad record never blocks the other 99.
/// </summary>
internal sealed class HubSpotBatchWriter(HubSpotApiClient api)
{
    public async Task<List<CrmWriteResult>> WriteAsync(HubSpotOptions credentials, string path, IReadOnlyList<HubSpotBatchInput> inputs,
        bool creates, string what, CancellationToken ct)
    {
        var body = new JsonObject { ["inputs"] = new JsonArray(inputs.Select(i => (JsonNode)i.Input.DeepClone()).ToArray()) };
        var response = await api.SendAsync(credentials, HttpMethod.Post, path, body.ToJsonString(), what, ct, creates: creates);
        if (RefusesSomeInput(response))
        {
            if (inputs.Count == 1) return [new CrmWriteResult(inputs[0].Key, false, Error: HubSpotErrors.Said(response))];
            var half = inputs.Count / 2;
            var first = await WriteAsync(credentials, path, inputs.Take(half).ToList(), creates, what, ct);
            first.AddRange(await WriteAsync(credentials, path, inputs.Skip(half).ToList(), creates, what, ct));
            return first;
        }
        if (!response.Success) throw HubSpotErrors.Exception(response, what);
        return Read(response.Object(what), inputs, creates, what);
    }

    private static bool RefusesSomeInput(HubSpotResponse response) =>
        response.Status == 400 && response.Body is JsonObject
        || response.Status == 404 && HubSpotErrors.Category(response.Body) == "OBJECT_NOT_FOUND";

    private static List<CrmWriteResult> Read(JsonObject answer, IReadOnlyList<HubSpotBatchInput> inputs, bool creates, string what)
    {
        var byToken = inputs.ToDictionary(i => i.Token, StringComparer.Ordinal);
        var done = new Dictionary<string, CrmWriteResult>(StringComparer.Ordinal);
        var results = HubSpotJson.Array(answer, "results", what);
        foreach (var node in results)
        {
            var result = HubSpotJson.Object(node, what, "results");
            var id = HubSpotJson.RequiredText(result, "id", what);
            var token = creates ? HubSpotJson.Text(result["objectWriteTraceId"]) : id;
            // Without the trace id a single create still says which input it was; with several it cannot be told.
            if (token is null && creates && inputs.Count == 1 && results.Count == 1) token = inputs[0].Token;
            if (token is not null && byToken.TryGetValue(token, out var input))
                done[input.Key] = new CrmWriteResult(input.Key, true, CreatedId: creates ? id : null);
        }
        foreach (var node in HubSpotJson.Array(answer, "errors", what, required: false))
        {
            var error = HubSpotJson.Object(node, what, "errors");
            var message = HubSpotErrors.Message(error) ?? "HubSpot refused this record without saying why";
            var category = HubSpotErrors.Category(error);
            var retryable = category is "RATE_LIMIT" or "RATE_LIMITS" or "LOCKED" || HubSpotJson.Text(error["status"]) is "429" or "423" or "500" or "502" or "503";
            foreach (var token in Tokens(error))
                if (byToken.TryGetValue(token, out var input) && !done.ContainsKey(input.Key))
                    done[input.Key] = new CrmWriteResult(input.Key, false, Error: category is null ? message : $"{category}: {message}", Retryable: retryable);
        }
        return inputs.Select(i => done.TryGetValue(i.Key, out var r) ? r : new CrmWriteResult(i.Key, false,
                Error: creates
                    ? "HubSpot's answer does not say whether this was created; check the record in HubSpot before trying again"
                    : "HubSpot's answer does not mention this record; it may not have been written",
                Retryable: !creates))
            .ToList();
    }

    private static IEnumerable<string> Tokens(JsonObject error)
    {
        if (HubSpotJson.Text(error["id"]) is { } id) yield return id;
        if (error["context"] is not JsonObject context) yield break;
        foreach (var key in new[] { "ids", "id", "objectWriteTraceId" })
            if (context[key] is JsonArray list)
                foreach (var item in list)
                    if (HubSpotJson.Text(item) is { } token) yield return token;
    }
}
