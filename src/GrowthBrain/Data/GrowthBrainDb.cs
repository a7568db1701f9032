using GrowthBrain.Accounts;
using GrowthBrain.Audit;
using GrowthBrain.Integrations;
using GrowthBrain.Leads;
using GrowthBrain.Privacy;
using GrowthBrain.Scoring;
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
                         nameof(Lead.Stage), nameof(Lead.Status) })
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
            // The "call next" queue: open leads by score, fast at a million leads.
            e.HasIndex(l => new { l.TeamId, l.Outcome, l.ScoreProbability });
            e.HasOne<Team>().WithMany().HasForeignKey(l => l.TeamId).OnDelete(DeleteBehavior.Restrict);
        });

        model.Entity<Activity>(e =>
        {
            e.ToTable("activities");
            e.Property(a => a.Subject).HasMaxLength(Lead.ShortText);
            e.Property(a => a.ExternalId).HasMaxLength(Lead.ShortText);
            e.HasIndex(a => new { a.LeadId, a.OccurredAt });
            e.HasIndex(a => new { a.TeamId, a.OccurredAt });
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
            e.HasIndex(a => new { a.SubjectKind, a.SubjectId });
        });

        model.Entity<Suppression>(e =>
        {
            e.ToTable("suppressions");
            e.Property(s => s.EmailHash).HasMaxLength(64);
            e.Property(s => s.Source).HasMaxLength(Lead.ShortText);
            e.HasIndex(s => s.EmailHash);
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
