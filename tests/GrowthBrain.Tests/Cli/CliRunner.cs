using System.Diagnostics;

namespace GrowthBrain.Tests.Cli;

public sealed record CliResult(int ExitCode, string StdOut, string StdErr);

/// <summary>Runs the real `growthbrain` CLI (GrowthBrain.Cli.dll, built next to the tests) as a child process.</summary>
public static class CliRunner
{
    /// <summary>The environment that points the CLI at a test database, as an operator would configure it.</summary>
    public static Dictionary<string, string> EnvironmentFor(GrowthBrain.Tests.Infrastructure.TestDatabase database) => new()
    {
        ["Database__Provider"] = database.Provider.ToString(),
        ["ConnectionStrings__GrowthBrain"] = database.Factory.Settings.ConnectionString,
    };

    public static async Task<CliResult> RunAsync(string workingDirectory, IDictionary<string, string> environment, CancellationToken ct, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "GrowthBrain.Cli.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (k, v) in environment) start.Environment[k] = v;

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
