using GrowthBrain.Data;
namespace GrowthBrain.Integrations.Sync;

public sealed record ReceiveCrmWebhook(string Crm, CrmWebhook Hook);

/// <summary>
/// A CRM says records changed: the connector checks the call (signature, age, token), and the records are queued for
/// the scheduler, which pulls them within seconds on whichever instance ticks first. The webhook itself answers at
/// once: CRMs retry calls that take long, and a sync may take minutes.
/// </summary>
public sealed class ReceiveCrmWebhookHandler(CrmConnectors connectors, GrowthBrainDb db, TimeProvider clock)
{
    public const int MaxQueued = 10_000;

    public async Task<int> HandleAsync(ReceiveCrmWebhook request, CancellationToken ct)
    {
        var connector = await connectors.GetConfiguredAsync(request.Crm, ct);
        var refs = await connector.ReadWebhookAsync(request.Hook, ct);
        if (refs.Count == 0) return 0;
        var state = await connectors.StateAsync(connector, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var keys = refs.Select(r => $"{r.Object}/{r.Id}").Distinct().ToList();
        var queued = (await db.CrmWebhookEvents.IgnoreQueryFilters().Where(e => e.Crm == connector.Crm && keys.Contains(e.RecordKey)).Select(e => e.RecordKey).ToListAsync(ct)).ToHashSet();
        foreach (var r in refs.DistinctBy(r => (r.Object, r.Id)).Where(r => !queued.Contains($"{r.Object}/{r.Id}")))
            db.CrmWebhookEvents.Add(new CrmWebhookEvent { TeamId = state.TeamId, Crm = connector.Crm, CrmObject = r.Object, ExternalId = r.Id, RecordKey = $"{r.Object}/{r.Id}", ReceivedAt = now });
        await db.SaveChangesAsync(ct);
        return refs.Count;
    }
}

/// <summary>A record a webhook said changed, waiting for the scheduler to pull it. Deleted once pulled.</summary>
public sealed class CrmWebhookEvent : Accounts.ITeamOwned
{
    public long Id { get; set; }
    public long TeamId { get; set; }
    public required string Crm { get; set; }
    public required string CrmObject { get; set; }
    public required string ExternalId { get; set; }

    /// <summary>object/id: one queued pull per record, however many times the CRM calls about it.</summary>
    public required string RecordKey { get; set; }
    public DateTime ReceivedAt { get; set; }
}

internal sealed class CrmWebhookEventConfiguration : IEntityTypeConfiguration<CrmWebhookEvent>
{
    public void Configure(EntityTypeBuilder<CrmWebhookEvent> e)
    {
        e.ToTable("crm_webhook_events");
        e.Property(x => x.Crm).HasMaxLength(32);
        e.Property(x => x.CrmObject).HasMaxLength(64);
        e.Property(x => x.ExternalId).HasMaxLength(Leads.Lead.ShortText);
        e.Property(x => x.RecordKey).HasMaxLength(330);
        e.HasIndex(x => new { x.Crm, x.RecordKey }).IsUnique();
        e.HasOne<Accounts.Team>().WithMany().HasForeignKey(x => x.TeamId).OnDelete(DeleteBehavior.Restrict);
    }
}
