using System.Text;
using GrowthBrain.Accounts;
using GrowthBrain.Audit;
using GrowthBrain.Data;
using GrowthBrain.Integrations;
using GrowthBrain.Leads;
using GrowthBrain.Leads.Import;
using GrowthBrain.Scoring;
using GrowthBrain.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace GrowthBrain.Tests.Privacy;

/// <summary>
/// One person held by two teams, with everything a person can leave behind: lead rows imported (and updated
/// by a second import, so old copies sit in free space), custom fields, consent, activities naming them, a score
/// history, CRM links and audit entries. Values are unusual enough that finding them in the file means them.
/// </summary>
public sealed class PrivacyPerson
{
    public const string Email = "Zelda.Quimbyxova@erase-me.example";
    public const string FirstName = "Zeldaquin";
    public const string LastName = "Quimbyxova";
    public const string Phone = "+49 151 98765432";
    public const string NotesMarker = "prefers-calls-zqx-marker";
    public const string CustomValue = "ultramarine-zqx";
    public const string Hostile = "=HYPERLINK(\"http://evil.example\",\"click\")";
    public const string OtherEmail = "ada.keeps@stay.example";

    /// <summary>What must not be found anywhere once the person is erased.</summary>
    public static readonly string[] Traces = [Email.ToLowerInvariant(), "Zelda.Quimbyxova", FirstName, LastName, Phone, NotesMarker, CustomValue];

    public long TeamA { get; private set; }
    public long TeamB { get; private set; }
    public long LeadA { get; private set; }
    public long LeadB { get; private set; }

    public static string Csv(string jobTitle) => $"""
        Record ID,First Name,Last Name,Email,Phone Number,Company Name,Job Title,City,Lead Status,Original Source,Campaign,Create Date,Close Date,Notes,GDPR consent,Lawful basis,Consent date,Favourite colour,Formula
        hs-991,{FirstName},{LastName},{Email},{Phone},Quimby Solo GmbH,{jobTitle},Zwickau,Closed Won,Organic Search,spring-26,2026-06-05,2026-09-01,"Met at fair, {NotesMarker}",yes,Consent,2026-06-05,{CustomValue},"{Hostile.Replace("\"", "\"\"")}"
        hs-992,Ada,Keeps,{OtherEmail},+44 20 1234,Stay Ltd,CTO,London,Closed Lost,Paid Search,spring-26,2026-06-06,2026-09-02,,no,Legitimate interest,,blue,plain
        hs-993,Bob,Open,bob.open@stay.example,,Stay Ltd,CFO,Leeds,Open,Paid Search,spring-26,2026-07-06,,,,,,green,plain
        """;

    public async Task ArrangeAsync(TestDatabase database, TempFiles files, CancellationToken ct)
    {
        await using (var db = database.NewContext())
        {
            TeamA = await db.Teams.OrderBy(t => t.Id).Select(t => t.Id).FirstAsync(ct);
            var teamB = new Team { Name = "Team B", CreatedAt = database.Clock.GetUtcNow().UtcDateTime };
            db.Teams.Add(teamB);
            await db.SaveChangesAsync(ct);
            TeamB = teamB.Id;
        }
        // Imported, then updated by a second export: the row is rewritten and its old copy left behind in the page.
        await ImportAsync(database, files.Write("first.csv", Csv("Head of Sales")), TeamA, ct);
        await ImportAsync(database, files.Write("second.csv", Csv("Chief Revenue Officer")), TeamA, ct);
        await ImportAsync(database, files.Write("teamb.csv", Csv("Head of Sales")), TeamB, ct);

        await using (var db = database.NewContext())
        {
            var normalized = Email.ToLowerInvariant();
            LeadA = await db.Leads.Where(l => l.TeamId == TeamA && l.EmailNormalized == normalized).Select(l => l.Id).SingleAsync(ct);
            LeadB = await db.Leads.Where(l => l.TeamId == TeamB && l.EmailNormalized == normalized).Select(l => l.Id).SingleAsync(ct);
            var now = database.Clock.GetUtcNow().UtcDateTime;
            var model = new ModelVersion
            {
                TeamId = TeamA, Number = 7, Kind = "LightGbm", Description = "test", Report = "{}", FeatureSchema = "{}", Model = [1, 2, 3], CreatedAt = now,
            };
            db.ModelVersions.Add(model);
            await db.SaveChangesAsync(ct);
            db.LeadScores.AddRange(
                new LeadScore { TeamId = TeamA, LeadId = LeadA, ModelVersionId = model.Id, Probability = 0.61, Grade = "B", ScoredAt = now.AddDays(-2), Trigger = "batch" },
                new LeadScore { TeamId = TeamA, LeadId = LeadA, ModelVersionId = model.Id, Probability = 0.83, Grade = "A", ScoredAt = now.AddDays(-1), Trigger = "activity" });
            db.Activities.AddRange(
                new Activity { TeamId = TeamA, LeadId = LeadA, Type = ActivityType.Call, OccurredAt = now.AddDays(-3), Subject = $"Call with {FirstName} {LastName} on {Phone}", ExternalId = "call-77" },
                new Activity { TeamId = TeamA, LeadId = LeadA, Type = ActivityType.Meeting, OccurredAt = now.AddDays(-1), Subject = $"Demo for {FirstName}" },
                new Activity { TeamId = TeamB, LeadId = LeadB, Type = ActivityType.EmailOpened, OccurredAt = now.AddDays(-1), Subject = $"Re: offer for {Email}" });
            await db.SaveChangesAsync(ct);
            var callId = await db.Activities.Where(a => a.ExternalId == "call-77").Select(a => a.Id).SingleAsync(ct);
            db.CrmLinks.AddRange(
                new CrmLink { TeamId = TeamA, Crm = "hubspot", RecordKind = "lead", LocalId = LeadA, ExternalId = "hs-991" },
                new CrmLink { TeamId = TeamA, Crm = "hubspot", RecordKind = "activity", LocalId = callId, ExternalId = "hs-call-77" },
                new CrmLink { TeamId = TeamB, Crm = "csv", RecordKind = "lead", LocalId = LeadB, ExternalId = "hs-991" });
            var audit = new AuditLog(database.Clock);
            audit.Add(db, "rep@team-a.example", "lead.note", TeamA, "lead", LeadA.ToString(), $"Called {FirstName} {LastName} on {Phone}; scored 83%");
            audit.Add(db, "rep@team-a.example", "draft.approved", TeamA, "draft", "12", $"Follow-up to {Email} approved");
            audit.Add(db, "rep@team-b.example", "lead.scored", TeamB, "lead", LeadB.ToString(), "grade A, 0.83 by model v7");
            await db.SaveChangesAsync(ct);
        }
    }

