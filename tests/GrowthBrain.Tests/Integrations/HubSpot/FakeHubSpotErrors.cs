using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace GrowthBrain.Tests.Integrations.HubSpot;

/// <summary>HubSpot's error bodies as its API reference and real answers show them.</summary>
public static class FakeHubSpotErrors
{
    public static JsonObject Error(string message, string category, JsonObject? context = null)
    {
        var body = new JsonObject
        {
            ["status"] = "error", ["message"] = message, ["correlationId"] = Guid.NewGuid().ToString(), ["category"] = category,
        };
        if (context is not null) body["context"] = context;
        return body;
    }

    public static JsonObject InvalidToken() => Error(
        "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview",
        "INVALID_AUTHENTICATION");

    public static JsonObject ExpiredToken() => Error("The OAuth token used to make this call expired 0 day(s) ago.", "EXPIRED_AUTHENTICATION");

    public static JsonObject MissingScopes(string scope)
    {
        var body = Error("This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
            "MISSING_SCOPES");
        body["errors"] = new JsonArray(new JsonObject
        {
            ["message"] = "One or more of the following scopes are required.",
            ["context"] = new JsonObject { ["requiredGranularScopes"] = new JsonArray(scope) },
        });
        body["links"] = new JsonObject { ["scopes"] = "https://developers.hubspot.com/scopes" };
        return body;
    }

    /// <summary>The rate limiter's answer, which has errorType and policyName instead of category.</summary>
    public static JsonObject RateLimit(string policy) => new()
    {
        ["status"] = "error",
        ["message"] = policy == "TEN_SECONDLY_ROLLING" ? "You have reached your ten_secondly_rolling limit." : "You have reached your secondly limit.",
        ["errorType"] = "RATE_LIMIT",
        ["correlationId"] = Guid.NewGuid().ToString(),
        ["policyName"] = policy,
        ["groupName"] = "fake-portal",
    };

    public static JsonObject Validation(string message) => Error(message, "VALIDATION_ERROR");

    public static JsonObject NotFound(string message, IEnumerable<string>? ids = null) =>
        Error(message, "OBJECT_NOT_FOUND", ids is null ? null : new JsonObject { ["ids"] = new JsonArray(ids.Select(i => (JsonNode)i).ToArray()) });

    public static async Task WriteAsync(HttpContext http, int status, JsonNode body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json;charset=utf-8";
        await http.Response.WriteAsync(body.ToJsonString(), http.RequestAborted);
    }
}
