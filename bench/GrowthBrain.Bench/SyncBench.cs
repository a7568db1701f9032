using System.Diagnostics;
using GrowthBrain;
using GrowthBrain.Accounts;
using GrowthBrain.Data;
using GrowthBrain.Integrations.Sync;
using GrowthBrain.Leads;
using GrowthBrain.Synthetic;
using GrowthBrain.Tests.Integrations.HubSpot;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

/// <summary>
/// CRM sync benchmark (issue 12): the app's services (AddGrowthBrainCore, as the CLI builds them) syncing a fresh
/// database with the HubSpot fake in this process, seeded from the synthetic CRM (names, companies, titles,
/// industries, sizes; lifecycle stage "customer" for won, lead status UNQUALIFIED for lost, so a model trains).
/// --limits off: no limits anywhere; the first sync is timed per phase, then the sync after it (HubSpot shows our
/// own writes as changes, so it re-reads every contact) and an idle one. --limits on: the connector's defaults
/// (HubSpot's published 100 calls per 10 s, 5 searches per second), enforced by the fake too, and the write-back's
/// call rate as the fake saw the calls arrive. bench/run-sync.sh drives it and writes docs/benchmarks.md.
/// </summary>
internal static partial class SyncBench
{
    private const string UpdatePath = "/crm/v3/objects/contacts/batch/update";
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    public static async Task<Dictionary<string, object?>> RunAsync(Options o)
    {
        if ((o.Find("crm") ?? "hubspot") is var crm and not "hubspot") return await RunCrmAsync(crm, o);
        var limits = (o.Find("limits") ?? "off") switch
        {
            "on" => true,
            "off" => false,
            var v => throw new ArgumentException($"--limits is '{v}'; use on or off"),
        };
        var contacts = o.Int("contacts", limits ? 50_000 : 100_000);
        var ct = CancellationToken.None;

        await using var hub = await FakeHubSpotServer.StartAsync();
        var seedClock = Stopwatch.StartNew();
        Seed(hub, contacts, o.Int("seed", 42));
        var seedSeconds = seedClock.Elapsed.TotalSeconds;
        GC.Collect();
        var fakeHeapMb = GC.GetTotalMemory(true) / 1048576.0;
        if (limits) (hub.BurstPer10Seconds, hub.SearchPerSecond) = (100, 5);

        await using var database = await BenchDatabase.CreateAsync(o.Find("provider") ?? "sqlite", o.Find("connection"), ct);
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = database.Settings.Provider.ToString(), ["ConnectionStrings:GrowthBrain"] = database.Settings.ConnectionString,
            ["Crm:HubSpot:BaseUrl"] = hub.BaseUrl, ["Crm:HubSpot:AccessToken"] = hub.Token,
        };
        // Limits on: nothing set, so the connector keeps to its shipped defaults (HubSpot's published limits).
        if (!limits)
            foreach (var key in new[] { "BurstPer10Seconds", "SearchPerSecond", "DailyLimit" }) settings[$"Crm:HubSpot:{key}"] = "0";
        await using var services = Services(settings);
        await using (var db = new GrowthBrainDbFactory(database.Settings).CreateDbContext())
            await new MigrateDatabaseHandler(db, TimeProvider.System).HandleAsync(new MigrateDatabase(), ct);

