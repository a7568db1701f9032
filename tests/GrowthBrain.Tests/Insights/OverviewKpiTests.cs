using GrowthBrain.Accounts;
using GrowthBrain.Audit;
using GrowthBrain.Data;
using GrowthBrain.FollowUps;
using GrowthBrain.Insights;
using GrowthBrain.Leads;
using GrowthBrain.Scoring;
using GrowthBrain.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace GrowthBrain.Tests.Insights;

public sealed class OverviewKpiTestsOnSqlite(SqliteDatabases databases) : OverviewKpiTests(databases);

public sealed class OverviewKpiTestsOnPostgres(PostgresDatabases databases) : OverviewKpiTests(databases);

/// <summary>The overview's reply rate and active users, before GrowthBrain against since, on small hand-made data.</summary>
public abstract class OverviewKpiTests(IDatabaseProvider databases)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    // Shared like the app's singleton, so the tests also see the remembered baseline follow new history.
    private readonly ReplyBaselines _baselines = new();

    private async Task<Overview> OverviewAsync(TestDatabase database, long teamId)
    {
        await using var db = database.NewContext();
        return await new GetOverviewHandler(db, database.Clock, _baselines).HandleAsync(new GetOverview(teamId), CancellationToken.None);
    }

    private static Lead NewLead(long teamId, DateTime now, string name) =>
        new() { TeamId = teamId, FirstName = name, CreatedAt = now.AddDays(-200), ImportedAt = now, UpdatedAt = now };

    private static FollowUpDraft Sent(long teamId, long leadId, DateTime at) => new()
    {
        TeamId = teamId, LeadId = leadId, Writer = "template", Language = "en", Subject = "Hi", Body = "Hello", CallToAction = "Call?",
        CreatedAt = at.AddHours(-1), CreatedBy = "rep@example.com", OriginalSubject = "Hi", OriginalBody = "Hello",
        Status = DraftStatus.Sent, SentAt = at, SentBy = "rep@example.com",
    };

    [Fact]
    public async Task Reply_rate_compares_follow_ups_since_the_first_audit_entry_with_the_teams_CRM_emails_of_the_90_days_before()
    {
        await using var database = await databases.CreateAsync(Ct);
        var now = database.Clock.GetUtcNow().UtcDateTime;
        var adoption = now.AddDays(-60);
        long teamId;
        await using (var db = database.NewContext())
        {
            teamId = await db.Teams.Select(t => t.Id).FirstAsync(Ct);
            var other = new Team { Name = "Other", CreatedAt = now };
            db.Teams.Add(other);
            db.AuditEntries.Add(new AuditEntry { At = adoption, Actor = "owner@example.com", Action = "user.signed-in" });
            var leads = Enumerable.Range(0, 12).Select(i => NewLead(teamId, now, $"L{i}")).ToList();
            db.Leads.AddRange(leads);
            await db.SaveChangesAsync(Ct);
            var stranger = NewLead(other.Id, now, "Other team");
            db.Leads.Add(stranger);
            await db.SaveChangesAsync(Ct);

            // Since: four follow-ups sent 20 days ago; one reply within 14 days, one 19 days later (too late): 1 of 4.
            db.FollowUpDrafts.AddRange(Enumerable.Range(0, 4).Select(i => Sent(teamId, leads[i].Id, now.AddDays(-20))));
            db.FollowUpDrafts.Add(Sent(other.Id, stranger.Id, now.AddDays(-20))); // another team's: not counted
            Activity A(Lead l, ActivityType type, DateTime at) => new() { TeamId = l.TeamId, LeadId = l.Id, Type = type, OccurredAt = at };
            db.Activities.AddRange(A(leads[0], ActivityType.EmailReplied, now.AddDays(-15)), A(leads[1], ActivityType.EmailReplied, now.AddDays(-1)));
            // Before: five CRM e-mails 30 days before adoption; three answered within 14 days, one after 20 days, one never: 3 of 5.
            var e = adoption.AddDays(-30);
            for (var i = 4; i < 9; i++) db.Activities.Add(A(leads[i], ActivityType.EmailSent, e));
            db.Activities.AddRange(A(leads[4], ActivityType.EmailReplied, e.AddDays(1)), A(leads[5], ActivityType.EmailReplied, e.AddDays(13)),
                A(leads[6], ActivityType.EmailReplied, e.AddDays(2)), A(leads[7], ActivityType.EmailReplied, e.AddDays(20)));
            // Outside the 90 days before adoption, and another team's e-mail: neither counts.
            db.Activities.AddRange(A(leads[9], ActivityType.EmailSent, adoption.AddDays(-100)), A(leads[9], ActivityType.EmailReplied, adoption.AddDays(-99)),
                A(stranger, ActivityType.EmailSent, e), A(stranger, ActivityType.EmailReplied, e.AddDays(1)));
            await db.SaveChangesAsync(Ct);
        }

        var r = (await OverviewAsync(database, teamId)).ReplyRate;

        r.Adoption.ShouldBe(new Adoption(adoption, "first audit entry"));
        (r.Since.Successes, r.Since.Trials).ShouldBe((1, 4));
        r.Since.Rate.ShouldBe(0.25);
        (r.Before.Successes, r.Before.Trials).ShouldBe((3, 5));
        r.Before.From.ShouldBe(adoption.AddDays(-90));
        r.Before.To.ShouldBe(adoption);
        r.Difference!.Value.ShouldBe(-0.35, 1e-9);
        r.DifferenceLow!.Value.ShouldBeLessThan(-0.35);
        r.DifferenceHigh!.Value.ShouldBeGreaterThan(-0.35);
        r.Basis.ShouldStartWith("Since first audit entry (");

        // History imported later (a first CRM sync after installing): one more e-mail before adoption, answered in a day.
        await using (var db = database.NewContext())
        {
            var lead = await db.Leads.Where(l => l.TeamId == teamId && l.FirstName == "L10").SingleAsync(Ct);
            db.Activities.AddRange(
                new Activity { TeamId = teamId, LeadId = lead.Id, Type = ActivityType.EmailSent, OccurredAt = adoption.AddDays(-5) },
                new Activity { TeamId = teamId, LeadId = lead.Id, Type = ActivityType.EmailReplied, OccurredAt = adoption.AddDays(-4) });
            await db.SaveChangesAsync(Ct);
        }
        var later = (await OverviewAsync(database, teamId)).ReplyRate;
        (later.Before.Successes, later.Before.Trials).ShouldBe((4, 6));
    }

    [Fact]
    public async Task The_adoption_date_is_the_first_model_version_when_it_is_older_than_the_audit_log_and_unknown_without_either()
    {
        await using var database = await databases.CreateAsync(Ct);
        var now = database.Clock.GetUtcNow().UtcDateTime;
        long teamId;
        await using (var db = database.NewContext()) teamId = await db.Teams.Select(t => t.Id).FirstAsync(Ct);

        var unknown = (await OverviewAsync(database, teamId)).ReplyRate;
        unknown.Adoption.ShouldBe(new Adoption(null, "unknown"));
        unknown.Since.From.ShouldBe(now.AddDays(-90));
        unknown.Basis.ShouldStartWith("No adoption date recorded yet");

        await using (var db = database.NewContext())
        {
            db.AuditEntries.Add(new AuditEntry { At = now.AddDays(-10), Actor = "owner@example.com", Action = "user.signed-in" });
            db.ModelVersions.Add(new ModelVersion
            {
                TeamId = teamId, Number = 1, Status = ModelStatus.Retired, Kind = "test", Description = "test", CreatedAt = now.AddDays(-45),
                Report = "{}", FeatureSchema = "{}", Model = [],
            });
            await db.SaveChangesAsync(Ct);
        }
        (await OverviewAsync(database, teamId)).ActiveUsers.Adoption.ShouldBe(new Adoption(now.AddDays(-45), "first model version"));
    }

    [Fact]
    public async Task Active_users_are_people_in_the_audit_log_of_the_last_30_days_counted_per_team_through_membership()
    {
        await using var database = await databases.CreateAsync(Ct);
        var now = database.Clock.GetUtcNow().UtcDateTime;
        long team1, team2;
        await using (var db = database.NewContext())
        {
            team1 = await db.Teams.Select(t => t.Id).FirstAsync(Ct);
            var second = new Team { Name = "Second", CreatedAt = now };
            db.Teams.Add(second);
            await db.SaveChangesAsync(Ct);
            team2 = second.Id;
            User U(string email, long team) => new()
            {
                UserName = email, Email = email, NormalizedEmail = email.ToUpperInvariant(), NormalizedUserName = email.ToUpperInvariant(),
                DisplayName = email, TeamId = team, CreatedAt = now.AddDays(-100),
            };
            var ann = U("ann@example.com", team1);
            var bob = U("bob@example.com", team1);
            var cat = U("cat@example.com", team2);
            var dan = U("dan@example.com", team2);
            db.Users.AddRange(ann, bob, cat, dan);
            await db.SaveChangesAsync(Ct);
            db.TeamMembers.Add(new TeamMember { UserId = cat.Id, TeamId = team1 }); // Cat works in both teams
            AuditEntry E(string actor, int daysAgo, string action, long? team = null) =>
                new() { At = now.AddDays(-daysAgo), Actor = actor, Action = action, TeamId = team };
            db.AuditEntries.AddRange(
                E("ann@example.com", 5, "user.signed-in"),
                E("Cat@Example.com", 10, "draft.approved", team1), // acting counts as much as signing in; e-mail case does not matter
                E("dan@example.com", 40, "user.signed-in"),        // the 30 days before
                E("system", 1, "lead.scored", team1), E("scheduler", 1, "model.trained", team1), E("api-key:crm", 2, "lead.updated", team1),
                E("bob@example.com", 61, "user.signed-in"));       // older than both windows
            await db.SaveChangesAsync(Ct);
        }

        var u = (await OverviewAsync(database, team1)).ActiveUsers;

        (u.Recent.Users, u.Recent.Teams).ShouldBe((2, 2)); // Ann and Cat of team 1; teams 1 and 2 through Cat
        (u.Previous.Users, u.Previous.Teams).ShouldBe((0, 1)); // Dan is only in team 2
        u.TeamUsers.ShouldBe(3); // Ann, Bob and Cat
        u.AllTeams.ShouldBe(2);
        u.Recent.To.ShouldBe(now);
        u.Recent.From.ShouldBe(now.AddDays(-30));
        u.BeforeReason.ShouldStartWith("No sign-ins exist before GrowthBrain");

        var other = (await OverviewAsync(database, team2)).ActiveUsers;
        (other.Recent.Users, other.Previous.Users, other.TeamUsers).ShouldBe((1, 1, 2)); // Cat now; Dan before; Cat and Dan
    }
}
