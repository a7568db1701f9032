using System.Text.Json;
using System.Text.Json.Serialization;

namespace GrowthBrain.Integrations.HubSpot;

/// <summary>
/// Where a HubSpot pull stands, stored by the engine as opaque text. HubSpot's search answers at most 10,000 results
/// per query (asking for `after` at or past 10,000 answers 400), so a long pull is a chain of queries, each starting
/// where the last one's results ended:
/// <list type="bullet">
/// <item>By time (the usual): `lastmodifieddate <see cref="Operator"/> <see cref="Time"/>`, sorted by it ascending. When
/// a query nears 10,000 results the next one starts at `lastmodifieddate GTE` the last value seen. Records with exactly
/// that value come again (the engine is idempotent), and the new query always starts later than the old one did, so
/// the chain moves on... unless all 10,000 results had one and the same value (a bulk import stamps thousands of
/// records with one millisecond): then GTE that value would return the same 10,000 forever.</item>
/// <item>By id, for that case: `lastmodifieddate EQ <see cref="Time"/>` and `hs_object_id GT <see cref="LastId"/>`,
/// sorted by id ascending. Ids are unique, so each restart of this query moves past the last id seen however many
/// records share the timestamp. When it runs out, the pull goes on by time with `lastmodifieddate GT` that value.
/// HubSpot's search takes one sort at a time, which is why this is a separate query rather than a second sort key.</item>
/// </list>
/// A record modified while the pull runs moves to the end of the order and is read again later, never lost.
/// </summary>
internal sealed record HubSpotPullCursor(
    [property: JsonPropertyName("by")] string By,
    [property: JsonPropertyName("op")] string Operator,
    [property: JsonPropertyName("t")] long? Time,
    [property: JsonPropertyName("id")] string? LastId,
    [property: JsonPropertyName("after")] string? After,
    [property: JsonPropertyName("read")] int Read,
    [property: JsonPropertyName("first")] long? FirstTime)
{
    public const string ByTime = "time";
    public const string ById = "id";

    public static HubSpotPullCursor Start(DateTime? since) =>
        new(ByTime, "GTE", since is { } s ? HubSpotJson.Millis(s) : null, null, null, 0, null);

    public static HubSpotPullCursor Parse(string text)
    {
        try
        {
            var cursor = JsonSerializer.Deserialize<HubSpotPullCursor>(text);
            if (cursor is { By: ByTime or ById, Operator: "GTE" or "GT" or "EQ" }) return cursor;
        }
        catch (JsonException)
        {
        }
        throw new CrmException($"The saved HubSpot sync position '{HubSpotErrors.Snippet(text)}' is not one this connector wrote: run a full sync (--full) to start over.");
    }

    public override string ToString() => JsonSerializer.Serialize(this);
}
