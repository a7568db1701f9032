using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GrowthBrain.Tests.Integrations.HubSpot;

/// <summary>One call as the fake received it, and what it answered.</summary>
public sealed record FakeHubSpotCall(TimeSpan At, string Method, string Path, string Body, int Status);

/// <summary>
/// A loopback HubSpot CRM v3 API (Kestrel on 127.0.0.1, a free port) built from HubSpot's reference: contacts with
/// search and batch read/update, contact properties and groups, notes and tasks with associations, GDPR delete,
/// account details; bearer tokens with HubSpot's 401 bodies, scopes with its 403 MISSING_SCOPES body, its rate limits
/// (429 with its body), and faults to switch on per test. Usable outside tests (no test framework in it), e.g. by the
/// benchmark. Everything it counts is kept so tests can wait on state and assert on what the client did.
/// </summary>
public sealed class FakeHubSpotServer : IAsyncDisposable
{
    public const string ReadScope = "crm.objects.contacts.read";
    public const string WriteScope = "crm.objects.contacts.write";
    public const string SchemaReadScope = "crm.schemas.contacts.read";
    public const string SchemaWriteScope = "crm.schemas.contacts.write";
    public const long PortalId = 4_242_424;

    private readonly WebApplication _app;
    private readonly Stopwatch _uptime = Stopwatch.StartNew();
    private readonly List<FakeHubSpotCall> _calls = [];
    private readonly List<TimeSpan> _arrivals = [];
    private readonly List<TimeSpan> _searchArrivals = [];
    private readonly Queue<FakeHubSpotFault> _faults = new();
    private bool _expired;

    private FakeHubSpotServer(WebApplication app, TimeProvider clock)
    {
        _app = app;
        Store = new FakeHubSpotStore(clock).Init();
        Search = new FakeHubSpotSearch(Store);
    }

    public FakeHubSpotStore Store { get; }
    public FakeHubSpotSearch Search { get; }
    public string BaseUrl { get; private set; } = "";

    /// <summary>The private-app token the fake accepts.</summary>
    public string Token { get; set; } = "pat-na1-fake-token";

    /// <summary>The scopes the token has; all four by default.</summary>
    public HashSet<string> Scopes { get; } = [ReadScope, WriteScope, SchemaReadScope, SchemaWriteScope];

    /// <summary>HubSpot's burst limit (calls per rolling 10 s) the fake enforces; 0: none.</summary>
    public int BurstPer10Seconds { get; set; }

    /// <summary>HubSpot's search limit (calls per second) the fake enforces; 0: none.</summary>
    public int SearchPerSecond { get; set; }

    /// <summary>The Retry-After a 429 carries (seconds); null: none, as HubSpot often sends.</summary>
    public string? RetryAfter { get; set; } = "1";

    /// <summary>Contact ids whose batch update answers a per-record error in a 207 (category, message).</summary>
    public Dictionary<string, (string Category, string Message)> FailingUpdates { get; } = [];

    public int MaxObservedPer10Seconds { get; private set; }
    public int MaxObservedSearchPerSecond { get; private set; }
    public int RateLimited { get; private set; }

    public IReadOnlyList<FakeHubSpotCall> Calls
    {
        get
        {
            lock (_calls) return _calls.ToList();
        }
    }

    public int Count(string method, string pathStart) => Calls.Count(c => c.Method == method && c.Path.StartsWith(pathStart, StringComparison.Ordinal));

    public static async Task<FakeHubSpotServer> StartAsync(TimeProvider? clock = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeHubSpotServer(app, clock ?? TimeProvider.System);
        app.Use(server.PipelineAsync);
        FakeHubSpotEndpoints.Map(app, server);
        await app.StartAsync();
        server.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
        return server;
    }

    /// <summary>Answers HubSpot's 403 MISSING_SCOPES and returns false when the token lacks <paramref name="scope"/>.</summary>
    public async Task<bool> AllowedAsync(HttpContext http, string scope)
    {
        if (Scopes.Contains(scope)) return true;
        await FakeHubSpotErrors.WriteAsync(http, 403, FakeHubSpotErrors.MissingScopes(scope));
        return false;
    }

    /// <summary>From now on the token is refused as expired (401 EXPIRED_AUTHENTICATION), until <see cref="Token"/> changes.</summary>
    public void ExpireToken() => _expired = true;

    public void RenewToken(string token)
    {
        Token = token;
        _expired = false;
    }

