using GrowthBrain.Audit;
using GrowthBrain.Data;
using GrowthBrain.FollowUps;
using GrowthBrain.Leads;
using GrowthBrain.Scoring;
using GrowthBrain.Synthetic;
using GrowthBrain.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBrain.Tests.FollowUps;

/// <summary>
/// The follow-up services as the app wires them, on one test database with the test's fake clock, sending to an
/// in-process SMTP server (or in drafts-only mode when there is none). Each call runs in its own scope, like a request.
/// </summary>
public sealed class FollowUpHarness : IAsyncDisposable
{
    public const string From = "Sam Carter <sam@northwind.example>";
    public static readonly Uri PublicUrl = new("https://growth.example.test/");

    private readonly ServiceProvider _services;

    private FollowUpHarness(TestDatabase database, SmtpTestServer? smtp)
    {
        Database = database;
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = database.Provider.ToString(),
            ["ConnectionStrings:GrowthBrain"] = database.Factory.Settings.ConnectionString,
            ["App:PublicUrl"] = PublicUrl.ToString(),
        };
        if (smtp is not null)
        {
            settings["Smtp:Host"] = "127.0.0.1";
            settings["Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings["Smtp:From"] = From;
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(database.Clock);
        services.AddGrowthBrainData(configuration);
        services.AddGrowthBrainLeads();
        services.AddGrowthBrainScoring();
        services.AddGrowthBrainFollowUps(configuration);
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        _services = services.BuildServiceProvider();
    }

    public TestDatabase Database { get; }

    public long TeamId { get; private set; }

    public static async Task<FollowUpHarness> CreateAsync(IDatabaseProvider databases, SmtpTestServer? smtp, CancellationToken ct)
    {
        var database = await databases.CreateAsync(ct);
        var harness = new FollowUpHarness(database, smtp);
        await using var db = database.NewContext();
        await new SeedSyntheticCrmHandler(db, database.Clock).HandleAsync(new SeedSyntheticCrm(200, Seed: 7), null, ct);
        harness.TeamId = await db.Teams.Select(t => t.Id).FirstAsync(ct);
        return harness;
    }

    public async Task<T> RunAsync<THandler, T>(Func<THandler, Task<T>> call) where THandler : notnull
    {
        await using var scope = _services.CreateAsyncScope();
        return await call(scope.ServiceProvider.GetRequiredService<THandler>());
    }

    /// <summary>A handler on a caller-owned context, for the test that pulls the database away mid-send.</summary>
    public T Handler<T>(IServiceScope scope) where T : notnull => scope.ServiceProvider.GetRequiredService<T>();

    public IServiceScope NewScope() => _services.CreateScope();

    public UnsubscribeTokens Tokens => _services.GetRequiredService<UnsubscribeTokens>();

    /// <summary>Open leads with a first name and an e-mail only they have, whose drafts pass every guardrail.</summary>
    public async Task<List<Lead>> LeadsAsync(int count, CancellationToken ct)
    {
        await using var db = Database.NewContext();
        var unique = db.Leads.GroupBy(l => l.EmailNormalized).Where(g => g.Count() == 1).Select(g => g.Key);
        return await db.Leads.AsNoTracking()
            .Where(l => l.Email != null && l.FirstName != null && l.Outcome == LeadOutcome.Open && unique.Contains(l.EmailNormalized))
            .OrderBy(l => l.Id).Take(count).ToListAsync(ct);
    }

    public Task<DraftView> CreateAsync(long leadId, CancellationToken ct) =>
        RunAsync<CreateDraftHandler, DraftView>(h => h.HandleAsync(new CreateDraft(leadId, "ann@team.example"), ct));

    public Task<DraftView> ApproveAsync(long draftId, CancellationToken ct) =>
        RunAsync<ApproveDraftHandler, DraftView>(h => h.HandleAsync(new ApproveDraft(draftId, "ann@team.example"), ct));

    public Task<DraftView> SendAsync(long draftId, CancellationToken ct, bool confirmNotSent = false) =>
        RunAsync<SendDraftHandler, DraftView>(h => h.HandleAsync(new SendDraft(draftId, "ann@team.example", ConfirmNotSent: confirmNotSent), ct));

    public Task<DraftView> GetAsync(long draftId, CancellationToken ct) =>
        RunAsync<GetDraftHandler, DraftView>(h => h.HandleAsync(new GetDraft(draftId), ct));

    public async Task SetPlaybookAsync(bool autoSend, int dailyCap, CancellationToken ct)
    {
        await RunAsync<UpdatePlaybookHandler, PlaybookView>(h => h.HandleAsync(new UpdatePlaybook(TeamId, "owner@team.example", Playbook.Default, autoSend, dailyCap), ct));
    }

    public async Task<List<AuditEntry>> AuditAsync(long draftId, CancellationToken ct)
    {
        await using var db = Database.NewContext();
        var id = draftId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await db.AuditEntries.AsNoTracking().Where(a => a.SubjectKind == "draft" && a.SubjectId == id).OrderBy(a => a.Id).ToListAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Database.DisposeAsync();
    }
}
