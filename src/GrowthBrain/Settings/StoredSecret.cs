using GrowthBrain.Leads;

namespace GrowthBrain.Settings;

/// <summary>What a stored secret is for; each kind is protected under its own Data Protection purpose.</summary>
public enum SecretKind
{
    LlmApiKey,
    SmtpPassword,
    /// <summary>A CRM's connection entered on the Integrations page: its options' credential fields as one JSON object.</summary>
    HubSpotConnection,
    ZohoConnection,
    SalesforceConnection,
    PipedriveConnection,
}

/// <summary>
/// A secret entered in the UI, for the whole installation (mail server and LLM are not per team).
/// <see cref="ProtectedValue"/> is the Data Protection ciphertext; the plaintext is never stored or logged.
/// </summary>
public sealed class StoredSecret
{
    public long Id { get; set; }
    public SecretKind Kind { get; set; }
    public required string ProtectedValue { get; set; }
    public DateTime UpdatedAt { get; set; }
    public required string UpdatedBy { get; set; }
}

internal sealed class StoredSecretConfiguration : IEntityTypeConfiguration<StoredSecret>
{
    public void Configure(EntityTypeBuilder<StoredSecret> e)
    {
        e.ToTable("stored_secrets");
        e.Property(s => s.Kind).HasConversion<string>().HasMaxLength(64);
        e.Property(s => s.UpdatedBy).HasMaxLength(Lead.ShortText);
        e.HasIndex(s => s.Kind).IsUnique();
    }
}
