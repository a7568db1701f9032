using System.Text.Json;
using GrowthBrain.Accounts;
using GrowthBrain.Leads;

namespace GrowthBrain.FollowUps;

/// <summary>
/// A team's stored playbook: the <see cref="Playbook"/> texts as JSON (they are read and written whole, never
/// queried by field) plus the sending rules, which are columns because sending reads them on every mail.
/// </summary>
public sealed class TeamPlaybook : ITeamOwned
{
    public long Id { get; set; }
    public long TeamId { get; set; }

    /// <summary>The <see cref="Playbook"/> record as JSON.</summary>
    public required string Content { get; set; }

    /// <summary>Drafts that pass every guardrail go out without a person's approval. Off unless a team turns it on.</summary>
    public bool AutoSendAllowed { get; set; }

    /// <summary>At most this many mails per sending mailbox per UTC day, so a team never looks like a spammer.</summary>
    public int DailyCapPerMailbox { get; set; } = DefaultDailyCap;

    /// <summary>Goes up by one on every edit; drafts remember the version they were written with.</summary>
    public int Version { get; set; } = 1;
    public DateTime UpdatedAt { get; set; }
    public required string UpdatedBy { get; set; }

    public const int DefaultDailyCap = 200;

    public Playbook Read() => JsonSerializer.Deserialize<Playbook>(Content, Json)
        ?? throw new InvalidOperationException($"Playbook {Id} of team {TeamId} is empty; save it again from the settings.");

    public static string Write(Playbook playbook) => JsonSerializer.Serialize(playbook, Json);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}

internal sealed class TeamPlaybookConfiguration : IEntityTypeConfiguration<TeamPlaybook>
{
    public void Configure(EntityTypeBuilder<TeamPlaybook> e)
    {
        e.ToTable("team_playbooks");
        e.Property(p => p.UpdatedBy).HasMaxLength(Lead.ShortText);
        e.HasIndex(p => p.TeamId).IsUnique();
    }
}
