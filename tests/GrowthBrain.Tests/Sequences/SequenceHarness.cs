using GrowthBrain.Data;
using GrowthBrain.FollowUps;
using GrowthBrain.Leads;
using GrowthBrain.Scoring;
using GrowthBrain.Sequences;
using GrowthBrain.Synthetic;
using GrowthBrain.Tests.FollowUps;
using GrowthBrain.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBrain.Tests.Sequences;

/// <summary>
/// Sequences as the app wires them, on one test database with the test's fake clock, sending to an in-process SMTP
/// server. <see cref="NewInstance"/> builds a second, independent set of services on the same database: another
/// instance of the app, for the race between runners.
/// </summary>
public sealed class SequenceHarness : IAsyncDisposable
{
    private readonly Dictionary<string, string?> _settings;
    private readonly List<ServiceProvider> _instances = [];

    private SequenceHarness(TestDatabase database, SmtpTestServer smtp, IReadOnlyDictionary<string, string?>? extra)
    {
        Database = database;
        Smtp = smtp;
        _settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = database.Provider.ToString(),
            ["ConnectionStrings:GrowthBrain"] = database.Factory.Settings.ConnectionString,
            ["App:PublicUrl"] = FollowUpHarness.PublicUrl.ToString(),
            ["Smtp:Host"] = "127.0.0.1",
            ["Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Smtp:From"] = FollowUpHarness.From,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>()) _settings[key] = value;
        Services = NewInstance();
    }

    public TestDatabase Database { get; }
    public SmtpTestServer Smtp { get; }
    public ServiceProvider Services { get; }
    public long TeamId { get; private set; }
    public Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock => Database.Clock;

    public static async Task<SequenceHarness> CreateAsync(
        IDatabaseProvider databases, SmtpTestServer smtp, CancellationToken ct, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var database = await databases.CreateAsync(ct);
        var harness = new SequenceHarness(database, smtp, settings);
        await using var db = database.NewContext();
        await new SeedSyntheticCrmHandler(db, database.Clock).HandleAsync(new SeedSyntheticCrm(60, Seed: 11), null, ct);
        harness.TeamId = await db.Teams.Select(t => t.Id).FirstAsync(ct);
        return harness;
    }

    public ServiceProvider NewInstance()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(_settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(Database.Clock);
        services.AddGrowthBrainData(configuration);
        services.AddGrowthBrainLeads();
        services.AddGrowthBrainScoring();
        services.AddGrowthBrainFollowUps(configuration);
        services.AddGrowthBrainSequences(configuration);
        // Both instances must read each other's unsubscribe tokens, like two app instances sharing the key ring.
        services.AddDataProtection().SetApplicationName("growthbrain-tests").UseEphemeralDataProtectionProvider();
        var provider = services.BuildServiceProvider();
        _instances.Add(provider);
        return provider;
    }

    public Task<T> RunAsync<THandler, T>(Func<THandler, Task<T>> call) where THandler : notnull => RunAsync(Services, call);

    public static async Task<T> RunAsync<THandler, T>(IServiceProvider services, Func<THandler, Task<T>> call) where THandler : notnull
    {
        await using var scope = services.CreateAsyncScope();
        return await call(scope.ServiceProvider.GetRequiredService<THandler>());
    }

    public Task<RunDueStepsResult> TickAsync(CancellationToken ct, IServiceProvider? instance = null, string runner = "test-runner") =>
        RunAsync<RunDueStepsHandler, RunDueStepsResult>(instance ?? Services, h => h.HandleAsync(new RunDueSteps(runner), ct));

    /// <summary>Open leads with a first name and an e-mail only they have, placed in <paramref name="country"/>.</summary>
    public async Task<List<Lead>> LeadsAsync(int count, CancellationToken ct, string country = "United Kingdom")
    {
        await using var db = Database.NewContext();
        var unique = db.Leads.GroupBy(l => l.EmailNormalized).Where(g => g.Count() == 1).Select(g => g.Key);
        var leads = await db.Leads
            .Where(l => l.Email != null && l.FirstName != null && l.Outcome == LeadOutcome.Open && unique.Contains(l.EmailNormalized))
            .OrderBy(l => l.Id).Take(count).ToListAsync(ct);
        foreach (var lead in leads) lead.Country = country;
        await db.SaveChangesAsync(ct);
        return leads;
    }

    public Task SetPlaybookAsync(bool autoSend, CancellationToken ct, int dailyCap = 200) =>
        RunAsync<UpdatePlaybookHandler, PlaybookView>(h => h.HandleAsync(new UpdatePlaybook(TeamId, "owner@team.example", Playbook.Default, autoSend, dailyCap), ct));

    /// <summary>E-mail day 0 (a person approves), follow-up e-mail day 3 (auto-send), call task day 7.</summary>
    public Task<SequenceView> ThreeStepAsync(CancellationToken ct, bool firstNeedsApproval = true) =>
        RunAsync<CreateSequenceHandler, SequenceView>(h => h.HandleAsync(new CreateSequence(TeamId, "New trial users",
        [
            new SequenceStep(0, StepKind.Email, RequiresApproval: firstNeedsApproval),
            new SequenceStep(3, StepKind.Email, RequiresApproval: false),
            new SequenceStep(4, StepKind.CallTask, Title: "Call about the trial"),
        ], "manager@team.example"), ct));

    public Task<EnrolmentView> EnrolAsync(long leadId, long sequenceId, CancellationToken ct) =>
        RunAsync<EnrolLeadHandler, EnrolmentView>(h => h.HandleAsync(new EnrolLead(leadId, sequenceId, "rep@team.example"), ct));

    public async Task<SequenceEnrolment> EnrolmentAsync(long id, CancellationToken ct)
    {
        await using var db = Database.NewContext();
        return await db.SequenceEnrolments.AsNoTracking().SingleAsync(e => e.Id == id, ct);
    }

    public async Task<List<FollowUpDraft>> DraftsAsync(long leadId, CancellationToken ct)
    {
        await using var db = Database.NewContext();
        return await db.FollowUpDrafts.AsNoTracking().Where(d => d.LeadId == leadId).OrderBy(d => d.Id).ToListAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _instances) await provider.DisposeAsync();
        await Database.DisposeAsync();
    }
}
