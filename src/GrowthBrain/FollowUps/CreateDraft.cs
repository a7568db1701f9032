using GrowthBrain.Leads;
using GrowthBrain.Audit;
using GrowthBrain.Data;

namespace GrowthBrain.FollowUps;

/// <param name="Actor">Who asked for the draft (a user, "demo", "cli").</param>
/// <param name="PublicBaseUrl">Where the unsubscribe link points when App:PublicUrl is not set (the request's own address); only used by auto-send.</param>
/// <param name="AutoSend">False keeps the draft pending even when the playbook allows auto-send: a sequence step decides itself, and sends in business hours.</param>
public sealed record CreateDraft(long LeadId, string Actor, FollowUpGoal? Goal = null, Tone Tone = Tone.Friendly, Uri? PublicBaseUrl = null, bool AutoSend = true);

/// <summary>
/// Writes a draft for a lead with the team's playbook (through <see cref="DraftFollowUpHandler"/>, which picks the
/// writer and runs the guardrails) and stores it for a person's approval. When the team's playbook allows auto-send,
/// sending is configured and the draft passes every check, it is approved and sent at once as actor "auto-send".
/// </summary>
public sealed class CreateDraftHandler(
    GrowthBrainDb db, DraftFollowUpHandler drafter, GetPlaybookHandler playbooks, SendDraftHandler sender, AuditLog audit, TimeProvider clock)
{
    public const string AutoSendActor = "auto-send";

    public async Task<DraftView> HandleAsync(CreateDraft request, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Actor)) throw new ArgumentException("actor is empty; say who asked for the draft.");
        var lead = await db.Leads.AsNoTracking().FirstOrDefaultAsync(l => l.Id == request.LeadId, ct)
            ?? throw new LeadNotFoundException($"No lead has the id {request.LeadId}; pick one from GET /api/leads.");
        var playbook = await playbooks.GetOrSeedAsync(lead.TeamId, ct);
        var written = await drafter.HandleAsync(
            new DraftFollowUp(GetDraftHandler.Id(lead.Id), request.Goal, request.Tone) { Playbook = playbook.Read() }, ct);

        var draft = new FollowUpDraft
        {
            TeamId = lead.TeamId, LeadId = lead.Id, Writer = written.Writer, Goal = written.Goal, Tone = written.Tone, Language = written.Language,
            Subject = written.Subject, Body = written.Body, CallToAction = written.CallToAction,
            OriginalSubject = written.Subject, OriginalBody = written.Body,
            Violations = FollowUpDraft.WriteViolations(written.Violations),
            Status = DraftStatus.Pending, PlaybookVersion = playbook.Version,
            CreatedAt = clock.GetUtcNow().UtcDateTime, CreatedBy = request.Actor,
        };
        db.FollowUpDrafts.Add(draft);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(db, request.Actor, "draft.created", draft.TeamId, "draft", GetDraftHandler.Id(draft.Id),
            $"lead {lead.Id}; {draft.Writer} writer; {draft.Goal}; {(written.Sendable ? "passes every guardrail" : $"{written.Violations.Count} guardrail problem(s)")}", ct);

        if (request.AutoSend && playbook.AutoSendAllowed && written.Sendable && sender.Enabled)
        {
            // Only a draft that passed every check gets here; everything else waits for a person.
            draft.Status = DraftStatus.Approved;
            draft.ApprovedBy = AutoSendActor;
            draft.ApprovedAt = clock.GetUtcNow().UtcDateTime;
            audit.Add(db, AutoSendActor, "draft.approved", draft.TeamId, "draft", GetDraftHandler.Id(draft.Id), "playbook allows auto-send; passes every guardrail");
            await db.SaveChangesAsync(ct);
            return await sender.HandleAsync(new SendDraft(draft.Id, AutoSendActor, request.PublicBaseUrl), ct);
        }
        return DraftView.From(draft, lead);
    }
}
