using System.Security.Cryptography;
using System.Text;
using GrowthBrain.Leads;

namespace GrowthBrain.Privacy;

/// <summary>
/// An address that must not be mailed (unsubscribed, bounced, blocked by hand) or, after erasure,
/// must not come back through an import or a CRM sync. Only a hash of the address is kept, so the
/// list itself holds no personal data.
/// </summary>
public sealed class Suppression
{
    public long Id { get; set; }

    /// <summary>Null: applies to every team (erasure is for the whole installation).</summary>
    public long? TeamId { get; set; }

    /// <summary>Lower-case hex SHA-256 of the trimmed, lower-cased address (<see cref="HashEmail"/>).</summary>
    public required string EmailHash { get; set; }
    public SuppressionReason Reason { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>Who or what added it: "unsubscribe-link", a user's e-mail, "bounce", "privacy-erase".</summary>
    public string? Source { get; set; }

    public static string HashEmail(string email)
    {
        var normalized = email.Trim().ToLowerInvariant();
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("growthbrain-suppression:" + normalized)));
    }
}

public enum SuppressionReason
{
    /// <summary>The person asked not to be mailed; they may still be a lead.</summary>
    Unsubscribed = 0,
    Bounced = 1,
    Manual = 2,
    /// <summary>The person's data was erased; imports and syncs must not bring them back.</summary>
    Erased = 3,
}

internal sealed class SuppressionConfiguration : IEntityTypeConfiguration<Suppression>
{
    public void Configure(EntityTypeBuilder<Suppression> e)
    {
        e.ToTable("suppressions");
        e.Property(s => s.EmailHash).HasMaxLength(64);
        e.Property(s => s.Source).HasMaxLength(Lead.ShortText);
        e.HasIndex(s => s.EmailHash);
    }
}
