using GrowthBrain.Accounts;
using GrowthBrain.Audit;
using GrowthBrain.FollowUps;
using GrowthBrain.Integrations;
using GrowthBrain.Leads;
using GrowthBrain.Live;
using GrowthBrain.Privacy;
using GrowthBrain.Scoring;
using GrowthBrain.Settings;
using GrowthBrain.Sequences;
using System.Linq.Expressions;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;

namespace GrowthBrain.Data;

/// <summary>
/// The unit of work for everything GrowthBrain stores. One model for both providers; each provider
/// has a subclass only so that it can own its migrations (see docs/adr/0001-one-migration-set-per-provider.md).
/// </summary>
public abstract class GrowthBrainDb(DbContextOptions options) : IdentityUserContext<User, long>(options), IDataProtectionKeyContext
{
    public DbSet<Team> Teams => Set<Team>();
    public DbSet<TeamMember> TeamMembers => Set<TeamMember>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Lead> Leads => Set<Lead>();
    public DbSet<Activity> Activities => Set<Activity>();
    public DbSet<CrmLink> CrmLinks => Set<CrmLink>();
    public DbSet<GrowthBrain.Integrations.Sync.CrmSyncState> CrmSyncStates => Set<GrowthBrain.Integrations.Sync.CrmSyncState>();
    public DbSet<GrowthBrain.Integrations.Sync.CrmSyncRun> CrmSyncRuns => Set<GrowthBrain.Integrations.Sync.CrmSyncRun>();
    public DbSet<GrowthBrain.Integrations.Sync.CrmSyncFailure> CrmSyncFailures => Set<GrowthBrain.Integrations.Sync.CrmSyncFailure>();
    public DbSet<GrowthBrain.Integrations.Sync.CrmWebhookEvent> CrmWebhookEvents => Set<GrowthBrain.Integrations.Sync.CrmWebhookEvent>();
    public DbSet<ModelVersion> ModelVersions => Set<ModelVersion>();
    public DbSet<LeadScore> LeadScores => Set<LeadScore>();
    public DbSet<PendingIndex> PendingIndexes => Set<PendingIndex>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<Suppression> Suppressions => Set<Suppression>();
    public DbSet<FollowUpDraft> FollowUpDrafts => Set<FollowUpDraft>();
    public DbSet<TeamPlaybook> TeamPlaybooks => Set<TeamPlaybook>();
    public DbSet<PendingCrmErasure> PendingCrmErasures => Set<PendingCrmErasure>();
    public DbSet<TeamChange> TeamChanges => Set<TeamChange>();
    public DbSet<ScoreOverride> ScoreOverrides => Set<ScoreOverride>();
    public DbSet<StoredSecret> StoredSecrets => Set<StoredSecret>();
    public DbSet<TeamSettings> TeamSettings => Set<TeamSettings>();
    public DbSet<Sequence> Sequences => Set<Sequence>();
    public DbSet<SequenceEnrolment> SequenceEnrolments => Set<SequenceEnrolment>();
    public DbSet<SequenceStepRun> SequenceStepRuns => Set<SequenceStepRun>();
    public DbSet<LeadTask> LeadTasks => Set<LeadTask>();
    public DbSet<MailboxCursor> MailboxCursors => Set<MailboxCursor>();
    public DbSet<GrowthBrain.Insights.TeamLeadCount> TeamLeadCounts => Set<GrowthBrain.Insights.TeamLeadCount>();
    public DbSet<GrowthBrain.Insights.ClosedLeadDay> ClosedLeadDays => Set<GrowthBrain.Insights.ClosedLeadDay>();
    public DbSet<GrowthBrain.Insights.WonCycleMonth> WonCycleMonths => Set<GrowthBrain.Insights.WonCycleMonth>();
    public DbSet<GrowthBrain.Insights.OpenLeadStage> OpenLeadStages => Set<GrowthBrain.Insights.OpenLeadStage>();
    public DbSet<GrowthBrain.Insights.LeadScoreMove> LeadScoreMoves => Set<GrowthBrain.Insights.LeadScoreMove>();
    public DbSet<GrowthBrain.Insights.LeadGroupStat> LeadGroupStats => Set<GrowthBrain.Insights.LeadGroupStat>();
    public DbSet<GrowthBrain.Insights.OwnerLeadDay> OwnerLeadDays => Set<GrowthBrain.Insights.OwnerLeadDay>();
    public DbSet<GrowthBrain.Insights.OwnerActivityDay> OwnerActivityDays => Set<GrowthBrain.Insights.OwnerActivityDay>();
    public DbSet<GrowthBrain.Insights.LeadFirstResponse> LeadFirstResponses => Set<GrowthBrain.Insights.LeadFirstResponse>();

    public abstract DatabaseProvider Provider { get; }

    /// <summary>
    /// Which teams this unit of work may see. Null (contexts from the factory: the CLI, jobs, start-up)
    /// sees every team; the web app sets the signed-in user's scope on every context it hands out.
    /// </summary>
    public TeamScope? Scope { get; set; }

    // Read by the query filters on each query, so one context follows its scope as it changes
    // (a Blazor circuit's user is known only once the circuit opens).
    private bool AllTeamsVisible => Scope is null || Scope.AllTeams;
    private long[] VisibleTeamIds => Scope?.VisibleTeamIds as long[] ?? Scope?.VisibleTeamIds?.ToArray() ?? [];

    protected override void OnModelCreating(ModelBuilder model)
    {
        base.OnModelCreating(model);

        // Each entity's table, keys, lengths and indexes live beside it in its slice (XxxConfiguration.cs).
        model.ApplyConfigurationsFromAssembly(typeof(GrowthBrainDb).Assembly);

        // Team isolation in one place, here because it reads this context's scope: a person sees their teams, and
        // every row that belongs to a team is filtered to the scope's teams.
        model.Entity<Team>().HasQueryFilter(t => AllTeamsVisible || VisibleTeamIds.Contains(t.Id));
        foreach (var entity in model.Model.GetEntityTypes().Where(t => typeof(ITeamOwned).IsAssignableFrom(t.ClrType)).ToList())
        {
            var row = Expression.Parameter(entity.ClrType, "row");
            var self = Expression.Constant(this, typeof(GrowthBrainDb));
            var teamId = Expression.Property(row, nameof(ITeamOwned.TeamId));
            var visible = Expression.OrElse(
                Expression.Property(self, nameof(AllTeamsVisible)),
                Expression.Call(typeof(Enumerable), nameof(Enumerable.Contains), [typeof(long)], Expression.Property(self, nameof(VisibleTeamIds)), teamId));
            entity.SetQueryFilter(Expression.Lambda(visible, row));
        }

        // snake_case columns on both providers, so the hand-written bulk SQL reads the same everywhere.
        foreach (var entity in model.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(SnakeCase(property.Name));
            }
        }
    }

    internal static string SnakeCase(string name)
    {
        var sb = new System.Text.StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0) sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }
}
