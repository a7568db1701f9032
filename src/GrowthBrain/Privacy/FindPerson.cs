using GrowthBrain.Data;

namespace GrowthBrain.Privacy;

/// <summary>What is held about an e-mail address, before an admin exports or erases it.</summary>
public sealed record FindPerson(string? Email);

public sealed record PersonFound(string Email, int Leads, int AuditEntries, bool Suppressed)
{
    public bool NothingHeld => Leads == 0 && AuditEntries == 0 && !Suppressed;
}

/// <summary>
/// Only counts, for the admin to see the address is the right one; the full picture is the export, which is audited.
/// </summary>
public sealed class FindPersonHandler(GrowthBrainDb db)
{
    public async Task<PersonFound> HandleAsync(FindPerson request, CancellationToken ct)
    {
        var email = PersonAddress.Normalize(request.Email);
        var leads = await db.Leads.AsNoTracking().CountAsync(l => l.EmailNormalized == email, ct);
        var hash = Suppression.HashEmail(email);
        var suppressed = await db.Suppressions.AsNoTracking().AnyAsync(s => s.EmailHash == hash, ct);
        var audit = await db.AuditEntries.AsNoTracking().CountAsync(a => a.Detail != null && a.Detail.Contains(email), ct);
        return new PersonFound(email, leads, audit, suppressed);
    }
}
