using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace GrowthBrain.Tests.Integrations.HubSpot;

public enum FakeHubSpotFaultKind
{
    /// <summary>An error status: 500 with HubSpot's error JSON, 502/503/504 with a gateway's HTML page, 429 with the rate-limit body.</summary>
    Status,
    /// <summary>Waits <see cref="FakeHubSpotFault.Delay"/> before answering normally (the client times out first).</summary>
    Slow,
    /// <summary>200 with JSON cut off in the middle.</summary>
    TruncatedJson,
    /// <summary>200 with valid JSON of the wrong shape (results is not a list, items lack ids).</summary>
    WrongShape,
}

/// <summary>A fault for the next call to <see cref="PathStart"/> (null: any path).</summary>
public sealed record FakeHubSpotFault(FakeHubSpotFaultKind Kind, int Status = 500, TimeSpan Delay = default, string? PathStart = null)
{
    public static FakeHubSpotFault Error(int status, string? path = null) => new(FakeHubSpotFaultKind.Status, status, PathStart: path);

    public static FakeHubSpotFault Slow(TimeSpan delay, string? path = null) => new(FakeHubSpotFaultKind.Slow, Delay: delay, PathStart: path);

    public static FakeHubSpotFault Truncated(string? path = null) => new(FakeHubSpotFaultKind.TruncatedJson, PathStart: path);

    public static FakeHubSpotFault WrongShape(string? path = null) => new(FakeHubSpotFaultKind.WrongShape, PathStart: path);

    internal async Task ApplyAsync(HttpContext http)
    {
        switch (Kind)
        {
            case FakeHubSpotFaultKind.Slow:
                await Task.Delay(Delay, http.RequestAborted);
                return;
            case FakeHubSpotFaultKind.TruncatedJson:
                http.Response.ContentType = "application/json";
                await http.Response.WriteAsync("{\"total\": 3, \"results\": [{\"id\": \"1\", \"properties\": {\"email\": \"a@", http.RequestAborted);
                return;
            case FakeHubSpotFaultKind.WrongShape:
                await FakeHubSpotErrors.WriteAsync(http, 200, new JsonObject { ["results"] = "none", ["status"] = "COMPLETE" });
                return;
            case FakeHubSpotFaultKind.Status when Status == 429:
                http.Response.Headers.RetryAfter = "1";
                await FakeHubSpotErrors.WriteAsync(http, 429, FakeHubSpotErrors.RateLimit("TEN_SECONDLY_ROLLING"));
                return;
            case FakeHubSpotFaultKind.Status when Status is 502 or 503 or 504:
                http.Response.StatusCode = Status;
                http.Response.ContentType = "text/html";
                await http.Response.WriteAsync($"<html><body><h1>{Status} Bad Gateway</h1></body></html>", http.RequestAborted);
                return;
            default:
                await FakeHubSpotErrors.WriteAsync(http, Status, FakeHubSpotErrors.Error("internal error", "INTERNAL_ERROR"));
                return;
        }
    }
}
