using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace GrowthBrain.Web.Security;

/// <summary>
/// Limits per instance (an attacker spread over several instances gets the limit once per instance,
/// which is still far below brute-force speed): sign-in attempts per client address, API calls per
/// user or key. Identity's lockout stops password guessing on one account whatever the instance.
/// </summary>
public static class RateLimits
{
    public static void AddGrowthBrainRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((o, limits) =>
        {
            var apiPerMinute = limits.Value.ApiPerMinute;
            var signInPerMinute = limits.Value.SignInPerMinute;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var path = context.Request.Path;
                if (HttpMethods.IsPost(context.Request.Method) && (path.StartsWithSegments("/account/login") || path.StartsWithSegments("/setup")))
                {
                    return RateLimitPartition.GetFixedWindowLimiter("sign-in:" + context.Connection.RemoteIpAddress,
                        _ => new FixedWindowRateLimiterOptions { PermitLimit = signInPerMinute, Window = TimeSpan.FromMinutes(1) });
                }
                if (path.StartsWithSegments("/api"))
                {
                    var who = context.User.Identity?.Name ?? context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                    return RateLimitPartition.GetTokenBucketLimiter("api:" + who, _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = apiPerMinute, TokensPerPeriod = Math.Max(1, apiPerMinute / 60), ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    });
                }
                return RateLimitPartition.GetNoLimiter("none");
            });
            o.OnRejected = async (context, ct) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(60);
                context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await Results.Problem(title: "Too many requests",
                    detail: $"Slow down: try again in {Math.Ceiling(retryAfter.TotalSeconds)} seconds.",
                    statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(context.HttpContext);
            };
        });
    }
}

/// <summary>`RateLimits:*`: requests per minute, per client address for sign-in and per user or key for the API.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    public int ApiPerMinute { get; set; } = 1200;
    public int SignInPerMinute { get; set; } = 10;
}
