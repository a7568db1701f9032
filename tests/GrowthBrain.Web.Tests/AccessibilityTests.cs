using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GrowthBrain.Web.Tests;

/// <summary>
/// Every main page in a real browser: each visible control has an accessible name (label, aria-label, text or
/// title), images have alt text, the document has a language, a title, an h1 and a main landmark, and the keyboard
/// alone gets from the top of the page into its content. Runs against the scored app so the pages show their tables.
/// </summary>
public sealed class AccessibilityTests(ScoredSqliteWebAppFixture app, BrowserFixture browser)
    : IClassFixture<ScoredSqliteWebAppFixture>, IClassFixture<BrowserFixture>
{
    private const float Timeout = 45_000;

    static AccessibilityTests() => SetDefaultExpectTimeout(Timeout);

    /// <summary>Lists what a screen reader user could not name; the same rules as the accessible-name computation, simplified.</summary>
    internal const string Audit = """
        () => {
          const visible = e => !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length) && getComputedStyle(e).visibility !== 'hidden';
          const text = e => (e.innerText || e.textContent || '').trim();
          const byIds = ids => ids.split(/\s+/).map(id => document.getElementById(id)).filter(Boolean).map(text).join(' ').trim();
          const name = e => {
            const aria = (e.getAttribute('aria-label') || '').trim();
            if (aria) return aria;
            if (e.getAttribute('aria-labelledby')) { const t = byIds(e.getAttribute('aria-labelledby')); if (t) return t; }
            if (e.labels && e.labels.length) { const t = [...e.labels].map(text).join(' ').trim(); if (t) return t; }
            const wrapping = e.closest('label');
            if (wrapping && text(wrapping)) return text(wrapping);
            const role = e.getAttribute('role') || '';
            if (['BUTTON', 'A'].includes(e.tagName) || ['button', 'tab', 'link', 'menuitem', 'option', 'switch', 'checkbox'].includes(role)) {
              const t = text(e);
              if (t) return t;
              const img = e.querySelector('img[alt]');
              if (img && img.alt.trim()) return img.alt.trim();
            }
            const title = (e.getAttribute('title') || '').trim();
            if (title) return title;
            if (e.tagName === 'INPUT' && ['submit', 'button', 'reset'].includes(e.type) && e.value) return e.value;
            return '';
          };
          const controls = 'input:not([type=hidden]), select, textarea, button, a[href], [role=button], [role=checkbox], [role=switch], [role=combobox], [role=tab], [role=slider]';
          const problems = [];
          for (const e of document.querySelectorAll(controls)) {
            if (!visible(e) || e.closest('[aria-hidden=true]')) continue;
            if (!name(e)) problems.push('control without a name: ' + e.outerHTML.slice(0, 200));
          }
          for (const img of document.querySelectorAll('img')) {
            if (visible(img) && !img.hasAttribute('alt')) problems.push('image without alt: ' + img.outerHTML.slice(0, 200));
          }
          if (!document.documentElement.lang) problems.push('<html> has no lang');
          if (!document.title.trim()) problems.push('the page has no <title>');
          if (!document.querySelector('h1')) problems.push('the page has no <h1>');
          if (!document.querySelector('main')) problems.push('the page has no <main> landmark');
          return problems;
        }
        """;

    private async Task<string> LeadPathAsync()
    {
        using var client = app.CreateClient();
        using var page = JsonDocument.Parse(await client.GetStringAsync("/api/leads?pageSize=1&sortBy=score&descending=true", TestContext.Current.CancellationToken));
        return $"/leads/{page.RootElement.GetProperty("items")[0].GetProperty("id").GetInt64()}";
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/leads")]
    [InlineData("lead")]
    [InlineData("/followups")]
    [InlineData("/sequences")]
    [InlineData("/sources")]
    [InlineData("/team")]
    [InlineData("/model")]
    [InlineData("/integrations")]
    [InlineData("/settings")]
    public async Task Every_control_on_the_page_has_a_name_and_the_page_has_its_landmarks(string path)
    {
        if (path == "lead") path = await LeadPathAsync();
        await OnPageAsync(path, async page =>
        {
            await Expect(page.Locator("main h1").First).ToBeVisibleAsync();
            await WaitInteractiveAsync(page);
            var problems = await page.EvaluateAsync<string[]>(Audit);
            problems.ShouldBeEmpty($"{path}:\n" + string.Join("\n", problems));
        }, $"{nameof(Every_control_on_the_page_has_a_name_and_the_page_has_its_landmarks)}_{path.Trim('/').Replace('/', '_')}");
    }

    [Fact]
    public async Task The_audit_reports_a_control_without_a_name_and_an_image_without_alt() => await OnPageAsync("/", async page =>
    {
        await Expect(page.Locator("main h1").First).ToBeVisibleAsync();
        // Insert only once the circuit has taken over the page: its first interactive render replaces what is in main.
        await WaitInteractiveAsync(page);
        await page.EvaluateAsync("""
            () => document.querySelector('main').insertAdjacentHTML('beforeend',
              '<button id="unnamed"></button><input id="unlabelled"><img id="no-alt" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="4" height="4">')
            """);

        var problems = await page.EvaluateAsync<string[]>(Audit);

        problems.Count(p => p.Contains("id=\"unnamed\"") || p.Contains("id=\"unlabelled\"")).ShouldBe(2, string.Join("\n", problems));
        problems.ShouldContain(p => p.StartsWith("image without alt") && p.Contains("no-alt"));
    });

    [Theory]
    [InlineData("/")]
    [InlineData("/leads")]
    [InlineData("/settings")]
    public async Task The_keyboard_alone_reaches_the_page_content_and_focus_stays_visible(string path) => await OnPageAsync(path, async page =>
    {
        await Expect(page.Locator("main h1").First).ToBeVisibleAsync();
        await WaitInteractiveAsync(page);

        // Blazor puts focus on the page's h1 after each navigation (FocusOnNavigate), so a screen reader reads the
        // title and the next Tab is already in the content. It does so once the circuit has rendered, which network
        // idleness does not tell, so wait for the focus itself (a state), then check what holds it.
        await Expect(page.Locator("main h1").First).ToBeFocusedAsync();
        var start = await FocusAsync(page);
        start.GetProperty("tag").GetString().ShouldBe("H1", $"focus after loading {path}: {start.GetProperty("what").GetString()}");
        await page.Keyboard.PressAsync("Tab");
        var next = await FocusAsync(page);
        next.GetProperty("inMain").GetBoolean().ShouldBeTrue($"Tab from the title focused {next.GetProperty("what").GetString()}");
        next.GetProperty("visible").GetBoolean().ShouldBeTrue();

        // Backwards through the whole menu to the first stop, the skip link; every stop on the way is visible.
        var reachedSkip = false;
        for (var i = 0; i < 40 && !reachedSkip; i++)
        {
            await page.Keyboard.PressAsync("Shift+Tab");
            var focus = await FocusAsync(page);
            if (focus.GetProperty("none").GetBoolean()) continue;
            focus.GetProperty("visible").GetBoolean().ShouldBeTrue($"Shift+Tab {i + 1} focused something invisible: {focus.GetProperty("what").GetString()}");
            reachedSkip = focus.GetProperty("text").GetString() == "Skip to content";
        }
        reachedSkip.ShouldBeTrue($"40 presses of Shift+Tab never reached the skip link on {path}");
        await Expect(page.Locator(".skip-link")).ToBeInViewportAsync();

        // And the skip link jumps over the menu again.
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("main#content")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Tab");
        var afterSkip = await FocusAsync(page);
        afterSkip.GetProperty("inMain").GetBoolean().ShouldBeTrue($"after Skip to content, Tab focused {afterSkip.GetProperty("what").GetString()}");
    }, $"{nameof(The_keyboard_alone_reaches_the_page_content_and_focus_stays_visible)}_{path.Trim('/')}");

    private static Task<JsonElement> FocusAsync(IPage page) => page.EvaluateAsync<JsonElement>("""
        () => {
          const e = document.activeElement;
          if (!e || e === document.body) return { none: true, tag: '', what: '(nothing)' };
          const r = e.getBoundingClientRect();
          return { none: false, tag: e.tagName, inMain: !!e.closest('main') && e.tagName !== 'MAIN', visible: r.width > 0 && r.height > 0 && r.bottom > 0,
                   text: (e.innerText || '').trim(), what: e.outerHTML.slice(0, 160) };
        }
        """);

    /// <summary>Pages are prerendered; the audit runs once the interactive circuit has taken over (Blazor marks nothing, so wait for its socket to settle).</summary>
    private static async Task WaitInteractiveAsync(IPage page)
    {
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined");
        await page.WaitForTimeoutAsync(0);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle, new PageWaitForLoadStateOptions { Timeout = 15_000 }).ContinueWith(_ => { });
    }

    private Task OnPageAsync(string path, Func<IPage, Task> test, [CallerMemberName] string name = "") =>
        browser.RunAsync(app.BaseAddress, path, Timeout, test, name);
}
