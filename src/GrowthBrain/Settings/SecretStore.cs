using GrowthBrain.Audit;
using GrowthBrain.Data;
using Microsoft.AspNetCore.DataProtection;

namespace GrowthBrain.Settings;

/// <summary>When a stored secret was last set and by whom; never the value.</summary>
public sealed record SecretStatus(SecretKind Kind, bool IsSet, DateTime? UpdatedAt, string? UpdatedBy);

/// <summary>
/// Secrets entered in the UI, encrypted at rest with ASP.NET Core Data Protection. The key ring lives in the
/// database, so every instance (and the CLI) can read what another stored. A purpose per kind means a value
/// protected as an SMTP password cannot be unprotected as an LLM key, even by swapping rows.
/// </summary>
public sealed class SecretStore(GrowthBrainDb db, IDataProtectionProvider protection, AuditLog audit, TimeProvider clock)
{
    public const int MaxLength = 4096;

    public static string PurposeOf(SecretKind kind) => $"GrowthBrain.Secrets.{kind}";

    /// <summary>Stores (or with an empty value, removes) a secret. The audit line says that it changed, never what to.</summary>
    public async Task SetAsync(SecretKind kind, string? value, string actor, CancellationToken ct)
    {
        if (!Enum.IsDefined(kind)) throw new ArgumentException($"'{kind}' is not a secret kind; use one of {string.Join(", ", Enum.GetNames<SecretKind>())}.");
        if (string.IsNullOrWhiteSpace(actor)) throw new ArgumentException("actor is empty; say who set the secret.");
        if (value is { Length: > MaxLength }) throw new ArgumentException($"The value is {value.Length:N0} characters; a secret has at most {MaxLength:N0}.");
        var existing = await db.StoredSecrets.FirstOrDefaultAsync(s => s.Kind == kind, ct);
        if (string.IsNullOrEmpty(value))
        {
            if (existing is null) return;
            db.StoredSecrets.Remove(existing);
            audit.Add(db, actor, "secret.removed", subjectKind: "secret", subjectId: kind.ToString());
            await db.SaveChangesAsync(ct);
            return;
        }
        var cipher = protection.CreateProtector(PurposeOf(kind)).Protect(value);
        var now = clock.GetUtcNow().UtcDateTime;
        if (existing is null)
        {
            db.StoredSecrets.Add(new StoredSecret { Kind = kind, ProtectedValue = cipher, UpdatedAt = now, UpdatedBy = actor });
        }
        else
        {
            existing.ProtectedValue = cipher;
            existing.UpdatedAt = now;
            existing.UpdatedBy = actor;
        }
        audit.Add(db, actor, "secret.set", subjectKind: "secret", subjectId: kind.ToString());
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The plaintext, or null when none is stored. For the code that uses the secret only; never show it.</summary>
    public async Task<string?> GetAsync(SecretKind kind, CancellationToken ct)
    {
        var stored = await db.StoredSecrets.AsNoTracking().FirstOrDefaultAsync(s => s.Kind == kind, ct);
        return stored is null ? null : protection.CreateProtector(PurposeOf(kind)).Unprotect(stored.ProtectedValue);
    }

    public Task<bool> HasAsync(SecretKind kind, CancellationToken ct) => db.StoredSecrets.AnyAsync(s => s.Kind == kind, ct);

    public async Task<IReadOnlyList<SecretStatus>> StatusAsync(CancellationToken ct)
    {
        var stored = await db.StoredSecrets.AsNoTracking().ToListAsync(ct);
        return Enum.GetValues<SecretKind>()
            .Select(k => stored.FirstOrDefault(s => s.Kind == k) is { } s ? new SecretStatus(k, true, s.UpdatedAt, s.UpdatedBy) : new SecretStatus(k, false, null, null))
            .ToList();
    }
}
