using Microsoft.Playwright;

namespace GrowthBrain.Web.Tests;

/// <summary>
/// Playwright driving Debian's Chromium (never Playwright's own download: no internet here).
/// The Node driver ships in the Microsoft.Playwright package and is copied to .playwright/ next to the tests.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var executable = Environment.GetEnvironmentVariable("PLAYWRIGHT_CHROMIUM_EXECUTABLE") is { Length: > 0 } e ? e : "/usr/bin/chromium";
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException(
                $"Chromium is not at {executable}; run scripts/install-browser.sh or set PLAYWRIGHT_CHROMIUM_EXECUTABLE.");
        }
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Timeout = 120_000,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
            ],
        });
    }

    /// <summary>
    /// Opens <paramref name="path"/> of the app in a fresh browser context, runs the test, and when it fails keeps a
    /// screenshot (next to the TRX files when scripts/test.sh says where, in TEST_RESULTS_DIR) and the browser console.
    /// </summary>
    public async Task RunAsync(Uri app, string path, float timeout, Func<IPage, Task> test, string testName)
    {
        await using var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.ToString() });
        context.SetDefaultTimeout(timeout);
        context.SetDefaultNavigationTimeout(timeout);
        var page = await context.NewPageAsync();
        var console = new List<string>();
        page.Console += (_, m) => { if (m.Type is "error" or "warning") lock (console) console.Add($"{m.Type}: {m.Text}"); };
        page.PageError += (_, e) => { lock (console) console.Add($"page error: {e}"); };
        try
        {
            await page.GotoAsync(path);
            await test(page);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var results = Environment.GetEnvironmentVariable("TEST_RESULTS_DIR") is { Length: > 0 } dir
                ? Path.GetFullPath(dir)
                : Path.Combine(AppContext.BaseDirectory, "TestResults");
            var screenshot = Path.Combine(results, "screenshots", testName + ".png");
            Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
            string saved;
            try
            {
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true, Timeout = 15_000 });
                saved = $"Screenshot: {screenshot}";
            }
            catch (Exception s)
            {
                saved = $"No screenshot ({s.Message})";
            }
            string logged;
            lock (console) logged = console.Count == 0 ? "" : "\nBrowser console:\n  " + string.Join("\n  ", console);
            throw new BrowserTestFailedException($"{e.Message}\n{saved} (page {page.Url}){logged}", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
    }
}

public sealed class BrowserTestFailedException(string message, Exception inner) : Exception(message, inner);