    public static async Task<ImportSummary> ImportAsync(TestDatabase database, string path, long teamId, CancellationToken ct, string? rejects = null, long initialLoadFromBytes = ImportLeads.DefaultInitialLoadFromBytes)
    {
        await using var db = database.NewContext();
        return await new ImportLeadsHandler(db, new AuditLog(database.Clock), TeamScope.System("cli"), database.Clock).HandleAsync(
            new ImportLeads(path, RejectsPath: rejects, TeamId: teamId, InitialLoadFromBytes: initialLoadFromBytes), null, ct);
    }

    /// <summary>The traces found in the SQLite file and its WAL, read as raw bytes (free pages and all).</summary>
    public static List<string> TracesInSqliteFiles(TestDatabase database)
    {
        var file = database.Factory.Settings.SqliteFile!;
        var bytes = new List<byte>();
        foreach (var f in new[] { file, file + "-wal", file + "-journal" })
        {
            if (!File.Exists(f)) continue;
            using var stream = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            bytes.AddRange(copy.ToArray());
        }
        var all = bytes.ToArray();
        return Traces.Where(t => all.AsSpan().IndexOf(Encoding.UTF8.GetBytes(t)) >= 0
                                 || all.AsSpan().IndexOf(Encoding.UTF8.GetBytes(t.ToLowerInvariant())) >= 0).ToList();
    }

    /// <summary>Every text column of every table on PostgreSQL, searched for the traces: "table.column: trace".</summary>
    public static async Task<List<string>> TracesInPostgresAsync(TestDatabase database, CancellationToken ct)
    {
        await using var db = database.NewContext();
        await db.Database.OpenConnectionAsync(ct);
        var connection = db.Database.GetDbConnection();
        var columns = new List<(string Table, string Column)>();
        await using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = """
                SELECT table_name, column_name FROM information_schema.columns
                WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb')
                ORDER BY table_name, column_name
                """;
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) columns.Add((reader.GetString(0), reader.GetString(1)));
        }
        columns.ShouldContain(("leads", "email"));
        // The planner's statistics sample column values too (most common values, histograms).
        columns.Add(("pg_stats", "most_common_vals"));
        columns.Add(("pg_stats", "histogram_bounds"));
        var found = new List<string>();
        foreach (var (table, column) in columns)
        {
            foreach (var trace in Traces)
            {
                await using var cmd = connection.CreateCommand();
                var from = table == "pg_stats" ? "pg_stats WHERE schemaname = 'public' AND" : $"\"{table}\" WHERE";
                cmd.CommandText = $"SELECT count(*) FROM {from} strpos(lower(\"{column}\"::text), lower(@t)) > 0";
                var p = cmd.CreateParameter();
                p.ParameterName = "t";
                p.Value = trace;
                cmd.Parameters.Add(p);
                if (Convert.ToInt64(await cmd.ExecuteScalarAsync(ct)) > 0) found.Add($"{table}.{column}: {trace}");
            }
        }
        return found;
    }
}
