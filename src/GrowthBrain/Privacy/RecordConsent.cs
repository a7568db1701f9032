using GrowthBrain.Audit;
using GrowthBrain.Data;
using GrowthBrain.Errors;
using GrowthBrain.Leads;

namespace GrowthBrain.Privacy;

/// <param name="Source">Where the consent came from: "web form", "phone call", "e-mail reply"...</param>
/// <param name="At">When the person gave or withdrew it; now when not given.</param>
public sealed record RecordConsent(long LeadId, ConsentStatus Status, LawfulBasis? Basis, string Source, string Actor, DateTime? At = null);

/// <summary>The lead was erased or retention anonymised it: there is nobody left to record anything for.</summary>
public sealed class LeadAnonymisedException(long leadId)
    : DomainException($"Lead {leadId} was anonymised; there is no person left to record consent for.", ErrorKind.Conflict, "Lead anonymised");

/// <summary>Records that a lead gave or withdrew consent (and on what basis the team processes their data), audited.</summary>
public sealed class RecordConsentHandler(GrowthBrainDb db, AuditLog audit, TimeProvider clock)
{
    /// <returns>The lead as stored, or null when there is no such lead.</returns>
    public async Task<Lead?> HandleAsync(RecordConsent request, CancellationToken ct)
    {
        if (!Enum.IsDefined(request.Status) || request.Status == ConsentStatus.Unknown)
            throw new ArgumentException("status must be Granted or Withdrawn: record what the person said.");
        if (request.Basis is { } b && !Enum.IsDefined(b))
            throw new ArgumentException("basis must be Consent, LegitimateInterest, Contract or Unknown.");
        if (string.IsNullOrWhiteSpace(request.Source) || request.Source.Length > Lead.ShortText)
            throw new ArgumentException($"source must say where the consent came from (\"web form\", \"phone call\"), at most {Lead.ShortText} characters.");
        var now = clock.GetUtcNow().UtcDateTime;
        if (request.At is { } at && at.ToUniversalTime() > now.AddMinutes(5))
            throw new ArgumentException("at is in the future; give the time the person gave or withdrew consent.");

        var lead = await db.Leads.FirstOrDefaultAsync(l => l.Id == request.LeadId, ct);
        if (lead is null) return null;
        if (lead.AnonymisedAt is not null)
            throw new LeadAnonymisedException(lead.Id);

        var before = $"{lead.ConsentStatus}/{lead.LawfulBasis}";
        lead.ConsentStatus = request.Status;
        if (request.Basis is { } basis) lead.LawfulBasis = basis;
        // Consent that was withdrawn can no longer be the basis for processing.
        else if (request.Status == ConsentStatus.Withdrawn && lead.LawfulBasis == LawfulBasis.Consent) lead.LawfulBasis = LawfulBasis.Unknown;
        lead.ConsentAt = (request.At ?? now).ToUniversalTime();
        lead.ConsentSource = request.Source.Trim();
        lead.UpdatedAt = now;
        audit.Add(db, request.Actor, "lead.consent-recorded", lead.TeamId, "lead", lead.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"{before} -> {lead.ConsentStatus}/{lead.LawfulBasis} ({lead.ConsentSource})");
        await db.SaveChangesAsync(ct);
        return lead;
    }
}
