using GrowthBrain.FollowUps;
using GrowthBrain.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace GrowthBrain.Tests.FollowUps;

public sealed class DraftApprovalTestsOnSqlite(SqliteDatabases databases) : DraftApprovalTests(databases);

public sealed class DraftApprovalTestsOnPostgres(PostgresDatabases databases) : DraftApprovalTests(databases);

/// <summary>Stored drafts and what people do with them (drafts-only mode: no SMTP server), on each provider.</summary>
public abstract class DraftApprovalTests(IDatabaseProvider databases)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_created_draft_is_stored_pending_with_the_writers_text_and_audited()
    {
        await using var h = await FollowUpHarness.CreateAsync(databases, smtp: null, Ct);
        var lead = (await h.LeadsAsync(1, Ct))[0];

        var draft = await h.CreateAsync(lead.Id, Ct);

        draft.Status.ShouldBe(DraftStatus.Pending);
        draft.LeadId.ShouldBe(lead.Id);
        draft.Writer.ShouldBe(TemplateWriter.Name);
        draft.Sendable.ShouldBeTrue(string.Join("\n", draft.Violations.Select(v => v.Message)));
        draft.Body.ShouldContain(lead.FirstName!);
        draft.OriginalBody.ShouldBe(draft.Body);
        draft.PlaybookVersion.ShouldBe(1);
        (await h.GetAsync(draft.Id, Ct)).ShouldBeEquivalentTo(draft);
        (await h.AuditAsync(draft.Id, Ct)).Select(a => (a.Action, a.Actor)).ShouldBe([("draft.created", "ann@team.example")]);
    }

    [Fact]
    public async Task Approving_a_rejected_draft_or_sending_a_pending_one_is_a_state_error_that_says_what_to_do()
    {
        await using var h = await FollowUpHarness.CreateAsync(databases, smtp: null, Ct);
        var leads = await h.LeadsAsync(2, Ct);
        var rejected = await h.CreateAsync(leads[0].Id, Ct);
        await h.RunAsync<RejectDraftHandler, DraftView>(x => x.HandleAsync(new RejectDraft(rejected.Id, "bob@team.example", "Too generic for this lead"), Ct));

        var error = await Should.ThrowAsync<DraftStateException>(() => h.ApproveAsync(rejected.Id, Ct));
        error.Message.ShouldContain("rejected");
        error.Message.ShouldContain("regenerate");

        var approved = await h.ApproveAsync((await h.CreateAsync(leads[1].Id, Ct)).Id, Ct);
        approved.Status.ShouldBe(DraftStatus.Approved);
        (await Should.ThrowAsync<DraftStateException>(() => h.ApproveAsync(approved.Id, Ct))).Message.ShouldContain("already approved");
        // No SMTP configured: sending says so instead of pretending.
        (await Should.ThrowAsync<DraftStateException>(() => h.SendAsync(approved.Id, Ct))).Message.ShouldContain("drafts-only");

        var view = await h.GetAsync(rejected.Id, Ct);
        view.Status.ShouldBe(DraftStatus.Rejected);
        view.RejectionReason.ShouldBe("Too generic for this lead");
        view.RejectedBy.ShouldBe("bob@team.example");
        (await h.AuditAsync(rejected.Id, Ct)).Select(a => a.Action).ShouldBe(["draft.created", "draft.rejected"]);
        await Should.ThrowAsync<DraftNotFoundException>(() => h.ApproveAsync(987654, Ct));
        await Should.ThrowAsync<ArgumentException>(() =>
            h.RunAsync<RejectDraftHandler, DraftView>(x => x.HandleAsync(new RejectDraft(approved.Id, "bob@team.example", "  "), Ct)));
    }

    [Fact]
    public async Task An_edit_keeps_the_writers_text_and_the_diff_and_the_persons_version_wins()
    {
        await using var h = await FollowUpHarness.CreateAsync(databases, smtp: null, Ct);
        var draft = await h.CreateAsync((await h.LeadsAsync(1, Ct))[0].Id, Ct);
        var lines = draft.Body.Split('\n').ToList();
        lines.Insert(2, "I also saw your team's post about planning the next quarter.");
        var edited = string.Join('\n', lines);

        var view = await h.RunAsync<EditDraftHandler, DraftView>(x => x.HandleAsync(new EditDraft(draft.Id, "ann@team.example", "A note for your team", edited), Ct));

        view.Subject.ShouldBe("A note for your team");
        view.Body.ShouldBe(edited);
        view.OriginalSubject.ShouldBe(draft.Subject);
        view.OriginalBody.ShouldBe(draft.Body);
        view.Edited.ShouldBeTrue();
        view.EditedBy.ShouldBe("ann@team.example");
        view.EditDiff.ShouldNotBeNull();
        view.EditDiff.ShouldContain("+ I also saw your team's post about planning the next quarter.");
        view.EditDiff.ShouldContain($"- Subject: {draft.Subject}");
        view.Sendable.ShouldBeTrue(string.Join("\n", view.Violations.Select(v => v.Message)));

        // Regenerating would throw the person's text away: refused unless asked for explicitly.
        var refused = await Should.ThrowAsync<DraftStateException>(() =>
            h.RunAsync<RegenerateDraftHandler, DraftView>(x => x.HandleAsync(new RegenerateDraft(draft.Id, "ann@team.example"), Ct)));
        refused.Message.ShouldContain("discardEdits");
        (await h.GetAsync(draft.Id, Ct)).Body.ShouldBe(edited);

        var approved = await h.ApproveAsync(draft.Id, Ct);
        approved.Body.ShouldBe(edited);
        (await h.AuditAsync(draft.Id, Ct)).Select(a => a.Action).ShouldBe(["draft.created", "draft.edited", "draft.approved"]);

        var regenerated = await h.RunAsync<RegenerateDraftHandler, DraftView>(x =>
            x.HandleAsync(new RegenerateDraft(draft.Id, "ann@team.example", Tone: Tone.Formal, DiscardEdits: true), Ct));
        regenerated.Status.ShouldBe(DraftStatus.Pending);
        regenerated.Edited.ShouldBeFalse();
        regenerated.Tone.ShouldBe(Tone.Formal);
        regenerated.Body.ShouldBe(regenerated.OriginalBody);
    }

    [Fact]
    public async Task An_edit_reruns_the_guardrails_so_a_failing_draft_cannot_be_approved_until_edited_to_pass()
    {
        await using var h = await FollowUpHarness.CreateAsync(databases, smtp: null, Ct);
        var draft = await h.CreateAsync((await h.LeadsAsync(1, Ct))[0].Id, Ct);
        var pushy = draft.Body.Replace("\n\n", "\n\nAct now, this is your last chance.\n\n", StringComparison.Ordinal);

        var bad = await h.RunAsync<EditDraftHandler, DraftView>(x => x.HandleAsync(new EditDraft(draft.Id, "ann@team.example", draft.Subject, pushy), Ct));

        bad.Sendable.ShouldBeFalse();
        bad.Violations.Select(v => v.Rule).ShouldContain(nameof(Guardrails.PressureTactics));
        var error = await Should.ThrowAsync<DraftStateException>(() => h.ApproveAsync(draft.Id, Ct));
        error.Message.ShouldContain("edit it");

        var fixedDraft = await h.RunAsync<EditDraftHandler, DraftView>(x => x.HandleAsync(new EditDraft(draft.Id, "ann@team.example", draft.Subject, draft.Body), Ct));
        fixedDraft.Sendable.ShouldBeTrue();
        (await h.ApproveAsync(draft.Id, Ct)).Status.ShouldBe(DraftStatus.Approved);

        // Editing an approved draft withdraws the approval: what was approved is not what would be sent.
        var again = await h.RunAsync<EditDraftHandler, DraftView>(x => x.HandleAsync(new EditDraft(draft.Id, "bob@team.example", "Short and sweet", draft.Body), Ct));
        again.Status.ShouldBe(DraftStatus.Pending);
        again.ApprovedBy.ShouldBeNull();
    }

    [Fact]
    public async Task Ratings_are_kept_and_checked()
    {
        await using var h = await FollowUpHarness.CreateAsync(databases, smtp: null, Ct);
        var draft = await h.CreateAsync((await h.LeadsAsync(1, Ct))[0].Id, Ct);

        var rated = await h.RunAsync<RateDraftHandler, DraftView>(x => x.HandleAsync(new RateDraft(draft.Id, "ann@team.example", 4, "Good opener"), Ct));

        rated.Rating.ShouldBe(4);
        rated.RatingComment.ShouldBe("Good opener");
        (await Should.ThrowAsync<ArgumentException>(() =>
            h.RunAsync<RateDraftHandler, DraftView>(x => x.HandleAsync(new RateDraft(draft.Id, "ann@team.example", 6), Ct)))).Message.ShouldContain("1 (poor) to 5");
        (await h.AuditAsync(draft.Id, Ct)).Last().ShouldSatisfyAllConditions(a => a.Action.ShouldBe("draft.rated"), a => a.Detail.ShouldBe("4/5: Good opener"));
    }

    [Fact]
    public async Task The_approval_queue_lists_pending_drafts_best_leads_first()
    {
        await using var h = await FollowUpHarness.CreateAsync(databases, smtp: null, Ct);
        var leads = await h.LeadsAsync(3, Ct);
        await using (var db = h.Database.NewContext())
        {
            var scores = new[] { 0.2, 0.9, 0.5 };
            for (var i = 0; i < 3; i++)
            {
                var id = leads[i].Id;
                var score = scores[i];
                await db.Leads.Where(l => l.Id == id).ExecuteUpdateAsync(s => s.SetProperty(l => l.ScoreProbability, score), Ct);
            }
        }
        var created = new List<DraftView>();
        foreach (var lead in leads) created.Add(await h.CreateAsync(lead.Id, Ct));
        var lowest = created[0];
        await h.RunAsync<RejectDraftHandler, DraftView>(x => x.HandleAsync(new RejectDraft(lowest.Id, "ann@team.example", "no"), Ct));

        var queue = await h.RunAsync<ListDraftsHandler, IReadOnlyList<DraftView>>(x => x.HandleAsync(new ListDrafts(DraftStatus.Pending), Ct));

        queue.Select(d => d.LeadScore).ShouldBe([0.9, 0.5]);
        (await h.RunAsync<ListDraftsHandler, IReadOnlyList<DraftView>>(x => x.HandleAsync(new ListDrafts(), Ct))).Count.ShouldBe(3);
    }

    [Fact]
    public async Task A_teams_playbook_is_stored_validated_and_used_for_new_drafts()
    {
        await using var h = await FollowUpHarness.CreateAsync(databases, smtp: null, Ct);
        var lead = (await h.LeadsAsync(1, Ct))[0];
        var playbook = Playbook.Default with { ProductName = "Contoso Forecast", ForbiddenWords = ["cheap", "synergy"] };

        var saved = await h.RunAsync<UpdatePlaybookHandler, PlaybookView>(x =>
            x.HandleAsync(new UpdatePlaybook(h.TeamId, "owner@team.example", playbook, AutoSendAllowed: false, DailyCapPerMailbox: 50), Ct));
        var draft = await h.CreateAsync(lead.Id, Ct);

        saved.Version.ShouldBe(2);
        var loaded = await h.RunAsync<GetPlaybookHandler, PlaybookView>(x => x.HandleAsync(new GetPlaybook(h.TeamId), Ct));
        loaded.Playbook.ProductName.ShouldBe("Contoso Forecast");
        loaded.Playbook.ForbiddenWords.ShouldBe(["cheap", "synergy"]);
        loaded.Playbook.For("de").AllowedOffers.ShouldBe(Playbook.Default.For("de").AllowedOffers);
        loaded.DailyCapPerMailbox.ShouldBe(50);
        draft.PlaybookVersion.ShouldBe(2);
        $"{draft.Subject}\n{draft.Body}".ShouldContain("Contoso Forecast");

        var error = await Should.ThrowAsync<ArgumentException>(() => h.RunAsync<UpdatePlaybookHandler, PlaybookView>(x =>
            x.HandleAsync(new UpdatePlaybook(h.TeamId, "owner@team.example", playbook, false, DailyCapPerMailbox: 0), Ct)));
        error.Message.ShouldContain("dailyCapPerMailbox is 0");
    }
}