    /// <summary>The next <paramref name="count"/> calls (to the fault's path, or any) fail this way.</summary>
    public void Fail(FakeHubSpotFault fault, int count = 1)
    {
        lock (_faults)
            for (var i = 0; i < count; i++) _faults.Enqueue(fault);
    }

    public void ClearFaults()
    {
        lock (_faults) _faults.Clear();
    }

    public IReadOnlyList<string> SeedContacts(int count, Func<int, DateTimeOffset>? modifiedAt = null) => Store.Seed(count, modifiedAt);

    public void ChangeEmail(string id, string email) => Store.Update(Store.Find(id) ?? throw new ArgumentException($"no contact {id}"), [new("email", email)]);

    public IReadOnlyDictionary<string, string?>? ContactProperties(string id) => Store.Find(id) is { } c
        ? c.Properties.Concat([new("lastmodifieddate", c.Value("lastmodifieddate"))]).ToDictionary()
        : null;

    private async Task PipelineAsync(HttpContext http, RequestDelegate next)
    {
        http.Request.EnableBuffering();
        var body = await new StreamReader(http.Request.Body).ReadToEndAsync(http.RequestAborted);
        http.Request.Body.Position = 0;
        var at = _uptime.Elapsed;
        try
        {
            if (CountRate(http, at) is { } policy)
            {
                if (RetryAfter is not null) http.Response.Headers.RetryAfter = RetryAfter;
                await FakeHubSpotErrors.WriteAsync(http, 429, FakeHubSpotErrors.RateLimit(policy));
                return;
            }
            if (NextFault(http.Request.Path) is { } fault)
            {
                await fault.ApplyAsync(http);
                if (fault.Kind != FakeHubSpotFaultKind.Slow) return;
            }
            if (http.Request.Path.StartsWithSegments("/crm") || http.Request.Path.StartsWithSegments("/account-info"))
            {
                var auth = http.Request.Headers.Authorization.ToString();
                if (auth != $"Bearer {Token}")
                {
                    await FakeHubSpotErrors.WriteAsync(http, 401, FakeHubSpotErrors.InvalidToken());
                    return;
                }
                if (_expired)
                {
                    await FakeHubSpotErrors.WriteAsync(http, 401, FakeHubSpotErrors.ExpiredToken());
                    return;
                }
            }
            await next(http);
        }
        finally
        {
            lock (_calls) _calls.Add(new FakeHubSpotCall(at, http.Request.Method, http.Request.Path + http.Request.QueryString, body, http.Response.StatusCode));
        }
    }

    /// <summary>Counts the call in HubSpot's windows; returns the policy it breaks, if the fake enforces that limit.</summary>
    private string? CountRate(HttpContext http, TimeSpan at)
    {
        var search = http.Request.Method == "POST" && http.Request.Path.Value!.EndsWith("/search", StringComparison.Ordinal);
        lock (_arrivals)
        {
            _arrivals.Add(at);
            var inWindow = InWindow(_arrivals, at, TimeSpan.FromSeconds(10));
            MaxObservedPer10Seconds = Math.Max(MaxObservedPer10Seconds, inWindow);
            var inSecond = 0;
            if (search)
            {
                _searchArrivals.Add(at);
                inSecond = InWindow(_searchArrivals, at, TimeSpan.FromSeconds(1));
                MaxObservedSearchPerSecond = Math.Max(MaxObservedSearchPerSecond, inSecond);
            }
            string? policy = null;
            if (BurstPer10Seconds > 0 && inWindow > BurstPer10Seconds) policy = "TEN_SECONDLY_ROLLING";
            else if (search && SearchPerSecond > 0 && inSecond > SearchPerSecond) policy = "SECONDLY";
            if (policy is not null) RateLimited++;
            return policy;
        }
    }

    /// <summary>Calls in the window (at - window, at], dropping older ones from the front.</summary>
    private static int InWindow(List<TimeSpan> arrivals, TimeSpan at, TimeSpan window)
    {
        var stale = arrivals.FindIndex(t => t > at - window);
        if (stale > 0) arrivals.RemoveRange(0, stale);
        return arrivals.Count(t => t > at - window && t <= at);
    }

    private FakeHubSpotFault? NextFault(PathString path)
    {
        lock (_faults)
        {
            if (_faults.Count == 0 || _faults.Peek().PathStart is { } start && !path.StartsWithSegments(start)) return null;
            return _faults.Dequeue();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
