using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GrowthBrain.Tests.Integrations.Zoho;

/// <summary>One call as the fake received it.</summary>
public sealed record FakeZohoCall(DateTimeOffset At, string Method, string Path, string Query, string? Authorization, string? IfModifiedSince, string Body, int Status);

/// <summary>
/// A loopback Zoho: the accounts server (POST /oauth/v2/token, refresh-token grant, errors as 200 {"error": ...}) and
/// the CRM API v8 (org, fields metadata, Get/Update/Delete Records on Leads and Contacts, Insert on Notes and
/// Tasks) in one Kestrel on 127.0.0.1. Built from Zoho's published reference: page × per_page ≤ 2,000 without a
/// page_token (400 DISCRETE_PAGINATION_LIMIT_EXCEEDED), next_page_token in info, 204 for nothing, at most 50
/// fields and 200 per page, per-record results in 200/207, 401 INVALID_TOKEN and OAUTH_SCOPE_MISMATCH, 429
/// TOO_MANY_REQUESTS past the concurrency limit or the credits. Faults are switched on per test. No test framework
/// inside, so a benchmark can use it too.
/// </summary>
public sealed partial class FakeZohoServer : IAsyncDisposable
{
    public const string AllScopes = "ZohoCRM.modules.ALL ZohoCRM.settings.fields.ALL ZohoCRM.org.READ ZohoCRM.notifications.ALL";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, (DateTimeOffset Expires, string Scopes)> _tokens = new();
    private readonly List<FakeZohoCall> _calls = [];
    private readonly Queue<Func<HttpContext, Task<bool>>> _faults = new();
    private int _inFlight;
    private int _maxInFlight;
    private int _refreshes;
    private int _tooMany;
    private int _credits;

    private FakeZohoServer(WebApplication app, TimeProvider clock)
    {
        _app = app;
        Clock = clock;
        Store = new FakeZohoStore(clock);
    }

    public TimeProvider Clock { get; }
    public FakeZohoStore Store { get; }
    public string Root { get; private set; } = "";

    public string ClientId { get; set; } = "1000.FAKECLIENT";
    public string ClientSecret { get; set; } = "fake-client-secret";
    public string RefreshToken { get; set; } = "1000.fake-refresh-token";

    /// <summary>The scopes the refresh token was granted (space separated).</summary>
    public string Scopes { get; set; } = AllScopes;

    /// <summary>How long an access token lives; Zoho's is an hour.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>api_domain in the token answer: this server unless a test plays an account in another data centre.</summary>
    public string? ApiDomain { get; set; }

    /// <summary>Calls in flight at once before 429 (Free edition: 5); 0 = no limit.</summary>
    public int ConcurrencyLimit { get; set; }

    /// <summary>Credits for the day before 429; 0 = no limit.</summary>
    public int CreditsLimit { get; set; }

    /// <summary>The offset Modified_Time is written with, as an org in that time zone sees it.</summary>
    public TimeSpan TimeZone { get; set; } = new(5, 30, 0);

    /// <summary>Whether the fields API creates custom fields (false: 403 NO_PERMISSION, as for a user without that right).</summary>
    public bool AllowFieldCreation { get; set; } = true;

    /// <summary>Records whose updates Zoho refuses with INVALID_DATA.</summary>
    public HashSet<string> RefuseIds { get; } = [];

