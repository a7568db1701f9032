using System.Collections.Concurrent;
using GrowthBrain.FollowUps;
using GrowthBrain.FollowUps.Llm;
using GrowthBrain.Leads;
using GrowthBrain.Scoring;
using GrowthBrain.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace GrowthBrain.Tests.FollowUps;

/// <summary>Keeps every log line written, so a test can check what reached the logs (never the API key).</summary>
public sealed class ListLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new ListLogger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class ListLogger(ListLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}

/// <summary>Options, writers and handlers pointed at a <see cref="FakeOpenAiServer"/>.</summary>
internal static class LlmTestKit
{
    public const string ApiKey = "sk-test-7f3a9c1e5b2d";

    public static LlmOptions OpenAi(FakeOpenAiServer fake, int timeoutSeconds = 5, int maxRetries = 2) => new()
    {
        Provider = "OpenAI",
        Endpoint = fake.OpenAiEndpoint,
        Model = "gpt-4o-mini",
        ApiKey = ApiKey,
        TimeoutSeconds = timeoutSeconds,
        MaxRetries = maxRetries,
        InputCostPer1kTokens = 0.15m,
        OutputCostPer1kTokens = 0.6m,
    };

    public static IDraftWriter Writer(LlmOptions options, ListLoggerProvider? logs = null)
    {
        var factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs ?? new ListLoggerProvider()));
        return FollowUpServices.CreateWriter(options, new TemplateWriter(), TimeProvider.System, factory);
    }

    /// <summary>Anna of Brightcart, as the fake's good answer expects, with data that must never reach a prompt.</summary>
    public static Lead Anna(long teamId, DateTime now, string firstName = "Anna", string gender = "female", string age = "47") => new()
    {
        TeamId = teamId, FirstName = firstName, LastName = "Meyer-Oduya", Email = $"{firstName.ToLowerInvariant()}@brightcart.example",
        Phone = "+1 555 0100 777", Company = "Brightcart", JobTitle = "Head of Sales", Industry = "Retail", Country = "United States",
        City = "Springfield", CustomFields = $$"""{"Gender":"{{gender}}","Age":"{{age}}","Date of birth":"1979-02-03","Religion":"none"}""",
        CreatedAt = now.AddDays(-3), ImportedAt = now, UpdatedAt = now,
    };

    public static async Task<long> AddAsync(TestDatabase database, Func<long, DateTime, Lead> make, CancellationToken ct, params (ActivityType Type, string Subject)[] activities)
    {
        await using var db = database.NewContext();
        var teamId = await db.Teams.Select(t => t.Id).FirstAsync(ct);
        var now = database.Clock.GetUtcNow().UtcDateTime;
        var lead = make(teamId, now);
        db.Leads.Add(lead);
        await db.SaveChangesAsync(ct);
        var minutes = 0;
        foreach (var (type, subject) in activities)
            db.Activities.Add(new Activity { TeamId = teamId, LeadId = lead.Id, Type = type, Subject = subject, OccurredAt = now.AddDays(-1).AddMinutes(++minutes) });
        await db.SaveChangesAsync(ct);
        return lead.Id;
    }

    public static async Task<DraftResult> DraftAsync(TestDatabase database, IDraftWriter writer, long leadId, CancellationToken ct, FollowUpGoal goal = FollowUpGoal.FirstTouch)
    {
        await using var db = database.NewContext();
        var models = new ActiveModels();
        return await new DraftFollowUpHandler(db, models, new ScoreLeadHandler(db, models, database.Clock), writer, database.Clock)
            .HandleAsync(new DraftFollowUp(leadId.ToString(System.Globalization.CultureInfo.InvariantCulture), goal), ct);
    }
}
