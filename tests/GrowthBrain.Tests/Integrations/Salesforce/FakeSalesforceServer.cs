using System.Collections.Concurrent;
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

namespace GrowthBrain.Tests.Integrations.Salesforce;

/// <summary>One call as the fake received it.</summary>
public sealed record FakeSalesforceCall(DateTimeOffset At, string Method, string Path, string Query, string? Authorization, string? QueryOptions,
    string Body, int Status);

/// <summary>
/// A loopback Salesforce: the login server's OAuth token endpoint (refresh-token grant, errors as 400
/// {error, error_description}) and the REST API (limits, describe, query with nextRecordsUrl, sObject Collections,
/// sObject delete) of one org in one Kestrel on 127.0.0.1. Built from Salesforce's published REST reference:
/// errors as [{message, errorCode}], 401 INVALID_SESSION_ID, every API call counted against DailyApiRequests (403
/// REQUEST_LIMIT_EXCEEDED past it, Sforce-Limit-Info on every answer), query batches of 200 to 2,000 (the
/// Sforce-Query-Options header), query locators that expire after 15 idle minutes, SaveResults per record.
/// Faults are switched on per test. No test framework inside, so a benchmark can use it too.
/// </summary>
public sealed partial class FakeSalesforceServer : IAsyncDisposable
{
    public const string OrgId = "00DDn00000FAKEORG";
    public static readonly string[] Versions = ["v58.0", "v59.0", "v60.0", "v61.0", "v62.0"];

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, byte> _sessions = new();
    private readonly List<FakeSalesforceCall> _calls = [];
    private readonly Queue<Func<HttpContext, Task<bool>>> _faults = new();
    private int _inFlight;
    private int _maxInFlight;
    private int _refreshes;
    private int _apiUsed;
    private int _expireAfter = -1;

    private FakeSalesforceServer(WebApplication app, TimeProvider clock)
    {
        _app = app;
        Clock = clock;
        Store = new FakeSalesforceStore(clock);
    }

    public TimeProvider Clock { get; }
    public FakeSalesforceStore Store { get; }

    /// <summary>The login server and the instance are both this address, unless <see cref="InstanceUrl"/> says otherwise.</summary>
    public string Root { get; private set; } = "";

    public string ClientId { get; set; } = "3MVG9FAKECONSUMERKEY";
    public string ClientSecret { get; set; } = "fake-consumer-secret";
    public string RefreshToken { get; set; } = "5Aep861FAKEREFRESH";

    /// <summary>instance_url in the token answer; this server by default.</summary>
    public string? InstanceUrl { get; set; }

    /// <summary>The org's daily API requests (DailyApiRequests.Max): 15,000 for a Developer Edition.</summary>
    public int DailyApiMax { get; set; } = 15_000;

    /// <summary>Query batch size ceiling: Salesforce's 2,000 unless a test lowers it to page cheaply.</summary>
    public int MaxBatchSize { get; set; } = 2000;

    /// <summary>How long a query locator lives without use.</summary>
    public TimeSpan LocatorLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Records whose updates Salesforce refuses, with the statusCode and message of the refusal.</summary>
    public ConcurrentDictionary<string, (string Code, string Message)> RefuseIds { get; } = new();