    /// <summary>How long each API call takes (to make calls overlap).</summary>
    public TimeSpan Latency { get; set; }

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);
    public int TokenRefreshes => Volatile.Read(ref _refreshes);
    public int TooManyRequests => Volatile.Read(ref _tooMany);
    public int CreditsUsed => Volatile.Read(ref _credits);

    public IReadOnlyList<FakeZohoCall> Calls
    {
        get { lock (_calls) return _calls.ToList(); }
    }

    public IReadOnlyList<FakeZohoCall> ApiCalls => Calls.Where(c => c.Path.StartsWith("/crm/", StringComparison.Ordinal)).ToList();

    public static async Task<FakeZohoServer> StartAsync(TimeProvider? clock = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeZohoServer(app, clock ?? TimeProvider.System);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.Root = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
        return server;
    }

    /// <summary>Every access token issued so far stops working (revoked, or expired early): 401 INVALID_TOKEN.</summary>
    public void InvalidateTokens() => _tokens.Clear();

    /// <summary>The next <paramref name="count"/> API calls answer <paramref name="status"/> with Zoho's INTERNAL_ERROR body.</summary>
    public void FailNext(int count, int status = 500) =>
        Enqueue(count, http => WriteAsync(http, status, Error("INTERNAL_ERROR", "Internal Server Error")));

    /// <summary>The next <paramref name="count"/> API calls answer 429 TOO_MANY_REQUESTS, with Retry-After when given.</summary>
    public void RateLimitNext(int count, int? retryAfterSeconds = null) => Enqueue(count, http =>
    {
        Interlocked.Increment(ref _tooMany);
        if (retryAfterSeconds is { } s) http.Response.Headers.RetryAfter = s.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return WriteAsync(http, 429, Error("TOO_MANY_REQUESTS", "Number of API requests per minute/concurrency limit exceeded"));
    });

    /// <summary>The next <paramref name="count"/> API calls answer 200 with a body cut off in the middle.</summary>
    public void MalformedNext(int count) => Enqueue(count, async http =>
    {
        http.Response.StatusCode = 200;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync("{\"data\":[{\"id\":\"4876876000000100001\",\"Email\":\"ana", http.RequestAborted);
    });

    /// <summary>The next <paramref name="count"/> API calls answer 200 with valid JSON of the wrong shape (records without Modified_Time, no info).</summary>
    public void WrongShapeNext(int count) =>
        Enqueue(count, http => WriteAsync(http, 200, new JsonObject { ["data"] = new JsonArray(new JsonObject { ["id"] = "4876876000000100001" }) }));

    /// <summary>The next <paramref name="count"/> API calls wait <paramref name="delay"/> before answering normally.</summary>
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
        http.Request.EnableBuffering();
        var body = await new StreamReader(http.Request.Body, Encoding.UTF8).ReadToEndAsync(http.RequestAborted);
        http.Request.Body.Position = 0;
        var path = http.Request.Path.Value ?? "";
        var started = Clock.GetUtcNow();
        try
        {
            if (path == "/oauth/v2/token") await TokenAsync(http);
            else if (path.StartsWith("/crm/v8/", StringComparison.Ordinal)) await ApiAsync(http, path["/crm/v8/".Length..], body);
            else await WriteAsync(http, 404, Error("INVALID_URL_PATTERN", "Please check if the URL trying to access is a correct one"));
        }
        finally
        {
            lock (_calls)
                _calls.Add(new FakeZohoCall(started, http.Request.Method, path, http.Request.QueryString.Value ?? "", http.Request.Headers.Authorization.FirstOrDefault(),
                    http.Request.Headers.IfModifiedSince.FirstOrDefault(), body, http.Response.StatusCode));
        }
    }

    private async Task TokenAsync(HttpContext http)
    {
        var q = http.Request.Query;
        var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(http.RequestAborted) : null;
        string? Param(string name) => q[name].FirstOrDefault() ?? form?[name].FirstOrDefault();
        Interlocked.Increment(ref _refreshes);
        if (http.Request.Method != "POST") { await WriteAsync(http, 405, new JsonObject { ["error"] = "invalid_request" }); return; }
        if (Param("grant_type") != "refresh_token") { await WriteAsync(http, 200, new JsonObject { ["error"] = "unsupported_grant_type" }); return; }
        if (Param("client_id") != ClientId) { await WriteAsync(http, 200, new JsonObject { ["error"] = "invalid_client" }); return; }
        if (Param("client_secret") != ClientSecret) { await WriteAsync(http, 200, new JsonObject { ["error"] = "invalid_client_secret" }); return; }
        if (Param("refresh_token") != RefreshToken) { await WriteAsync(http, 200, new JsonObject { ["error"] = "invalid_code" }); return; }
        var token = $"1000.{Guid.NewGuid():N}";
        _tokens[token] = (Clock.GetUtcNow() + TokenLifetime, Scopes);
        await WriteAsync(http, 200, new JsonObject
        {
            ["access_token"] = token, ["scope"] = Scopes, ["api_domain"] = ApiDomain ?? Root, ["token_type"] = "Bearer",
            ["expires_in"] = (int)TokenLifetime.TotalSeconds,
        });
    }

    private async Task ApiAsync(HttpContext http, string route, string body)
    {
        var now = Interlocked.Increment(ref _inFlight);
        try
        {
            if (ConcurrencyLimit > 0 && now > ConcurrencyLimit)
            {
                Interlocked.Increment(ref _tooMany);
                await WriteAsync(http, 429, Error("TOO_MANY_REQUESTS", "concurrency limit of the user for the app is exceeded"));
                return;
            }
            int seen;
            while (now > (seen = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen) { }
            if (Latency > TimeSpan.Zero) await Task.Delay(Latency, Clock, http.RequestAborted);
            Func<HttpContext, Task<bool>>? fault = null;
            lock (_faults) if (_faults.Count > 0) fault = _faults.Dequeue();
            if (fault is not null && await fault(http)) return;

            var auth = http.Request.Headers.Authorization.FirstOrDefault() ?? "";
            if (!auth.StartsWith("Zoho-oauthtoken ", StringComparison.Ordinal))
            {
                await WriteAsync(http, 401, Error("AUTHENTICATION_FAILURE", "Authentication failed"));
                return;
            }
            if (!_tokens.TryGetValue(auth["Zoho-oauthtoken ".Length..], out var token) || token.Expires <= Clock.GetUtcNow())
            {
                await WriteAsync(http, 401, Error("INVALID_TOKEN", "invalid oauth token"));
                return;
            }
            var scope = RequiredScope(http.Request.Method, route);
            if (!Grants(token.Scopes, scope))
            {
                await WriteAsync(http, 401, Error("OAUTH_SCOPE_MISMATCH", "Unauthorized"));
                return;
            }
            var cost = Cost(http.Request.Method, route, body);
            if (CreditsLimit > 0 && Volatile.Read(ref _credits) + cost > CreditsLimit)
            {
                Interlocked.Increment(ref _tooMany);
                await WriteAsync(http, 429, Error("TOO_MANY_REQUESTS", "Number of API requests for the 24 hour period is exceeded"));
                return;
            }
            Interlocked.Add(ref _credits, cost);
            await RouteAsync(http, route, body);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static string RequiredScope(string method, string route) =>
        route == "org" ? "ZohoCRM.org.READ"
        : route.StartsWith("settings/fields", StringComparison.Ordinal) ? "ZohoCRM.settings.fields.ALL"
        : method == "GET" ? "ZohoCRM.modules.READ" : "ZohoCRM.modules.ALL";

    /// <summary>A scope is granted by itself or by a broader one of its family (ALL over READ, settings.ALL over settings.fields.ALL).</summary>
    private static bool Grants(string granted, string required)
    {
        var scopes = granted.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries);
        var family = required[..required.LastIndexOf('.')];
        return scopes.Any(s => s == required || s == $"{family}.ALL" || s == "ZohoCRM.settings.ALL" && required.StartsWith("ZohoCRM.settings.", StringComparison.Ordinal)
                               || s == "ZohoCRM.modules.ALL" && required.StartsWith("ZohoCRM.modules.", StringComparison.Ordinal));
    }

    /// <summary>1 credit a call; inserts and updates 1 per 10 records (the API limits page).</summary>
    private static int Cost(string method, string route, string body)
    {
        if (method is not ("POST" or "PUT") || route.StartsWith("settings/", StringComparison.Ordinal)) return 1;
        try
        {
            var count = JsonNode.Parse(body)?["data"]?.AsArray().Count ?? 1;
            return Math.Max(1, (count + 9) / 10);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
        {
            return 1;
        }
    }

    internal static JsonObject Error(string code, string message, JsonObject? details = null) =>
        new() { ["code"] = code, ["details"] = details ?? new JsonObject(), ["message"] = message, ["status"] = "error" };

    internal static async Task WriteAsync(HttpContext http, int status, JsonNode? body)
    {
        http.Response.StatusCode = status;
        if (body is null) return;
        http.Response.ContentType = "application/json;charset=UTF-8";
        await http.Response.WriteAsync(body.ToJsonString(), http.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
