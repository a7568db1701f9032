using GrowthBrain.Privacy;

namespace GrowthBrain.Integrations.Zoho;

/// <summary>Pushes a pending erasure to Zoho by deleting the record; one Zoho no longer has counts as done.</summary>
public sealed class ZohoErasurePropagator(ZohoConnector connector) : IErasurePropagator
{
    public string Crm => connector.Crm;

    public Task EraseAsync(PendingCrmErasure record, CancellationToken ct) => connector.EraseLinkedAsync(record.RecordKind, record.ExternalId, ct);
}
