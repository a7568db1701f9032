using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GrowthBrain.Tests.Integrations.Pipedrive;

/// <summary>One call as the fake received it.</summary>
public sealed record FakePipedriveCall(DateTimeOffset At, string Method, string Path, string Query, string? Token, string Body, int Status);

/// <summary>
/// A loopback Pipedrive (API v1 and v2 on one host), built from Pipedrive's reference: the token in x-api-token (401
/// "unauthorized access" otherwise); v1 start/limit paging and v2 cursor paging, both capped at 500; updated_since;
/// the burst limit per window per token (429 "Request over limit" with Retry-After and x-ratelimit-limit/remaining/
/// reset on every answer); a daily token budget charged per call at the reference's cost categories (429 when spent),
/// and x-daily-requests-left on writes; per-record 404s; faults switched on per test (5xx, 429, slow, malformed).
/// No test framework inside, so a benchmark can use it too.
/// </summary>
public sealed partial class FakePipedriveServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<FakePipedriveCall> _calls = [];
    private readonly Queue<Func<HttpContext, Task<bool>>> _faults = new();
    private readonly Queue<DateTimeOffset> _window = new();
    private readonly Lock _limits = new();
    private int _maxInWindow;
    private int _limited;
    private int _tokensSpent;
    private int _writesToday;

    private FakePipedriveServer(WebApplication app, TimeProvider clock)
    {
        _app = app;
        Clock = clock;
        Store = new FakePipedriveStore(clock);
    }

    public TimeProvider Clock { get; }
    public FakePipedriveStore Store { get; }
    public string BaseUrl { get; private set; } = "";
    public string Token { get; set; } = "fake-pipedrive-token-0123456789";

    /// <summary>Requests per window per token before 429 (Essential: 20 per 2 s); 0 = no limit.</summary>
    public int BurstLimit { get; set; }

    public TimeSpan BurstWindow { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Tokens the company may spend today before 429; 0 = no limit.</summary>
    public int DailyTokenBudget { get; set; }

    /// <summary>POST/PUT/PATCH requests a day (the fair-usage limit, reported in x-daily-requests-left).</summary>
    public int DailyWriteLimit { get; set; } = 10_000;

    /// <summary>Whether the token's user may create custom fields (false: 403, as for a user without that right).</summary>
    public bool AllowFieldCreation { get; set; } = true;

    /// <summary>Persons whose updates Pipedrive refuses with 400.</summary>
    public HashSet<string> RefuseIds { get; } = [];

    /// <summary>The most requests that arrived within any one window: never above <see cref="BurstLimit"/> when clients keep to it.</summary>
    public int MaxInWindow
    {
        get { lock (_limits) return _maxInWindow; }
    }

    public int Limited => Volatile.Read(ref _limited);
    public int TokensSpent => Volatile.Read(ref _tokensSpent);

    public IReadOnlyList<FakePipedriveCall> Calls
    {
        get { lock (_calls) return _calls.ToList(); }
    }

    public int Count(string method, string pathStart) =>
        Calls.Count(c => c.Method == method && c.Path.StartsWith(pathStart, StringComparison.Ordinal) && c.Status is >= 200 and < 300);

    public static async Task<FakePipedriveServer> StartAsync(TimeProvider? clock = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakePipedriveServer(app, clock ?? TimeProvider.System);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
        return server;
    }

    /// <summary>The next <paramref name="count"/> calls answer <paramref name="status"/> with Pipedrive's error body.</summary>
    public void FailNext(int count, int status = 500) => Enqueue(count, http => WriteAsync(http, status, Error("Internal server error", status)));

    /// <summary>The next <paramref name="count"/> calls answer 429 with Retry-After.</summary>
    public void RateLimitNext(int count, int retryAfterSeconds = 1) => Enqueue(count, http =>
    {
        Interlocked.Increment(ref _limited);
        http.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return WriteAsync(http, 429, Error("Request over limit", 429));
    });

    /// <summary>The next <paramref name="count"/> calls answer 200 with a body cut off in the middle.</summary>
    public void MalformedNext(int count) => Enqueue(count, async http =>
    {
        http.Response.StatusCode = 200;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync("{\"success\":true,\"data\":[{\"id\":1,\"name\":\"Ana", http.RequestAborted);
    });

    /// <summary>The next <paramref name="count"/> calls answer 200 with valid JSON of the wrong shape (a person without update_time).</summary>
    public void WrongShapeNext(int count) =>
        Enqueue(count, http => WriteAsync(http, 200, new JsonObject { ["success"] = true, ["data"] = new JsonArray(new JsonObject { ["id"] = 5 }) }));

    /// <summary>The next <paramref name="count"/> calls wait <paramref name="delay"/> before answering normally.</summary>
    public void SlowNext(int count, TimeSpan delay)
    {
        lock (_faults)
            for (var i = 0; i < count; i++)
                _faults.Enqueue(async http =>
                {
                    await Task.Delay(delay, Clock, http.RequestAborted);
                    return false;
                });
    }

    /// <summary>A new day: the budget and the write count start again.</summary>
    public void NewDay() => (_tokensSpent, _writesToday) = (0, 0);

    private void Enqueue(int count, Func<HttpContext, Task> answer)
    {
        lock (_faults)
            for (var i = 0; i < count; i++)
                _faults.Enqueue(async http =>
                {
                    await answer(http);
                    return true;
                });
    }

    private async Task HandleAsync(HttpContext http)
    {
        var body = await new StreamReader(http.Request.Body, Encoding.UTF8).ReadToEndAsync(http.RequestAborted);
        var path = http.Request.Path.Value ?? "";
        var started = Clock.GetUtcNow();
        try
        {
            var token = http.Request.Headers["x-api-token"].FirstOrDefault();
            if (token != Token)
            {
                await WriteAsync(http, 401, new JsonObject
                {
                    ["success"] = false, ["error"] = "unauthorized access", ["errorCode"] = 401, ["error_info"] = "Please check developers.pipedrive.com",
                });
                return;
            }
            if (!await WithinLimitsAsync(http, path)) return;
            Func<HttpContext, Task<bool>>? fault = null;
            lock (_faults) if (_faults.Count > 0) fault = _faults.Dequeue();
            if (fault is not null && await fault(http)) return;
            await RouteAsync(http, path, body);
        }
        finally
        {
            lock (_calls)
                _calls.Add(new FakePipedriveCall(started, http.Request.Method, path, http.Request.QueryString.Value ?? "",
                    http.Request.Headers["x-api-token"].FirstOrDefault(), body, http.Response.StatusCode));
        }
    }

    /// <summary>The burst window and the daily budget, as Pipedrive applies them, with their headers on every answer.</summary>
    private async Task<bool> WithinLimitsAsync(HttpContext http, string path)
    {
        var method = http.Request.Method;
        var now = Clock.GetUtcNow();
        int remaining, reset;
        lock (_limits)
        {
            while (_window.Count > 0 && _window.Peek() + BurstWindow <= now) _window.Dequeue();
            var over = BurstLimit > 0 && _window.Count >= BurstLimit;
            reset = _window.Count > 0 ? (int)Math.Ceiling((_window.Peek() + BurstWindow - now).TotalSeconds) : (int)Math.Ceiling(BurstWindow.TotalSeconds);
            if (!over)
            {
                _window.Enqueue(now);
                _maxInWindow = Math.Max(_maxInWindow, _window.Count);
            }
            remaining = BurstLimit > 0 ? Math.Max(0, BurstLimit - _window.Count) : 1000;
            if (over)
            {
                Interlocked.Increment(ref _limited);
                http.Response.Headers.RetryAfter = Math.Max(1, reset).ToString(CultureInfo.InvariantCulture);
            }
        }
        if (BurstLimit > 0)
        {
            http.Response.Headers["x-ratelimit-limit"] = BurstLimit.ToString(CultureInfo.InvariantCulture);
            http.Response.Headers["x-ratelimit-remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
            http.Response.Headers["x-ratelimit-reset"] = Math.Max(1, reset).ToString(CultureInfo.InvariantCulture);
        }
        if (http.Response.Headers.RetryAfter.Count > 0)
        {
            await WriteAsync(http, 429, Error("Request over limit", 429));
            return false;
        }
        var cost = Cost(method, path);
        if (DailyTokenBudget > 0 && Volatile.Read(ref _tokensSpent) + cost > DailyTokenBudget)
        {
            Interlocked.Increment(ref _limited);
            await WriteAsync(http, 429, Error("Daily API token budget exceeded", 429));
            return false;
        }
        Interlocked.Add(ref _tokensSpent, cost);
        if (method is "POST" or "PUT" or "PATCH")
        {
            var writes = Interlocked.Increment(ref _writesToday);
            http.Response.Headers["x-daily-requests-left"] = Math.Max(0, DailyWriteLimit - writes).ToString(CultureInfo.InvariantCulture);
        }
        return true;
    }

    /// <summary>The reference's cost categories: v1 lists 20, single reads 2, writes 10, deletes 6; v2 half of that.</summary>
    public static int Cost(string method, string path)
    {
        var last = path.TrimEnd('/')[(path.TrimEnd('/').LastIndexOf('/') + 1)..];
        var single = last.All(char.IsAsciiDigit) || last == "me";
        var v1 = method == "GET" ? (single ? 2 : 20) : method == "DELETE" ? 6 : 10;
        return path.StartsWith("/api/v2/", StringComparison.Ordinal) ? Math.Max(1, v1 / 2) : v1;
    }

    internal static JsonObject Error(string error, int code) => new() { ["success"] = false, ["error"] = error, ["errorCode"] = code, ["error_info"] = "Please check developers.pipedrive.com" };

    internal static async Task WriteAsync(HttpContext http, int status, JsonNode? body)
    {
        http.Response.StatusCode = status;
        if (body is null) return;
        http.Response.ContentType = "application/json; charset=utf-8";
        await http.Response.WriteAsync(body.ToJsonString(), http.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