    /// <summary>How long each API call takes (to make calls overlap).</summary>
    public TimeSpan Latency { get; set; }

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);
    public int TokenRefreshes => Volatile.Read(ref _refreshes);

    /// <summary>API requests counted against the day, as the limits resource reports them.</summary>
    public int ApiUsed => Volatile.Read(ref _apiUsed);

    public IReadOnlyList<FakeSalesforceCall> Calls
    {
        get { lock (_calls) return _calls.ToList(); }
    }

    public IReadOnlyList<FakeSalesforceCall> ApiCalls => Calls.Where(c => c.Path.StartsWith("/services/data/", StringComparison.Ordinal)).ToList();

    public static async Task<FakeSalesforceServer> StartAsync(TimeProvider? clock = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeSalesforceServer(app, clock ?? TimeProvider.System);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.Root = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
        return server;
    }

    /// <summary>Every session issued so far ends (timed out, or revoked): 401 INVALID_SESSION_ID.</summary>
    public void ExpireSessions() => _sessions.Clear();

    /// <summary>Sessions end after <paramref name="calls"/> more API calls: an expiry in the middle of a sync.</summary>
    public void ExpireSessionsAfter(int calls) => Volatile.Write(ref _expireAfter, calls);

    /// <summary>Sets how many of the day's requests are already used (by other integrations of the org, say).</summary>
    public void UseApiRequests(int used) => Interlocked.Exchange(ref _apiUsed, used);

    /// <summary>The next <paramref name="count"/> API calls answer <paramref name="status"/> with Salesforce's error body.</summary>
    public void FailNext(int count, int status = 503) => Enqueue(count, http => WriteAsync(http, status,
        Errors(status == 503 ? "SERVER_UNAVAILABLE" : "UNKNOWN_EXCEPTION", "An unexpected error occurred. Please include this ErrorId if you contact support: 1234567-89 (-1)")));

    /// <summary>The next <paramref name="count"/> API calls answer 200 with a body cut off in the middle.</summary>
    public void MalformedNext(int count) => Enqueue(count, async http =>
    {
        http.Response.StatusCode = 200;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync("{\"totalSize\":3,\"done\":false,\"records\":[{\"attributes\":{\"type\":\"Lead\"},\"Id\":\"00Q", http.RequestAborted);
    });

    /// <summary>The next <paramref name="count"/> API calls answer 200 with valid JSON of the wrong shape (records without LastModifiedDate, no done).</summary>
    public void WrongShapeNext(int count) =>
        Enqueue(count, http => WriteAsync(http, 200, new JsonObject { ["records"] = new JsonArray(new JsonObject { ["Id"] = "00QDn0000000001AAA" }) }));

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
            if (path == "/services/oauth2/token") await TokenAsync(http);
            else if (path.StartsWith("/services/data/", StringComparison.Ordinal)) await ApiAsync(http, path["/services/data/".Length..], body);
            else await WriteAsync(http, 404, Errors("NOT_FOUND", "The requested resource does not exist"));
        }
        finally
        {
            lock (_calls)
                _calls.Add(new FakeSalesforceCall(started, http.Request.Method, path, http.Request.QueryString.Value ?? "",
                    http.Request.Headers.Authorization.FirstOrDefault(), http.Request.Headers["Sforce-Query-Options"].FirstOrDefault(), body, http.Response.StatusCode));
        }
    }

    private async Task TokenAsync(HttpContext http)
    {
        Interlocked.Increment(ref _refreshes);
        if (http.Request.Method != "POST" || !http.Request.HasFormContentType)
        {
            await WriteAsync(http, 400, new JsonObject { ["error"] = "invalid_request", ["error_description"] = "must use HTTP POST with a form body" });
            return;
        }
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        JsonObject Error(string e, string d) => new() { ["error"] = e, ["error_description"] = d };
        if (form["grant_type"] != "refresh_token") { await WriteAsync(http, 400, Error("unsupported_grant_type", "grant type not supported")); return; }
        if (form["client_id"] != ClientId) { await WriteAsync(http, 400, Error("invalid_client_id", "client identifier invalid")); return; }
        if (form["client_secret"] != ClientSecret) { await WriteAsync(http, 400, Error("invalid_client", "invalid client credentials")); return; }
        if (form["refresh_token"] != RefreshToken) { await WriteAsync(http, 400, Error("invalid_grant", "expired access/refresh token")); return; }
        var token = $"00DDn00000FAKEORG!AQ{Guid.NewGuid():N}";
        _sessions[token] = 0;
        await WriteAsync(http, 200, new JsonObject
        {
            ["access_token"] = token, ["signature"] = "fake-signature", ["scope"] = "refresh_token api", ["instance_url"] = InstanceUrl ?? Root,
            ["id"] = $"{Root}/id/{OrgId}/005Dn000003XyZaIAK", ["token_type"] = "Bearer",
            ["issued_at"] = Clock.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        });
    }

    private async Task ApiAsync(HttpContext http, string route, string body)
    {
        var now = Interlocked.Increment(ref _inFlight);
        try
        {
            int seen;
            while (now > (seen = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen) { }
            if (Latency > TimeSpan.Zero) await Task.Delay(Latency, Clock, http.RequestAborted);
            var auth = http.Request.Headers.Authorization.FirstOrDefault() ?? "";
            if (Interlocked.Decrement(ref _expireAfter) == -1) _sessions.Clear();
            if (!auth.StartsWith("Bearer ", StringComparison.Ordinal) || !_sessions.ContainsKey(auth["Bearer ".Length..]))
            {
                await WriteAsync(http, 401, Errors("INVALID_SESSION_ID", "Session expired or invalid"));
                return;
            }
            // Every authenticated request counts against the day, the limits resource too.
            if (Interlocked.Increment(ref _apiUsed) > DailyApiMax)
            {
                Interlocked.Decrement(ref _apiUsed);
                await WriteAsync(http, 403, Errors("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."));
                return;
            }
            http.Response.Headers["Sforce-Limit-Info"] = $"api-usage={ApiUsed}/{DailyApiMax}";
            Func<HttpContext, Task<bool>>? fault = null;
            lock (_faults) if (_faults.Count > 0) fault = _faults.Dequeue();
            if (fault is not null && await fault(http)) return;
            var slash = route.IndexOf('/');
            var version = slash < 0 ? route : route[..slash];
            if (!Versions.Contains(version) || slash < 0)
            {
                await WriteAsync(http, 404, Errors("NOT_FOUND", "The requested resource does not exist"));
                return;
            }
            await RouteAsync(http, version, route[(slash + 1)..], body);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private Task RouteAsync(HttpContext http, string version, string route, string body)
    {
        var method = http.Request.Method;
        var parts = route.Split('/');
        return (parts, method) switch
        {
            (["limits"], "GET") => WriteAsync(http, 200, new JsonObject
            {
                ["DailyApiRequests"] = new JsonObject { ["Max"] = DailyApiMax, ["Remaining"] = Math.Max(0, DailyApiMax - ApiUsed) },
                ["DailyBulkApiBatches"] = new JsonObject { ["Max"] = 15000, ["Remaining"] = 15000 },
            }),
            (["sobjects", var type, "describe"], "GET") => DescribeAsync(http, type),
            (["query"], "GET") => QueryAsync(http, version),
            (["query", var locator], "GET") => QueryMoreAsync(http, version, locator),
            (["composite", "sobjects"], "PATCH") => UpdateAsync(http, body),
            (["composite", "sobjects"], "POST") => CreateAsync(http, body),
            (["sobjects", var type, var id], "DELETE") => DeleteAsync(http, type, id),
            _ => WriteAsync(http, 404, Errors("NOT_FOUND", "The requested resource does not exist")),
        };
    }

    internal static JsonArray Errors(string code, string message, params string[] fields) =>
        [new JsonObject { ["message"] = message, ["errorCode"] = code, ["fields"] = new JsonArray(fields.Select(f => (JsonNode)f).ToArray()) }];

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
