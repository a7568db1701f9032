using GrowthBrain.Privacy;

namespace GrowthBrain.Integrations.HubSpot;

/// <summary>Pushes an erasure to HubSpot: a lead is its contact (GDPR-deleted); an activity is a note or a task we created.</summary>
public sealed class HubSpotErasurePropagator(HubSpotConnector connector) : IErasurePropagator
{
    public string Crm => HubSpotConnector.Name;

    public async Task EraseAsync(PendingCrmErasure record, CancellationToken ct)
    {
        if (record.RecordKind != "activity")
        {
            await connector.EraseAsync("contacts", record.ExternalId, ct);
            return;
        }
        // The pending row keeps only the id, not whether it was a note or a task. Notes and tasks are engagements, which
        // share one id space, and a delete of an id that is not there answers 404 (gone), so deleting as both is safe.
        await connector.EraseAsync("notes", record.ExternalId, ct);
        await connector.EraseAsync("tasks", record.ExternalId, ct);
    }
}
