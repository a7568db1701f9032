using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace GrowthBrain.Web.Tests;

/// <summary>`growthbrain demo` as a user runs it: the real CLI in a child process, in an empty folder.</summary>
public sealed class DemoCommandTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Demo_seeds_a_fresh_database_and_serves_the_app()
    {
        var ct = TestContext.Current.CancellationToken;
        var cli = Path.Combine(AppContext.BaseDirectory, "GrowthBrain.Cli.dll");
        File.Exists(cli).ShouldBeTrue($"{cli} is missing; the test project references src/GrowthBrain.Cli to put it there.");
        var folder = Directory.CreateTempSubdirectory("growthbrain-demo-test-").FullName;
        var url = $"http://127.0.0.1:{FreePort()}";

        var start = new ProcessStartInfo(DotnetHost(), ["exec", cli, "demo", "--leads", "200", "--urls", url])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["DOTNET_NOLOGO"] = "1";
        // Next to the tests sits the web project's appsettings.json (Information); keep the captured output short.
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var output = new StringBuilder();
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (output) output.AppendLine(e.Data);
            if (e.Data.Contains($"running at {url}", StringComparison.Ordinal)) running.TrySetResult();
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine("stderr: " + e.Data); };
        process.Exited += (_, _) => running.TrySetException(new InvalidOperationException($"demo exited early with code {process.ExitCode}"));

        string Output() { lock (output) return output.ToString(); }
        try
        {
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            try
            {
                await running.Task.WaitAsync(StartTimeout, ct);
            }
            catch (Exception e) when (e is TimeoutException or InvalidOperationException)
            {
                Assert.Fail($"demo did not print 'running at {url}' ({e.Message}). Output so far:\n{Output()}");
            }

            using var client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) };
            foreach (var path in new[] { "/", "/leads", "/followups" })
            {
                using var response = await client.GetAsync(path, ct);
                response.StatusCode.ShouldBe(HttpStatusCode.OK, $"GET {path}");
            }
            using var page = JsonDocument.Parse(await client.GetStringAsync("/api/leads", ct));
            page.RootElement.GetProperty("total").GetInt32().ShouldBe(200);
            // Drafts wait for approval for the best open leads, highest score first.
            using var drafts = JsonDocument.Parse(await client.GetStringAsync("/api/drafts?status=Pending", ct));
            var scores = drafts.RootElement.EnumerateArray().Select(d => d.GetProperty("leadScore").GetDouble()).ToList();
            scores.Count.ShouldBeInRange(5, 20, Output());
            scores.ShouldBeInOrder(SortDirection.Descending);
            File.Exists(Path.Combine(folder, "data", "demo.db")).ShouldBeTrue("the demo keeps its database in data/demo.db under the working directory");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
            }
            TryDelete(folder);
        }
    }

    /// <summary>The dotnet that runs the tests (set by the SDK), else the one on PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Only a leftover temp folder.
        }
    }
}
