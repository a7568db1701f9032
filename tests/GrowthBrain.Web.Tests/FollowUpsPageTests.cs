using System.Net.Http.Json;
using GrowthBrain.FollowUps;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GrowthBrain.Web.Tests;

/// <summary>The approval queue in a real browser against the real app, sending to an in-process SMTP server.</summary>
public sealed class FollowUpsPageTests(SmtpSqliteWebAppFixture app, BrowserFixture browser)
    : IClassFixture<SmtpSqliteWebAppFixture>, IClassFixture<BrowserFixture>
{
    private const float Timeout = 45_000;

    static FollowUpsPageTests() => SetDefaultExpectTimeout(Timeout);

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Approving_and_sending_a_draft_takes_it_out_of_the_queue_and_the_mail_arrives()
    {
        using var client = app.CreateClient();
        var ids = await FollowUpsClient.LeadIdsAsync(client, 2, skip: 10, Ct);
        var draft = await FollowUpsClient.CreateDraftAsync(client, ids[0], Ct);
        var other = await FollowUpsClient.CreateDraftAsync(client, ids[1], Ct);

        await browser.RunAsync(app.BaseAddress, "/followups", Timeout, async page =>
        {
            var card = page.Locator($"#draft-{draft.Id}");
            await Expect(card).ToBeVisibleAsync();
            await Expect(card.Locator(".writer")).ToContainTextAsync("template writer");
            await Expect(card.Locator(".check")).ToContainTextAsync("Passes every guardrail");
            await Expect(page.Locator($"#draft-{other.Id}")).ToBeVisibleAsync();
            await Expect(page.Locator("#drafts-only")).ToHaveCountAsync(0);

            var approveAndSend = card.Locator("button.approve-send");
            await Expect(approveAndSend).ToBeEnabledAsync();
            await approveAndSend.ClickAsync();

            await Expect(card).ToHaveCountAsync(0);
            await Expect(page.Locator($"#draft-{other.Id}")).ToBeVisibleAsync();
        }, nameof(Approving_and_sending_a_draft_takes_it_out_of_the_queue_and_the_mail_arrives));

        var sent = await client.GetFromJsonAsync<DraftView>($"/api/drafts/{draft.Id}", FollowUpsClient.Json, Ct);
        sent.ShouldNotBeNull().Status.ShouldBe(DraftStatus.Sent);
        sent.ApprovedBy.ShouldBe(WebAppFixture.OwnerEmail);
        await app.Smtp.WaitForAsync(1);
        var mail = app.Smtp.Messages.Single(m => m.Message.MessageId == sent.MessageId);
        mail.Recipients.ShouldBe([sent.LeadEmail!.ToLowerInvariant()]);
        mail.Message.Subject.ShouldBe(draft.Subject);
    }
}
