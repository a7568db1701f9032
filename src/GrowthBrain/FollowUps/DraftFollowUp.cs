using GrowthBrain.Data;
using GrowthBrain.Leads;
using GrowthBrain.Scoring;

namespace GrowthBrain.FollowUps;

/// <param name="LeadIdOrEmail">The lead's id, or its e-mail address.</param>
/// <param name="Goal">What the e-mail is for; null picks one from the lead's activity.</param>
public sealed record DraftFollowUp(string LeadIdOrEmail, FollowUpGoal? Goal = null, Tone Tone = Tone.Friendly)
{
    /// <summary>The team's stored playbook (CreateDraft passes it); <see cref="Playbook.Default"/> when null.</summary>
    public Playbook? Playbook { get; init; }
}

public sealed record DraftResult(
    long LeadId,
    string Writer,
    FollowUpGoal Goal,
    Tone Tone,
    string Language,
    string Subject,
    string Body,
    string CallToAction,
    IReadOnlyList<string> FactsUsed,
    IReadOnlyList<Violation> Violations,
    bool Sendable,
    string WriterLabel,
    long InputTokens,
    long OutputTokens,
    decimal? Cost,
    bool Regenerated,
    IReadOnlyList<string> Warnings);

/// <summary>
/// Drafts a follow-up for one lead: its facts, the reasons its score gives (when a model is active) and
/// the playbook, written by the configured writer and checked by every guardrail. A failing draft from a
/// writer that can do better (an LLM) is written once more with the reasons; if it still fails it is
/// returned with its violations and cannot be sent until a person edits it.
/// </summary>
public sealed class DraftFollowUpHandler(GrowthBrainDb db, ActiveModels models, ScoreLeadHandler scorer, IDraftWriter writer, TimeProvider clock)
{
    public static readonly TimeSpan ColdAfter = TimeSpan.FromDays(60);

    /// <summary>How much of the lead's own text goes to a writer: enough for context, not a whole history.</summary>
    public const int LeadTextLimit = 1_000;

    public const int RecentLeadTexts = 5;

    public async Task<DraftResult> HandleAsync(DraftFollowUp request, CancellationToken ct)
    {
        var lead = await FindAsync(request.LeadIdOrEmail, ct);
        var goal = request.Goal ?? await DefaultGoalAsync(lead, ct);

        IReadOnlyList<Factor> factorsFor = [];
        if (await models.GetAsync(db, lead.TeamId, ct) is not null)
        {
            var view = await scorer.HandleAsync(new ScoreLead(lead.Id, "draft", Store: false), ct);
            factorsFor = view?.For ?? [];
        }

        var playbook = request.Playbook ?? Playbook.Default;
        var input = new DraftInput(lead, goal, request.Tone, playbook, factorsFor, await LeadTextsAsync(lead, ct));
        var written = await writer.WriteAsync(input, null, ct);
        var check = Guardrails.Check(written.Draft, lead, playbook);
        var usage = written.Usage;
        var warnings = written.Warnings.ToList();
        var regenerated = false;
        if (!check.Sendable && written.Regenerable)
        {
            written = await writer.WriteAsync(input, new Revision(written.Draft, check.Violations), ct);
            check = Guardrails.Check(written.Draft, lead, playbook);
            usage = usage.Add(written.Usage);
            warnings.AddRange(written.Warnings);
            regenerated = true;
        }
        var draft = written.Draft;
        return new DraftResult(lead.Id, draft.Writer, goal, request.Tone, draft.Language, draft.Subject, draft.Body, draft.CallToAction,
            draft.FactsUsed, check.Violations, check.Sendable, written.WriterLabel, usage.InputTokens, usage.OutputTokens, usage.Cost,
            regenerated, warnings);
    }

    /// <summary>The lead's notes and its latest replies, form answers and notes as the CRM recorded them.</summary>
    private async Task<IReadOnlyList<LeadText>> LeadTextsAsync(Lead lead, CancellationToken ct)
    {
        var texts = new List<LeadText>();
        if (!string.IsNullOrWhiteSpace(lead.Notes)) texts.Add(new("note", Cut(lead.Notes)));
        var kinds = new[] { ActivityType.EmailReplied, ActivityType.FormSubmission, ActivityType.Note };
        var recent = await db.Activities.AsNoTracking()
            .Where(a => a.LeadId == lead.Id && kinds.Contains(a.Type) && a.Subject != null && a.Subject != "")
            .OrderByDescending(a => a.OccurredAt).Take(RecentLeadTexts)
            .Select(a => new { a.Type, a.Subject })
            .ToListAsync(ct);
        texts.AddRange(recent.Select(a => new LeadText(a.Type switch
        {
            ActivityType.EmailReplied => "reply",
            ActivityType.FormSubmission => "form answer",
            _ => "note",
        }, Cut(a.Subject!))));
        return texts;
    }

    private static string Cut(string text) => text.Length <= LeadTextLimit ? text.Trim() : text[..LeadTextLimit].Trim();

    private async Task<Lead> FindAsync(string idOrEmail, CancellationToken ct)
    {
        var key = idOrEmail.Trim();
        Lead? lead = null;
        if (long.TryParse(key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
        {
            lead = await db.Leads.AsNoTracking().FirstOrDefaultAsync(l => l.Id == id, ct);
        }
        else if (key.Contains('@'))
        {
            var email = key.ToLowerInvariant();
            lead = await db.Leads.AsNoTracking().OrderBy(l => l.Id).FirstOrDefaultAsync(l => l.EmailNormalized == email, ct);
        }
        return lead ?? throw new LeadNotFoundException(
            $"No lead has the id or e-mail '{key}'; pass a lead id (a number) or the lead's e-mail address.");
    }

    /// <summary>Cold beats everything; then a meeting means a demo happened; e-mails without a reply mean a nudge.</summary>
    private async Task<FollowUpGoal> DefaultGoalAsync(Lead lead, CancellationToken ct)
    {
        var activity = await db.Activities.AsNoTracking().Where(a => a.LeadId == lead.Id)
            .GroupBy(a => a.Type)
            .Select(g => new { Type = g.Key, Last = g.Max(a => a.OccurredAt) })
            .ToListAsync(ct);
        var lastTouch = activity.Select(a => (DateTime?)a.Last).Append(lead.LastActivityAt).Max();
        if (lastTouch is null) return FollowUpGoal.FirstTouch;
        if (clock.GetUtcNow().UtcDateTime - lastTouch.Value > ColdAfter) return FollowUpGoal.ReEngage;
        if (activity.Any(a => a.Type == ActivityType.Meeting)) return FollowUpGoal.AfterDemo;
        if (activity.Any(a => a.Type == ActivityType.EmailSent) && activity.All(a => a.Type != ActivityType.EmailReplied)) return FollowUpGoal.NoReplyYet;
        return FollowUpGoal.FirstTouch;
    }
}
