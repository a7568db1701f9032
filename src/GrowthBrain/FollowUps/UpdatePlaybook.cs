using GrowthBrain.Audit;
using GrowthBrain.Data;

namespace GrowthBrain.FollowUps;

public sealed record UpdatePlaybook(long TeamId, string Actor, Playbook Playbook, bool AutoSendAllowed, int DailyCapPerMailbox);

/// <summary>Replaces a team's playbook and sending rules after checking that drafts can still be written from it.</summary>
public sealed class UpdatePlaybookHandler(GrowthBrainDb db, GetPlaybookHandler playbooks, AuditLog audit, TimeProvider clock)
{
    public const int MaxDailyCap = 10_000;

    public async Task<PlaybookView> HandleAsync(UpdatePlaybook request, CancellationToken ct)
    {
        Validate(request);
        var stored = await playbooks.GetOrSeedAsync(request.TeamId, ct);
        stored.Content = TeamPlaybook.Write(request.Playbook);
        stored.AutoSendAllowed = request.AutoSendAllowed;
        stored.DailyCapPerMailbox = request.DailyCapPerMailbox;
        stored.Version++;
        stored.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        stored.UpdatedBy = request.Actor;
        audit.Add(db, request.Actor, "playbook.updated", request.TeamId, "playbook", stored.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"version {stored.Version}; auto-send {(request.AutoSendAllowed ? "on" : "off")}; daily cap {request.DailyCapPerMailbox}");
        await db.SaveChangesAsync(ct);
        return PlaybookView.From(stored);
    }

    /// <summary>Every field the template writer and the guardrails rely on, with what to fix.</summary>
    public static void Validate(UpdatePlaybook request)
    {
        var p = request.Playbook ?? throw new ArgumentException("playbook is missing; send productName, signature, forbiddenWords and languages.");
        if (string.IsNullOrWhiteSpace(request.Actor)) throw new ArgumentException("actor is empty; say who changed the playbook.");
        if (request.DailyCapPerMailbox is < 1 or > MaxDailyCap)
            throw new ArgumentException($"dailyCapPerMailbox is {request.DailyCapPerMailbox}; use 1 to {MaxDailyCap:N0} mails per mailbox per day.");
        if (string.IsNullOrWhiteSpace(p.ProductName)) throw new ArgumentException("productName is empty; name the product drafts are about.");
        if (p.Signature is null) throw new ArgumentException("signature is missing; use \"\" for none.");
        if (p.ForbiddenWords is null || p.ForbiddenWords.Any(string.IsNullOrWhiteSpace))
            throw new ArgumentException("forbiddenWords must be a list of non-empty words or phrases.");
        if (p.Languages is null || !p.Languages.ContainsKey(Playbook.English))
            throw new ArgumentException("languages must have \"en\" texts (the fallback for every lead); add others such as \"de\" as needed.");
        foreach (var (language, text) in p.Languages)
        {
            var where = $"languages.{language}";
            if (text is null) throw new ArgumentException($"{where} is empty.");
            if (string.IsNullOrWhiteSpace(text.ProductSummary)) throw new ArgumentException($"{where}.productSummary is empty; say in one phrase what the product does.");
            if (text.ValuePoints is null || !text.ValuePoints.ContainsKey("*"))
                throw new ArgumentException($"{where}.valuePoints needs a \"*\" entry: the value point for industries without their own.");
            if (text.AllowedOffers is null || text.AllowedOffers.Count == 0 || text.AllowedOffers.Any(string.IsNullOrWhiteSpace))
                throw new ArgumentException($"{where}.allowedOffers needs at least one offer phrase; drafts may offer only these.");
            if (string.IsNullOrWhiteSpace(text.OptOutLine)) throw new ArgumentException($"{where}.optOutLine is empty; every marketing mail needs one.");
        }
    }
}