        var result = new Dictionary<string, object?>
        {
            ["mode"] = limits ? "limits" : "nolimits", ["provider"] = database.Settings.Provider.ToString(), ["contacts"] = contacts,
            ["seedSeconds"] = Math.Round(seedSeconds, 1), ["fakeHeapMbAfterSeed"] = Math.Round(fakeHeapMb, 1),
        };
        var first = await TimedSyncAsync(services, "hubspot", ct);
        var callsAfterFirst = hub.Calls;
        result["first"] = first.ToJson();
        result["scoresInHubSpot"] = hub.Store.AllContacts().Count(c => c.Properties.ContainsKey("growthbrain_score"));
        await using (var db = new GrowthBrainDbFactory(database.Settings).CreateDbContext())
        {
            result["leadsScored"] = await db.Leads.CountAsync(l => l.ScoreProbability != null, ct);
            result["linksPushed"] = await db.CrmLinks.CountAsync(l => l.PushedHash != null, ct);
        }
        result["rateLimited429"] = hub.RateLimited;
        result["maxObservedPer10Seconds"] = hub.MaxObservedPer10Seconds;
        result["maxObservedSearchPerSecond"] = hub.MaxObservedSearchPerSecond;
        if (limits)
        {
            result["writeRate"] = WriteRate(callsAfterFirst);
        }
        else
        {
            result["second"] = (await TimedSyncAsync(services, "hubspot", ct)).ToJson();
            var callsBefore = hub.Calls.Count;
            result["idle"] = (await TimedSyncAsync(services, "hubspot", ct)).ToJson();
            result["idleCalls"] = hub.Calls.Count - callsBefore;
        }
        return result;
    }

    /// <summary>Synthetic leads as HubSpot contacts, modified one per 5 minutes up to now, so the pull crosses the 10,000-results cap by time.</summary>
    private static void Seed(FakeHubSpotServer hub, int count, int seed)
    {
        foreach (var (name, type, field) in new[]
        {
            ("industry", "string", "text"), ("country", "string", "text"), ("numemployees", "number", "number"), ("annualrevenue", "number", "number"),
        })
            hub.Store.AddProperty(FakeHubSpotStore.Definition(name, type, field, "companyinformation"));
        string[] openStages = ["lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity"];
        string[] openStatuses = ["NEW", "OPEN", "IN_PROGRESS", "ATTEMPTED_TO_CONTACT", "CONNECTED", "BAD_TIMING"];
        var now = DateTimeOffset.UtcNow;
        var i = 0;
        foreach (var s in new SyntheticCrm(new SyntheticCrmOptions(Leads: count, Seed: seed, Now: now.UtcDateTime)).Generate())
        {
            var n = i++;
            var (stage, status) = s.Outcome switch
            {
                LeadOutcome.Won => ("customer", "CONNECTED"),
                LeadOutcome.Lost => (openStages[n % 3], "UNQUALIFIED"),
                _ => (openStages[n % openStages.Length], openStatuses[n % openStatuses.Length]),
            };
            var properties = new Dictionary<string, string?>
            {
                ["firstname"] = s.FirstName, ["lastname"] = s.LastName, ["phone"] = s.Phone, ["company"] = s.Company, ["jobtitle"] = s.JobTitle,
                ["industry"] = s.Industry, ["country"] = s.Country, ["numemployees"] = s.CompanySize?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["annualrevenue"] = s.AnnualRevenue?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["lifecyclestage"] = stage, ["hs_lead_status"] = status,
            };
            if (s.Email is not null) properties["email"] = s.Email;
            hub.Store.Seed(1, _ => now.AddMinutes(-5.0 * (count - n)), _ => properties);
        }
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(TimeProvider.System);
        services.AddSingleton<IConfiguration>(configuration);
        services.AddGrowthBrainCore(configuration);
        services.AddScoped(_ => TeamScope.System("bench"));
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        return services.BuildServiceProvider();
    }

    private static async Task<SyncTiming> TimedSyncAsync(ServiceProvider services, string crm, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var phases = new PhaseClock();
        var summary = await scope.ServiceProvider.GetRequiredService<SyncCrmHandler>().HandleAsync(new SyncCrm(crm, Trigger: "cli"), phases, ct);
        return new SyncTiming(summary, phases.Now(), phases);
    }

    /// <summary>
    /// The write-back's rate as the fake saw the calls arrive: every call (the limit counts them all) between the first
    /// and the last batch update, per 10 s; and the most calls in any 10 s window of the whole sync.
    /// </summary>
    private static Dictionary<string, object?> WriteRate(IReadOnlyList<FakeHubSpotCall> calls)
    {
        var updates = calls.Where(c => c.Method == "POST" && c.Path.StartsWith(UpdatePath, StringComparison.Ordinal)).Select(c => c.At).Order().ToList();
        if (updates.Count < 2) return new() { ["updateCalls"] = updates.Count };
        var (start, end) = (updates[0], updates[^1]);
        var span = (end - start).TotalSeconds;
        var inPhase = calls.Count(c => c.At >= start && c.At <= end);
        var arrivals = calls.Select(c => c.At).Order().ToList();
        // Whole 10 s windows from the phase's start: the steady rate, without the part-window at its end.
        var whole = (int)(span / Window.TotalSeconds);
        var perWindow = Enumerable.Range(0, whole).Select(w => arrivals.Count(t => t >= start + w * Window && t < start + (w + 1) * Window)).ToList();
        return new()
        {
            ["updateCalls"] = updates.Count, ["callsInPhase"] = inPhase, ["phaseSeconds"] = Math.Round(span, 2),
            ["meanPer10Seconds"] = Math.Round((inPhase - 1) / span * 10, 2),
            ["updatesPer10Seconds"] = Math.Round((updates.Count - 1) / span * 10, 2),
            ["wholeWindows"] = perWindow,
            ["maxPer10Seconds"] = MaxInWindow(arrivals),
            ["maxUpdatesPer10Seconds"] = MaxInWindow(updates),
        };
    }

    /// <summary>The most arrivals in any window (t - 10 s, t], as HubSpot's rolling window counts them.</summary>
    private static int MaxInWindow(List<TimeSpan> sorted)
    {
        var (max, from) = (0, 0);
        for (var i = 0; i < sorted.Count; i++)
        {
            while (sorted[from] <= sorted[i] - Window) from++;
            max = Math.Max(max, i - from + 1);
        }
        return max;
    }

    /// <summary>
    /// When each phase of a sync was first announced (the engine reports phases synchronously, before saving), in wall
    /// time and in this process's CPU time: on a shared machine the CPU seconds say more than the wall seconds.
    /// </summary>
    private sealed class PhaseClock : IProgress<SyncProgress>
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly TimeSpan _cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        public Dictionary<string, (double Wall, double Cpu)> Starts { get; } = [];

        public void Report(SyncProgress value)
        {
            var phase = value.Phase switch
            {
                var p when p.StartsWith("pulling", StringComparison.Ordinal) => "pull",
                var p when p.StartsWith("training", StringComparison.Ordinal) => "train",
                "scoring" => "score",
                var p when p.StartsWith("writing", StringComparison.Ordinal) => "write",
                var p when p.StartsWith("erasing", StringComparison.Ordinal) => "erase",
                var p => p,
            };
            if (Starts.ContainsKey(phase)) return;
            Starts[phase] = Now();
            PeakMbAtStart[phase] = Math.Round(Bench.PeakWorkingSetBytes() / 1048576.0);
        }

        /// <summary>The process's peak working set when each phase began: which phase raised it.</summary>
        public Dictionary<string, double> PeakMbAtStart { get; } = [];

        public (double Wall, double Cpu) Now() =>
            (_clock.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - _cpuStart).TotalSeconds);
    }

    private sealed record SyncTiming(SyncSummary Summary, (double Wall, double Cpu) End, PhaseClock Phases)
    {
        /// <summary>Wall and CPU seconds from one phase's start to the next one's that happened; the pull starts with the call.</summary>
        private (double Wall, double Cpu)? Between(string from, params string[] next)
        {
            var starts = Phases.Starts;
            (double Wall, double Cpu)? begin = from == "pull" ? (0, 0) : starts.TryGetValue(from, out var b) ? b : null;
            if (begin is not { } s) return null;
            var e = next.Where(starts.ContainsKey).Select(n => starts[n]).DefaultIfEmpty(End).First();
            return (Math.Round(e.Wall - s.Wall, 2), Math.Round(e.Cpu - s.Cpu, 2));
        }

        public Dictionary<string, object?> ToJson()
        {
            var json = new Dictionary<string, object?> { ["seconds"] = Math.Round(End.Wall, 2), ["cpuSeconds"] = Math.Round(End.Cpu, 2) };
            foreach (var (name, from, next) in new[]
            {
                ("pull", "pull", new[] { "train", "score", "write" }), ("train", "train", ["score", "write"]), ("score", "score", ["write"]),
                ("write", "write", ["erase"]),
            })
            {
                var t = Between(from, next);
                json[$"{name}Seconds"] = t?.Wall;
                json[$"{name}CpuSeconds"] = t?.Cpu;
            }
            json["peakMbAtPhaseStart"] = Phases.PeakMbAtStart;
            json["pulledPerSecond"] = Between("pull", "train", "score", "write") is { Wall: > 0 } p ? Math.Round(Summary.Pulled / p.Wall) : null;
            (json["pulled"], json["created"], json["updated"], json["unchanged"]) = (Summary.Pulled, Summary.Created, Summary.Updated, Summary.Unchanged);
            (json["pushed"], json["failed"], json["warnings"]) = (Summary.Pushed, Summary.Failed, Summary.Warnings);
            return json;
        }
    }

    /// <summary>A fresh database: a SQLite file in a temporary folder, or a new database on the given PostgreSQL server; dropped at the end.</summary>
    private sealed class BenchDatabase(DatabaseSettings settings, Func<Task> drop) : IAsyncDisposable
    {
        public DatabaseSettings Settings { get; } = settings;

        public static async Task<BenchDatabase> CreateAsync(string provider, string? connection, CancellationToken ct)
        {
            switch (provider.ToLowerInvariant())
            {
                case "sqlite":
                    var folder = Directory.CreateTempSubdirectory("gb-syncbench-").FullName;
                    return new BenchDatabase(new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(folder, "sync.db")}"), () =>
                    {
                        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                        Directory.Delete(folder, true);
                        return Task.CompletedTask;
                    });
                case "postgres" or "postgresql":
                    var server = connection ?? throw new ArgumentException("--provider postgres needs --connection (a server; a fresh database is made on it)");
                    var name = $"gb_syncbench_{Environment.ProcessId}";
                    await ExecAsync(server, $"CREATE DATABASE {name}", ct);
                    var cs = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
                    return new BenchDatabase(new DatabaseSettings(DatabaseProvider.Postgres, cs), async () =>
                    {
                        NpgsqlConnection.ClearAllPools();
                        await ExecAsync(server, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)", CancellationToken.None);
                    });
                default:
                    throw new ArgumentException($"--provider is '{provider}'; use sqlite or postgres");
            }
        }

        private static async Task ExecAsync(string server, string sql, CancellationToken ct)
        {
            await using var connection = new NpgsqlConnection(server);
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync(ct);
        }

        public async ValueTask DisposeAsync() => await drop();
    }
}
