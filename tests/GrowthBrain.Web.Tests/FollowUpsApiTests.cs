using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using GrowthBrain.FollowUps;
using GrowthBrain.Tests.FollowUps;
using Microsoft.AspNetCore.Mvc;

namespace GrowthBrain.Web.Tests;

/// <summary>An app fixture whose mail server is an in-process SMTP server.</summary>
public interface ISmtpFixture
{
    SmtpTestServer Smtp { get; }
    Uri BaseAddress { get; }
    HttpClient CreateClient();

    static IEnumerable<KeyValuePair<string, string?>> SettingsFor(SmtpTestServer smtp) =>
    [
        new("Smtp:Host", "127.0.0.1"),
        new("Smtp:Port", smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Smtp:From", "Sam Carter <sam@northwind.example>"),
    ];
}

public sealed class SmtpSqliteWebAppFixture : SqliteWebAppFixture, ISmtpFixture
{
    public SmtpTestServer Smtp { get; } = new();

    protected override IEnumerable<KeyValuePair<string, string?>> Settings => ISmtpFixture.SettingsFor(Smtp);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

public sealed class SmtpPostgresWebAppFixture : PostgresWebAppFixture, ISmtpFixture
{
    public SmtpTestServer Smtp { get; } = new();

    protected override IEnumerable<KeyValuePair<string, string?>> Settings => ISmtpFixture.SettingsFor(Smtp);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

public sealed class FollowUpsApiTests_Sqlite(SmtpSqliteWebAppFixture app) : FollowUpsApiTests<SmtpSqliteWebAppFixture>(app);

public sealed class FollowUpsApiTests_Postgres(SmtpPostgresWebAppFixture app) : FollowUpsApiTests<SmtpPostgresWebAppFixture>(app);

/// <summary>Shared by the API and page tests.</summary>
public static class FollowUpsClient
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    internal static async Task<DraftView> CreateDraftAsync(HttpClient client, long leadId, CancellationToken ct)
    {
        var response = await client.PostAsJsonAsync("/api/drafts", new { leadId }, ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(ct));
        return (await response.Content.ReadFromJsonAsync<DraftView>(Json, ct))!;
    }

