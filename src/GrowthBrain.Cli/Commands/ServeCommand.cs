using System.CommandLine;
using GrowthBrain.Data;
using GrowthBrain.Web;
using GrowthBrain.Web.Accounts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBrain.Cli.Commands;

/// <summary>`serve [--urls ...]`: the web app on the configured database.</summary>
public static class ServeCommand
{
    public const string DefaultUrls = "http://127.0.0.1:5080";

    public static readonly Option<string> Urls = new("--urls")
    {
        Description = "Where to listen, e.g. http://127.0.0.1:5080",
        DefaultValueFactory = _ => DefaultUrls,
    };

    public static Command Create()
    {
        var command = new Command("serve", "Run the web app on the configured database") { Urls };
        command.SetAction((result, ct) => CliServices.GuardAsync(() =>
            RunWebAppAsync(result.GetValue(Urls)!, overrides: null, banner: null, ct)));
        return command;
    }

    /// <summary>Migrates, starts the web app, prints where it is, and runs until Ctrl+C.</summary>
    public static async Task<int> RunWebAppAsync(string urls, IDictionary<string, string?>? overrides,
        Action<string>? banner, CancellationToken ct)
    {
        var app = GrowthBrainWebApp.Build([], builder =>
        {
            builder.WebHost.UseUrls(urls);
            if (overrides is not null) builder.Configuration.AddInMemoryCollection(overrides);
        });
        await app.PrepareDatabaseAsync(ct);
        try
        {
            await app.StartAsync(ct);
        }
        catch (IOException e)
        {
            await Console.Error.WriteLineAsync($"error: cannot listen on {urls} ({e.Message}); pass --urls with a free port, e.g. http://127.0.0.1:5081");
            return ExitCodes.BadInput;
        }
        var settings = app.Services.GetRequiredService<DatabaseSettings>();
        bool setUp;
        await using (var scope = app.Services.CreateSystemScope())
        {
            setUp = await scope.ServiceProvider.GetRequiredService<GrowthBrain.Accounts.SetUpOwnerHandler>().IsSetUpAsync(ct);
        }
        (banner ?? (u => Console.WriteLine(setUp
            ? $"GrowthBrain is running at {u} on {settings}. Sign in there. Press Ctrl+C to stop."
            : $"GrowthBrain is running at {u} on {settings}. No owner yet: open {u}/setup in a browser on this machine to create one. Press Ctrl+C to stop.")))(urls.Split(';')[0]);
        await app.WaitForShutdownAsync(ct);
        return ExitCodes.Ok;
    }
}
