using GrowthBrain.Accounts;

namespace GrowthBrain.Integrations.Sync;

/// <summary>
/// One CRM connection's sync state, one row per CRM for the installation (credentials are the installation's too).
/// Everything a sync needs to continue lives here, not in memory, so any instance can pick up where another stopped:
/// the watermark of each object, the page a killed sync had reached, the lease that keeps two instances from syncing
/// the same connection at once, and the mapping the admin confirmed.
/// </summary>
public sealed class CrmSyncState : ITeamOwned
{
    public long Id { get; set; }

    /// <summary>The team the CRM's records land in (the admin's who connected it; the first team for configuration).</summary>
    public long TeamId { get; set; }

    /// <summary>hubspot, zoho, salesforce or pipedrive.</summary>
    public required string Crm { get; set; }

    /// <summary>The confirmed field mapping as JSON (<see cref="CrmMapping"/>); null until an admin saves one: the suggestion applies.</summary>
    public string? Mapping { get; set; }

    /// <summary>
    /// JSON object: CRM object → the largest last-modified instant pulled (ISO 8601). The next incremental pull asks
    /// for records modified at or after it; records at exactly that instant come again and are found unchanged.
    /// </summary>
    public string Watermarks { get; set; } = "{}";

    /// <summary>The object a sync was pulling when it stopped, and the cursor of the next page: the next run continues there.</summary>
    public string? ResumeObject { get; set; }
    public string? ResumeCursor { get; set; }

    /// <summary>The watermark that interrupted pull started from, and the largest modified instant it had committed.</summary>
    public DateTime? ResumeSince { get; set; }
    public DateTime? ResumeMaxSeen { get; set; }

    /// <summary>Who holds the lease ("host:pid:guid") and until when; an expired lease is anyone's to take.</summary>
    public string? LeaseOwner { get; set; }
    public DateTime? LeaseUntil { get; set; }

    /// <summary>Set when a webhook or a person asked for a sync; the scheduler runs one soon after.</summary>
    public DateTime? SyncRequestedAt { get; set; }

    public DateTime CreatedAt { get; set; }
}

/// <summary>
/// One sync run and its counts, updated page by page so the page and the terminal show progress from any instance.
/// </summary>
public sealed class CrmSyncRun : ITeamOwned
{
    public long Id { get; set; }
    public long TeamId { get; set; }
    public required string Crm { get; set; }

    /// <summary>cli, page, api, schedule or webhook.</summary>
    public required string Trigger { get; set; }
    public required string StartedBy { get; set; }
    public bool Full { get; set; }
    public bool DryRun { get; set; }
    public CrmSyncStatus Status { get; set; }

    /// <summary>What the run is doing now ("pulling contacts", "scoring", "writing scores 300/1,200").</summary>
    public string Phase { get; set; } = "";
    public int Pulled { get; set; }
    public int Created { get; set; }
    public int Updated { get; set; }
    public int Unchanged { get; set; }
    public int Pushed { get; set; }
    public int Failed { get; set; }

    /// <summary>Why the run stopped, when it did not finish.</summary>
    public string? Error { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
}

public enum CrmSyncStatus { Running, Succeeded, Failed, Interrupted }

/// <summary>
/// A record that did not sync, with the CRM's or the validator's reason. Kept until the record syncs (then deleted),
/// shown on the page with a retry. One row per record and direction, however often it failed.
/// </summary>
public sealed class CrmSyncFailure : ITeamOwned
{
    public long Id { get; set; }
    public long TeamId { get; set; }
    public required string Crm { get; set; }
    public CrmSyncDirection Direction { get; set; }

    /// <summary>The CRM object (contacts, Leads) or, for activities, note or task.</summary>
    public required string CrmObject { get; set; }

    /// <summary>The CRM record id (pull, scores) or the activity's local key (draft:42, task:7).</summary>
    public required string RecordKey { get; set; }
    public long? LeadId { get; set; }
    public required string Error { get; set; }
    public int Attempts { get; set; }
    public DateTime FirstFailedAt { get; set; }
    public DateTime LastFailedAt { get; set; }
}

public enum CrmSyncDirection { Pull, Scores, Activities }

internal sealed class CrmSyncStateConfiguration : IEntityTypeConfiguration<CrmSyncState>
{
    public void Configure(EntityTypeBuilder<CrmSyncState> e)
    {
        e.ToTable("crm_sync_states");
        e.Property(s => s.Crm).HasMaxLength(32);
        e.Property(s => s.ResumeObject).HasMaxLength(64);
        e.Property(s => s.ResumeCursor).HasMaxLength(4000);
        e.Property(s => s.LeaseOwner).HasMaxLength(200);
        e.HasIndex(s => s.Crm).IsUnique();
        e.HasOne<Team>().WithMany().HasForeignKey(s => s.TeamId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CrmSyncRunConfiguration : IEntityTypeConfiguration<CrmSyncRun>
{
    public void Configure(EntityTypeBuilder<CrmSyncRun> e)
    {
        e.ToTable("crm_sync_runs");
        e.Property(r => r.Crm).HasMaxLength(32);
        e.Property(r => r.Trigger).HasMaxLength(16);
        e.Property(r => r.StartedBy).HasMaxLength(256);
        e.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        e.Property(r => r.Phase).HasMaxLength(200);
        e.Property(r => r.Error).HasMaxLength(2000);
        e.HasIndex(r => new { r.Crm, r.StartedAt });
        e.HasOne<Team>().WithMany().HasForeignKey(r => r.TeamId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CrmSyncFailureConfiguration : IEntityTypeConfiguration<CrmSyncFailure>
{
    public void Configure(EntityTypeBuilder<CrmSyncFailure> e)
    {
        e.ToTable("crm_sync_failures");
        e.Property(f => f.Crm).HasMaxLength(32);
        e.Property(f => f.Direction).HasConversion<string>().HasMaxLength(16);
        e.Property(f => f.CrmObject).HasMaxLength(64);
        e.Property(f => f.RecordKey).HasMaxLength(Leads.Lead.ShortText);
        e.Property(f => f.Error).HasMaxLength(2000);
        e.HasIndex(f => new { f.Crm, f.Direction, f.RecordKey }).IsUnique();
        e.HasOne<Team>().WithMany().HasForeignKey(f => f.TeamId).OnDelete(DeleteBehavior.Restrict);
    }
}
