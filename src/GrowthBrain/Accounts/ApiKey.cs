namespace GrowthBrain.Accounts;

/// <summary>
/// A key for the REST API (<c>Authorization: Bearer gb_…</c>), acting as its user with at most the
/// given scopes. Only a SHA-256 hash of the secret is stored; the key is shown once when created.
/// </summary>
public sealed class ApiKey
{
    public long Id { get; set; }
    public long UserId { get; set; }
    public required string Name { get; set; }

    /// <summary>The public part of the key, used to find it without scanning every hash.</summary>
    public required string Prefix { get; set; }
    public required string SecretHash { get; set; }
    public ApiKeyScopes Scopes { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ExpiresAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
}

[Flags]
public enum ApiKeyScopes
{
    None = 0,
    /// <summary>GET requests.</summary>
    Read = 1,
    /// <summary>Creating and changing leads, activities, drafts.</summary>
    Write = 2,
    /// <summary>What the user's role allows beyond writing: models, users, privacy requests.</summary>
    Admin = 4,
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> e)
    {
        e.ToTable("api_keys");
        e.Property(k => k.Name).HasMaxLength(100);
        e.Property(k => k.Prefix).HasMaxLength(32);
        e.Property(k => k.SecretHash).HasMaxLength(64);
        e.HasIndex(k => k.Prefix).IsUnique();
        e.HasOne<User>().WithMany().HasForeignKey(k => k.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
