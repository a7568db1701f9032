using GrowthBrain.Data;

namespace GrowthBrain.Audit;

/// <summary>Appends audit entries. The entry joins the caller's unit of work, so an action and its audit line commit together.</summary>
public sealed class AuditLog(TimeProvider clock)
{
    public AuditEntry Add(GrowthBrainDb db, string actor, string action, long? teamId = null,
        string? subjectKind = null, string? subjectId = null, string? detail = null)
    {
        var entry = new AuditEntry
        {
            Actor = Truncate(actor, 256),
            Action = Truncate(action, 64),
            TeamId = teamId,
            SubjectKind = subjectKind,
            SubjectId = subjectId,
            Detail = detail is null ? null : Truncate(detail, 2000),
            At = clock.GetUtcNow().UtcDateTime,
        };
        db.AuditEntries.Add(entry);
        return entry;
    }

    /// <summary>Adds the entry and saves at once, for actions that have nothing else to save.</summary>
    public async Task RecordAsync(GrowthBrainDb db, string actor, string action, long? teamId = null,
        string? subjectKind = null, string? subjectId = null, string? detail = null, CancellationToken ct = default)
    {
        Add(db, actor, action, teamId, subjectKind, subjectId, detail);
        await db.SaveChangesAsync(ct);
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];
}
