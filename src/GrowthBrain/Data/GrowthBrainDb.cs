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
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

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

        model.Entity<Team>(e =>
        {
            e.ToTable("teams");
            e.Property(t => t.Name).HasMaxLength(Lead.ShortText);
            e.HasQueryFilter(t => AllTeamsVisible || VisibleTeamIds.Contains(t.Id));
        });

        // Identity's tables, named like ours. Users are not team-filtered: sign-in must find any user.
        model.Entity<User>(e =>
        {
            e.ToTable("users");
            e.Property(u => u.DisplayName).HasMaxLength(Lead.ShortText);
            e.HasOne<Team>().WithMany().HasForeignKey(u => u.TeamId).OnDelete(DeleteBehavior.Restrict);
        });
        model.Entity<IdentityUserClaim<long>>().ToTable("user_claims");
        model.Entity<IdentityUserLogin<long>>().ToTable("user_logins");
        model.Entity<IdentityUserToken<long>>().ToTable("user_tokens");
        model.Entity<DataProtectionKey>().ToTable("data_protection_keys");

        model.Entity<TeamMember>(e =>
        {
            e.ToTable("team_members");
            e.HasKey(m => new { m.UserId, m.TeamId });
            e.HasOne<User>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Team>().WithMany().HasForeignKey(m => m.TeamId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<ApiKey>(e =>
        {
            e.ToTable("api_keys");
            e.Property(k => k.Name).HasMaxLength(100);
            e.Property(k => k.Prefix).HasMaxLength(32);
            e.Property(k => k.SecretHash).HasMaxLength(64);
            e.HasIndex(k => k.Prefix).IsUnique();
            e.HasOne<User>().WithMany().HasForeignKey(k => k.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<Lead>(e =>
        {
            e.ToTable("leads");
            foreach (var p in new[] { nameof(Lead.ExternalId), nameof(Lead.EmailNormalized), nameof(Lead.NameKey),
                         nameof(Lead.FirstName), nameof(Lead.LastName), nameof(Lead.Email), nameof(Lead.Phone),
                         nameof(Lead.Company), nameof(Lead.JobTitle), nameof(Lead.Industry), nameof(Lead.Country),
                         nameof(Lead.City), nameof(Lead.Source), nameof(Lead.Campaign), nameof(Lead.Owner),
                         nameof(Lead.Stage), nameof(Lead.Status), nameof(Lead.ConsentSource) })
            {
                e.Property(p).HasMaxLength(Lead.ShortText);
            }
            e.Property(l => l.Notes).HasMaxLength(Lead.NotesText);
            e.Property(l => l.AnnualRevenue).HasPrecision(18, 2);
            e.Property(l => l.DealValue).HasPrecision(18, 2);
            e.Ignore(l => l.DisplayName);
            // The import merge looks leads up by each of these keys, in this order.
            e.HasIndex(l => new { l.TeamId, l.ExternalId });
            e.HasIndex(l => new { l.TeamId, l.EmailNormalized });
            e.HasIndex(l => new { l.TeamId, l.NameKey });
            e.HasIndex(l => new { l.TeamId, l.CreatedAt });
            e.Property(l => l.ScoreGrade).HasMaxLength(2);
            e.Property(l => l.ModelGrade).HasMaxLength(2);
            // The "call next" queue: open leads by score, fast at a million leads.
            e.HasIndex(l => new { l.TeamId, l.Outcome, l.ScoreProbability });
            // Lead health's oldest stale leads: open leads by last activity, read from the front.
            e.HasIndex(l => new { l.TeamId, l.Outcome, l.LastActivityAt });
            // The team page counts leads closed in the part of its first and last day that the aggregates cannot split.
            e.HasIndex(l => new { l.TeamId, l.ClosedAt });
            e.HasOne<Team>().WithMany().HasForeignKey(l => l.TeamId).OnDelete(DeleteBehavior.Restrict);
        });

        model.Entity<Activity>(e =>
        {
            e.ToTable("activities");
            e.Property(a => a.Subject).HasMaxLength(Lead.ShortText);
            e.Property(a => a.ExternalId).HasMaxLength(Lead.ShortText);
            e.HasIndex(a => new { a.LeadId, a.OccurredAt });
            e.HasIndex(a => new { a.TeamId, a.OccurredAt });
            // The team page counts e-mails sent and replies in a period without reading every other kind of touch.
            e.HasIndex(a => new { a.TeamId, a.Type, a.OccurredAt });
            e.HasOne<Lead>().WithMany().HasForeignKey(a => a.LeadId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Team>().WithMany().HasForeignKey(a => a.TeamId).OnDelete(DeleteBehavior.Restrict);
        });

        model.Entity<CrmLink>(e =>
        {
            e.ToTable("crm_links");
            e.Property(c => c.Crm).HasMaxLength(32);
            e.Property(c => c.RecordKind).HasMaxLength(32);
            e.Property(c => c.ExternalId).HasMaxLength(Lead.ShortText);
            e.HasIndex(c => new { c.TeamId, c.Crm, c.RecordKind, c.ExternalId }).IsUnique();
            e.HasIndex(c => new { c.RecordKind, c.LocalId });
        });

        model.Entity<ModelVersion>(e =>
        {
            e.ToTable("model_versions");
            e.Property(m => m.Kind).HasMaxLength(32);
            e.Property(m => m.Description).HasMaxLength(1000);
            e.Property(m => m.PromotedBy).HasMaxLength(Lead.ShortText);
            e.Property(m => m.PromotionNote).HasMaxLength(1000);
            e.Ignore(m => m.Label);
            e.HasIndex(m => new { m.TeamId, m.Number }).IsUnique();
            e.HasIndex(m => new { m.TeamId, m.Status });
            e.HasOne<Team>().WithMany().HasForeignKey(m => m.TeamId).OnDelete(DeleteBehavior.Restrict);
        });

        model.Entity<LeadScore>(e =>
        {
            e.ToTable("lead_scores");
            e.Property(s => s.Grade).HasMaxLength(2);
            e.Property(s => s.Trigger).HasMaxLength(16);
            e.HasIndex(s => new { s.LeadId, s.ScoredAt });
            e.HasOne<Lead>().WithMany().HasForeignKey(s => s.LeadId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<ModelVersion>().WithMany().HasForeignKey(s => s.ModelVersionId).OnDelete(DeleteBehavior.Restrict);
        });

        model.Entity<PendingIndex>(e =>
        {
            e.ToTable("pending_indexes");
            e.Property(p => p.TableName).HasMaxLength(64);
            e.Property(p => p.IndexName).HasMaxLength(128);
        });

        model.Entity<AuditEntry>(e =>
        {
            e.ToTable("audit_entries");
            e.Property(a => a.Actor).HasMaxLength(Lead.ShortText);
            e.Property(a => a.Action).HasMaxLength(64);
            e.Property(a => a.SubjectKind).HasMaxLength(32);
            e.Property(a => a.SubjectId).HasMaxLength(64);
            e.Property(a => a.Detail).HasMaxLength(2000);
            e.HasIndex(a => new { a.TeamId, a.At });
            // The overview's adoption date (the first entry) and active users (who acted in the last 30 days).
            e.HasIndex(a => a.At);
            e.HasIndex(a => new { a.SubjectKind, a.SubjectId });
        });

        model.Entity<Suppression>(e =>
        {
            e.ToTable("suppressions");
            e.Property(s => s.EmailHash).HasMaxLength(64);
            e.Property(s => s.Source).HasMaxLength(Lead.ShortText);
            e.HasIndex(s => s.EmailHash);
        });

        model.Entity<FollowUpDraft>(e =>
        {
            e.ToTable("follow_up_drafts");
            foreach (var p in new[] { nameof(FollowUpDraft.Writer), nameof(FollowUpDraft.Subject), nameof(FollowUpDraft.OriginalSubject),
                         nameof(FollowUpDraft.CreatedBy), nameof(FollowUpDraft.EditedBy), nameof(FollowUpDraft.ApprovedBy), nameof(FollowUpDraft.RejectedBy),
                         nameof(FollowUpDraft.RatedBy), nameof(FollowUpDraft.SentBy), nameof(FollowUpDraft.MessageId), nameof(FollowUpDraft.Mailbox) })
            {
                e.Property(p).HasMaxLength(Lead.ShortText);
            }
            e.Property(d => d.Language).HasMaxLength(8);
            e.Property(d => d.CallToAction).HasMaxLength(1000);
            e.Property(d => d.RejectionReason).HasMaxLength(1000);
            e.Property(d => d.RatingComment).HasMaxLength(1000);
            e.Property(d => d.Error).HasMaxLength(2000);
            e.Ignore(d => d.ViolationList);
            e.Ignore(d => d.Edited);
            // The approval queue (by state), the lead page (by lead) and the daily cap (per mailbox since midnight).
            e.HasIndex(d => new { d.TeamId, d.Status });
            e.HasIndex(d => d.LeadId);
            e.HasIndex(d => new { d.Mailbox, d.SendStartedAt });
            e.HasOne<Lead>().WithMany().HasForeignKey(d => d.LeadId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Team>().WithMany().HasForeignKey(d => d.TeamId).OnDelete(DeleteBehavior.Restrict);
        });

        model.Entity<TeamPlaybook>(e =>
        {
            e.ToTable("team_playbooks");
            e.Property(p => p.UpdatedBy).HasMaxLength(Lead.ShortText);
            e.HasIndex(p => p.TeamId).IsUnique();
        });

        model.Entity<StoredSecret>(e =>
        {
            e.ToTable("stored_secrets");
            e.Property(s => s.Kind).HasConversion<string>().HasMaxLength(64);
            e.Property(s => s.UpdatedBy).HasMaxLength(Lead.ShortText);
            e.HasIndex(s => s.Kind).IsUnique();
        });

        model.Entity<TeamSettings>(e =>
        {
            e.ToTable("team_settings");
            e.Property(s => s.UpdatedBy).HasMaxLength(Lead.ShortText);
            e.HasIndex(s => s.TeamId).IsUnique();
            e.HasOne<Team>().WithMany().HasForeignKey(s => s.TeamId).OnDelete(DeleteBehavior.Restrict);
        });

        model.Entity<PendingCrmErasure>(e =>
        {
            e.ToTable("pending_crm_erasures");
            e.Property(p => p.Crm).HasMaxLength(32);
            e.Property(p => p.RecordKind).HasMaxLength(32);
            e.Property(p => p.ExternalId).HasMaxLength(Lead.ShortText);
            e.Property(p => p.EmailHash).HasMaxLength(64);
            e.Property(p => p.LastError).HasMaxLength(1000);
            e.HasIndex(p => new { p.TeamId, p.Crm });
            e.HasOne<Team>().WithMany().HasForeignKey(p => p.TeamId).OnDelete(DeleteBehavior.Restrict);
        });

        model.Entity<TeamChange>(e =>
        {
            e.ToTable("team_changes");
            e.HasKey(c => c.TeamId);
            e.Property(c => c.TeamId).ValueGeneratedNever();
            e.Property(c => c.What).HasMaxLength(ChangeMarker.WhatLength);
            e.HasOne<Team>().WithMany().HasForeignKey(c => c.TeamId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<ScoreOverride>(e =>
        {
            e.ToTable("score_overrides");
            e.Property(o => o.Grade).HasMaxLength(2);
            e.Property(o => o.Reason).HasMaxLength(ScoreOverride.ReasonLength);
            e.Property(o => o.SetBy).HasMaxLength(Lead.ShortText);
            e.Property(o => o.ClearedBy).HasMaxLength(Lead.ShortText);
            e.Property(o => o.ClearReason).HasMaxLength(ScoreOverride.ReasonLength);
            e.HasIndex(o => new { o.LeadId, o.SetAt });
            e.HasOne<Lead>().WithMany().HasForeignKey(o => o.LeadId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<Sequence>(e =>
        {
            e.ToTable("sequences");
            e.Property(s => s.Name).HasMaxLength(Lead.ShortText);
            e.Property(s => s.CreatedBy).HasMaxLength(Lead.ShortText);
            e.Property(s => s.UpdatedBy).HasMaxLength(Lead.ShortText);
            e.Ignore(s => s.StepList);
            e.HasIndex(s => new { s.TeamId, s.Name });
            e.HasOne<Team>().WithMany().HasForeignKey(s => s.TeamId).OnDelete(DeleteBehavior.Restrict);
        });

        model.Entity<SequenceEnrolment>(e =>
        {
            e.ToTable("sequence_enrolments");
            e.Property(x => x.EnrolledBy).HasMaxLength(Lead.ShortText);
            e.Property(x => x.StoppedBy).HasMaxLength(Lead.ShortText);
            e.Property(x => x.Note).HasMaxLength(1000);
            e.Ignore(x => x.Live);
            // The runner's question every few seconds: which active enrolments are due?
            e.HasIndex(x => new { x.Status, x.NextDueAt });
            e.HasIndex(x => x.LeadId);
            e.HasOne<Lead>().WithMany().HasForeignKey(x => x.LeadId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Sequence>().WithMany().HasForeignKey(x => x.SequenceId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Team>().WithMany().HasForeignKey(x => x.TeamId).OnDelete(DeleteBehavior.Restrict);
        });

        model.Entity<SequenceStepRun>(e =>
        {
            e.ToTable("sequence_step_runs");
            e.Property(r => r.ClaimedBy).HasMaxLength(Lead.ShortText);
            e.Property(r => r.Error).HasMaxLength(1000);
            // The claim: one run per step of an enrolment, whichever instance gets there first. By step id, not
            // position, so a step moved or re-added by an edit is not run twice for a lead.
            e.HasIndex(r => new { r.EnrolmentId, r.StepId }).IsUnique();
            e.HasIndex(r => r.DraftId);
            e.HasOne<SequenceEnrolment>().WithMany().HasForeignKey(r => r.EnrolmentId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<LeadTask>(e =>
        {
            e.ToTable("lead_tasks");
            e.Property(t => t.Title).HasMaxLength(Lead.ShortText);
            e.Property(t => t.DoneBy).HasMaxLength(Lead.ShortText);
            e.HasIndex(t => new { t.LeadId, t.DoneAt });
            e.HasOne<Lead>().WithMany().HasForeignKey(t => t.LeadId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<MailboxCursor>(e =>
        {
            e.ToTable("mailbox_cursors");
            e.Property(c => c.Mailbox).HasMaxLength(Lead.ShortText);
            e.HasIndex(c => c.Mailbox).IsUnique();
        });

        // Aggregates of the leads kept by triggers (Insights/LeadStatsSql.cs); the keys are what the triggers upsert on.
        model.Entity<GrowthBrain.Insights.TeamLeadCount>(e =>
        {
            e.ToTable("team_lead_counts");
            e.HasKey(c => c.TeamId);
            e.Property(c => c.TeamId).ValueGeneratedNever();
        });
        model.Entity<GrowthBrain.Insights.ClosedLeadDay>(e =>
        {
            e.ToTable("closed_lead_days");
            e.HasKey(c => new { c.TeamId, c.Day, c.Outcome });
        });
        model.Entity<GrowthBrain.Insights.WonCycleMonth>(e =>
        {
            e.ToTable("won_cycle_months");
            e.HasKey(c => new { c.TeamId, c.Month, c.CycleDays });
        });
        model.Entity<GrowthBrain.Insights.OpenLeadStage>(e =>
        {
            e.ToTable("open_lead_stages");
            e.HasKey(c => new { c.TeamId, c.Stage, c.ActivityDay });
            e.Property(c => c.Stage).HasMaxLength(Lead.ShortText);
        });
        model.Entity<GrowthBrain.Insights.LeadScoreMove>(e =>
        {
            e.ToTable("lead_score_moves");
            e.HasKey(m => m.LeadId);
            e.Property(m => m.LeadId).ValueGeneratedNever();
            // The overview reads the biggest changes of each of the last seven days from the front of this index.
            e.HasIndex(m => new { m.TeamId, m.Day, m.Change, m.LeadId }).IsDescending(false, false, true, false);
        });
        model.Entity<GrowthBrain.Insights.LeadGroupStat>(e =>
        {
            e.ToTable("lead_group_stats");
            e.HasKey(g => new { g.TeamId, g.Dimension, g.Named, g.Name, g.Days });
            e.Property(g => g.Name).HasMaxLength(Lead.ShortText);
        });
        model.Entity<GrowthBrain.Insights.OwnerLeadDay>(e =>
        {
            e.ToTable("owner_lead_days");
            e.HasKey(o => new { o.TeamId, o.Kind, o.Day, o.Named, o.Owner });
            e.Property(o => o.Owner).HasMaxLength(Lead.ShortText);
        });
        model.Entity<GrowthBrain.Insights.LeadFirstResponse>(e =>
        {
            e.ToTable("lead_first_responses");
            e.HasKey(f => f.LeadId);
            e.Property(f => f.LeadId).ValueGeneratedNever();
            e.Property(f => f.Owner).HasMaxLength(Lead.ShortText);
            // Covers the team page's query: leads created in the period, grouped by owner and hours, from the index alone.
            e.HasIndex(f => new { f.TeamId, f.CreatedAt, f.Owner, f.Hours });
            e.HasOne<Lead>().WithMany().HasForeignKey(f => f.LeadId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<GrowthBrain.Insights.OwnerActivityDay>(e =>
        {
            e.ToTable("owner_activity_days");
            e.HasKey(o => new { o.TeamId, o.Type, o.Day, o.Named, o.Owner });
            e.Property(o => o.Owner).HasMaxLength(Lead.ShortText);
        });

        // Only one active model per team, even when two instances promote at the same moment.
        model.Entity<ModelVersion>().HasIndex(m => m.TeamId).IsUnique().HasFilter("status = 1").HasDatabaseName("IX_model_versions_one_active");

        // Team isolation in one place: every row that belongs to a team is filtered to the scope's teams.
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