    internal static async Task<List<long>> LeadIdsAsync(HttpClient client, int count, int skip, CancellationToken ct)
    {
        using var page = JsonDocument.Parse(await client.GetStringAsync($"/api/leads?pageSize=100&outcome=Open", ct));
        return page.RootElement.GetProperty("items").EnumerateArray()
            .Where(i => i.TryGetProperty("email", out var e) && e.ValueKind == JsonValueKind.String)
            .Select(i => i.GetProperty("id").GetInt64()).Skip(skip).Take(count).ToList();
    }
}

/// <summary>Drafts, sending and unsubscribe through HTTP, as API clients and mail providers use them.</summary>
public abstract class FollowUpsApiTests<TFixture>(TFixture app) : IClassFixture<TFixture>
    where TFixture : class, ISmtpFixture
{
    private static readonly JsonSerializerOptions Json = FollowUpsClient.Json;

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<DraftView> CreateDraftAsync(HttpClient client, long leadId, CancellationToken ct) => FollowUpsClient.CreateDraftAsync(client, leadId, ct);

    private static Task<List<long>> LeadIdsAsync(HttpClient client, int count, int skip, CancellationToken ct) => FollowUpsClient.LeadIdsAsync(client, count, skip, ct);

    [Fact]
    public async Task Drafts_are_stored_listed_approved_and_sent_with_problem_details_for_wrong_states()
    {
        using var client = app.CreateClient();
        var leadId = (await LeadIdsAsync(client, 1, skip: 0, Ct))[0];
        var draft = await CreateDraftAsync(client, leadId, Ct);

        var queue = await client.GetFromJsonAsync<List<DraftView>>("/api/drafts?status=Pending", Json, Ct);
        queue.ShouldNotBeNull().Select(d => d.Id).ShouldContain(draft.Id);
        (await client.GetFromJsonAsync<DraftView>($"/api/drafts/{draft.Id}", Json, Ct))!.Subject.ShouldBe(draft.Subject);

        var sendPending = await client.PostAsync($"/api/drafts/{draft.Id}/send", null, Ct);
        sendPending.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        sendPending.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await sendPending.Content.ReadFromJsonAsync<ProblemDetails>(Ct))!.Detail.ShouldNotBeNull().ShouldContain("approve it first");

        (await client.PostAsync($"/api/drafts/{draft.Id}/approve", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var twice = await client.PostAsync($"/api/drafts/{draft.Id}/approve", null, Ct);
        twice.StatusCode.ShouldBe(HttpStatusCode.Conflict);

        var sent = await client.PostAsync($"/api/drafts/{draft.Id}/send", null, Ct);
        sent.StatusCode.ShouldBe(HttpStatusCode.OK, await sent.Content.ReadAsStringAsync(Ct));
        var view = (await sent.Content.ReadFromJsonAsync<DraftView>(Json, Ct))!;
        view.Status.ShouldBe(DraftStatus.Sent);
        var mail = (await app.Smtp.WaitForAsync(1)).First(m => m.Message.MessageId == view.MessageId);
        // No App:PublicUrl here: the link points at the address the request came in on.
        mail.Message.Headers["List-Unsubscribe"].ShouldNotBeNull().ShouldStartWith($"<{app.BaseAddress}unsubscribe/");

        var badRating = await client.PostAsJsonAsync($"/api/drafts/{draft.Id}/rate", new { rating = 9 }, Ct);
        badRating.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await client.PostAsJsonAsync($"/api/drafts/{draft.Id}/rate", new { rating = 5, comment = "Sent as is" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.PostAsync("/api/drafts/99999999/approve", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var rates = await client.GetFromJsonAsync<ReplyRates>("/api/insights/reply-rates", Json, Ct);
        rates.ShouldNotBeNull().Overall.Sent.ShouldBeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task A_teams_playbook_is_read_and_replaced_through_the_api_with_validation()
    {
        using var client = app.CreateClient();
        // The fixture's database is fresh: its one team is team 1.
        var current = await client.GetFromJsonAsync<PlaybookView>("/api/playbooks/1", Json, Ct);
        current.ShouldNotBeNull().Playbook.ProductName.ShouldBe(Playbook.Default.ProductName);

        var bad = await client.PutAsJsonAsync("/api/playbooks/1", new { playbook = current.Playbook, autoSendAllowed = false, dailyCapPerMailbox = -1 }, Json, Ct);
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await bad.Content.ReadFromJsonAsync<ProblemDetails>(Ct))!.Detail.ShouldNotBeNull().ShouldContain("dailyCapPerMailbox is -1");

        var saved = await client.PutAsJsonAsync("/api/playbooks/1",
            new { playbook = current.Playbook with { Signature = "Kim Lee, Northwind" }, autoSendAllowed = false, dailyCapPerMailbox = 150 }, Json, Ct);
        saved.StatusCode.ShouldBe(HttpStatusCode.OK, await saved.Content.ReadAsStringAsync(Ct));
        var view = (await saved.Content.ReadFromJsonAsync<PlaybookView>(Json, Ct))!;
        view.Version.ShouldBe(current.Version + 1);
        view.Playbook.Signature.ShouldBe("Kim Lee, Northwind");
        view.DailyCapPerMailbox.ShouldBe(150);
    }

    [Fact]
    public async Task Edit_reject_and_regenerate_through_the_api()
    {
        using var client = app.CreateClient();
        var ids = await LeadIdsAsync(client, 2, skip: 1, Ct);
        var draft = await CreateDraftAsync(client, ids[0], Ct);

        var edited = await client.PutAsJsonAsync($"/api/drafts/{draft.Id}", new { subject = "Only today: act now", body = draft.Body }, Ct);
        edited.StatusCode.ShouldBe(HttpStatusCode.OK);
        var view = (await edited.Content.ReadFromJsonAsync<DraftView>(Json, Ct))!;
        view.Sendable.ShouldBeFalse();
        view.EditDiff.ShouldNotBeNull().ShouldContain("+ Subject: Only today: act now");
        var approve = await client.PostAsync($"/api/drafts/{draft.Id}/approve", null, Ct);
        approve.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await approve.Content.ReadFromJsonAsync<ProblemDetails>(Ct))!.Detail.ShouldNotBeNull().ShouldContain("edit it");

        (await client.PostAsync($"/api/drafts/{draft.Id}/regenerate", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await client.PostAsJsonAsync($"/api/drafts/{draft.Id}/regenerate", new { discardEdits = true }, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await client.PostAsJsonAsync($"/api/drafts/{draft.Id}/reject", new { reason = "" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await client.PostAsJsonAsync($"/api/drafts/{draft.Id}/reject", new { reason = "Wrong person" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.PostAsync($"/api/drafts/{draft.Id}/approve", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task The_unsubscribe_link_confirms_then_one_click_post_suppresses_and_the_next_send_is_refused()
    {
        using var client = app.CreateClient();
        var leadId = (await LeadIdsAsync(client, 1, skip: 3, Ct))[0];
        var first = await CreateDraftAsync(client, leadId, Ct);
        await client.PostAsync($"/api/drafts/{first.Id}/approve", null, Ct);
        var sent = (await (await client.PostAsync($"/api/drafts/{first.Id}/send", null, Ct)).Content.ReadFromJsonAsync<DraftView>(Json, Ct))!;
        await app.Smtp.WaitForAsync(1);
        var mail = app.Smtp.Messages.First(m => m.Message.MessageId == sent.MessageId);
        var header = mail.Message.Headers["List-Unsubscribe"].ShouldNotBeNull();
        var link = new Uri(header[1..header.IndexOf('>')]);

        var page = await client.GetAsync(link.PathAndQuery, Ct);
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await page.Content.ReadAsStringAsync(Ct);
        html.ShouldContain("<form method=\"post\"");
        html.ShouldContain("Unsubscribe");

        // What a mail provider sends for one-click (RFC 8058): a form POST, no cookies, no antiforgery token.
        using var oneClick = new HttpClient { BaseAddress = app.BaseAddress };
        var post = await oneClick.PostAsync(link.PathAndQuery, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]), Ct);
        post.StatusCode.ShouldBe(HttpStatusCode.OK, await post.Content.ReadAsStringAsync(Ct));
        (await post.Content.ReadAsStringAsync(Ct)).ShouldContain("no more follow-up e-mails");

        var second = await CreateDraftAsync(client, leadId, Ct);
        await client.PostAsync($"/api/drafts/{second.Id}/approve", null, Ct);
        var refused = (await (await client.PostAsync($"/api/drafts/{second.Id}/send", null, Ct)).Content.ReadFromJsonAsync<DraftView>(Json, Ct))!;
        refused.Status.ShouldBe(DraftStatus.Failed);
        refused.Error.ShouldNotBeNull().ShouldContain("suppression list");

        var invalid = await oneClick.GetAsync("/unsubscribe/not-a-real-token", Ct);
        invalid.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await invalid.Content.ReadAsStringAsync(Ct)).ShouldContain("not valid");
        (await oneClick.PostAsync("/unsubscribe/not-a-real-token", new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]), Ct))
            .StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }
}
