using GrowthBrain.Data;
using GrowthBrain.Leads;

namespace GrowthBrain.FollowUps;

/// <summary>A sample draft with the team's saved playbook, for whoever edits it to see what it gives.</summary>
public sealed record TestPlaybook(long TeamId);

public sealed record PlaybookTest(long LeadId, DraftResult Draft);

/// <summary>Drafts for the team's newest open lead that was not erased. Drafted, shown and thrown away: a test neither stores a draft nor sends anything.</summary>
public sealed class TestPlaybookHandler(GrowthBrainDb db, GetPlaybookHandler playbooks, DraftFollowUpHandler drafter)
{
    public async Task<PlaybookTest> HandleAsync(TestPlaybook request, CancellationToken ct)
    {
        var lead = await db.Leads.AsNoTracking().Where(l => l.TeamId == request.TeamId && l.AnonymisedAt == null && l.Outcome == LeadOutcome.Open)
            .OrderByDescending(l => l.Id).Select(l => (long?)l.Id).FirstOrDefaultAsync(ct)
            ?? throw new ArgumentException("This team has no open leads to draft for; import some on the Integrations page first.");
        var playbook = await playbooks.HandleAsync(new GetPlaybook(request.TeamId), ct);
        var draft = await drafter.HandleAsync(new DraftFollowUp(lead.ToString(System.Globalization.CultureInfo.InvariantCulture)) { Playbook = playbook.Playbook }, ct);
        return new PlaybookTest(lead, draft);
    }
}
