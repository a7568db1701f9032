using GrowthBrain.Accounts;
using GrowthBrain.Audit;
using GrowthBrain.Data;
using GrowthBrain.FollowUps;
using GrowthBrain.Scoring;

namespace GrowthBrain.Settings;

public sealed record GetProtectedAttributes(long TeamId);

/// <param name="Attributes">Headings to keep from the model; null or empty goes back to the built-in list.</param>
public sealed record SetProtectedAttributes(long TeamId, IReadOnlyList<string>? Attributes, string Actor);

/// <summary>The list training uses for a team, and whether the team changed it from the built-in one.</summary>
public sealed record ProtectedAttributesView(long TeamId, IReadOnlyList<string> Attributes, bool IsDefault, DateTime? UpdatedAt, string? UpdatedBy);

/// <summary>
/// Which columns a team's models must never learn from. A team may add headings of its own custom fields
/// ("Pronoun preference", "Heritage"); training reads this list when no list is given for the run.
/// </summary>
public sealed class ProtectedAttributeSettingsHandler(GrowthBrainDb db, AuditLog audit, TimeProvider clock)
{
    public const int MaxEntries = 200;

    public async Task<ProtectedAttributesView> HandleAsync(GetProtectedAttributes request, CancellationToken ct)
    {
        await RequireTeamAsync(request.TeamId, ct);
        var stored = await db.TeamSettings.AsNoTracking().FirstOrDefaultAsync(s => s.TeamId == request.TeamId, ct);
        return View(request.TeamId, stored);
    }

    public async Task<ProtectedAttributesView> HandleAsync(SetProtectedAttributes request, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Actor)) throw new ArgumentException("actor is empty; say who changed the list.");
        var list = (request.Attributes ?? []).Select(a => a?.Trim() ?? "").Where(a => a.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (list.Count > MaxEntries) throw new ArgumentException($"The list has {list.Count} entries; keep it to {MaxEntries} headings.");
        if (list.FirstOrDefault(a => a.Length > 100 || a.Contains('\n') || a.Contains('\r')) is { } bad)
            throw new ArgumentException($"'{bad[..Math.Min(bad.Length, 40)]}' is not a column heading; give one heading per entry, at most 100 characters.");
        await RequireTeamAsync(request.TeamId, ct);
        var stored = await db.TeamSettings.FirstOrDefaultAsync(s => s.TeamId == request.TeamId, ct);
        if (stored is null)
        {
            stored = new TeamSettings { TeamId = request.TeamId, UpdatedBy = request.Actor };
            db.TeamSettings.Add(stored);
        }
        stored.ProtectedAttributes = list.Count == 0 ? null : string.Join('\n', list);
        stored.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        stored.UpdatedBy = request.Actor;
        audit.Add(db, request.Actor, "settings.protected-attributes", request.TeamId, "team", request.TeamId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            list.Count == 0 ? "back to the built-in list" : $"{list.Count} headings");
        await db.SaveChangesAsync(ct);
        return View(request.TeamId, stored);
    }

    /// <summary>What training uses for the team: its stored list, or the built-in one.</summary>
    public static async Task<IReadOnlyList<string>> ForTrainingAsync(GrowthBrainDb db, long teamId, CancellationToken ct) =>
        Parse(await db.TeamSettings.AsNoTracking().Where(s => s.TeamId == teamId).Select(s => s.ProtectedAttributes).FirstOrDefaultAsync(ct))
        ?? ProtectedAttributes.Default;

    private async Task RequireTeamAsync(long teamId, CancellationToken ct)
    {
        // Teams are filtered to the caller's, so this is also the isolation check.
        if (!await db.Teams.AnyAsync(t => t.Id == teamId, ct)) throw new TeamNotFoundException(teamId);
    }

    private static ProtectedAttributesView View(long teamId, TeamSettings? stored) =>
        Parse(stored?.ProtectedAttributes) is { } list
            ? new(teamId, list, false, stored!.UpdatedAt, stored.UpdatedBy)
            : new(teamId, ProtectedAttributes.Default, true, stored?.UpdatedAt, stored?.UpdatedBy);

    private static IReadOnlyList<string>? Parse(string? stored) =>
        string.IsNullOrEmpty(stored) ? null : stored.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
