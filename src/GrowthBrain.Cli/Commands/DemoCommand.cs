using System.CommandLine;
using System.Net;
using GrowthBrain.Accounts;
using GrowthBrain.Data;
using GrowthBrain.Scoring;
using GrowthBrain.Synthetic;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace GrowthBrain.Cli.Commands;

/// <summary>
/// `demo [--leads 5000] [--urls http://127.0.0.1:5080]`: a fresh SQLite database under data/ filled
/// with a generated CRM, demo users, then the web app. Loopback only: browsers on this machine are
/// signed in as the demo owner automatically, which must never be reachable from the network.
/// </summary>
public static class DemoCommand
{
    public const string DemoDatabase = "data/demo.db";

    public static Command Create()
    {
        var leads = new Option<int>("--leads") { Description = "How many synthetic leads to generate", DefaultValueFactory = _ => 5000 };
        var command = new Command("demo", "Fresh SQLite database with a realistic synthetic CRM, then the web app") { leads, ServeCommand.Urls };
        command.SetAction((result, ct) => CliServices.GuardAsync(async () =>
        {
            var count = result.GetValue(leads);
            var urls = result.GetValue(ServeCommand.Urls)!;
            if (count is < 1 or > 2_000_000) throw new ArgumentException($"--leads is {count}; use 1 to 2,000,000.");
            foreach (var url in urls.Split(';'))
            {
                if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !IsLoopback(uri.Host))
                {
                    throw new ArgumentException($"--urls has '{url}'; the demo listens on loopback only (e.g. http://127.0.0.1:5080). Use `serve` with sign-in for a shared server.");
                }
            }

            var file = Path.GetFullPath(DemoDatabase);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            foreach (var f in new[] { file, file + "-wal", file + "-shm" }) File.Delete(f);
            var overrides = new Dictionary<string, string?>
            {
                ["Database:Provider"] = "Sqlite",
                ["ConnectionStrings:GrowthBrain"] = $"Data Source={file}",
                // The key ring lives in the demo database next to what it protects; its "unencrypted key" warning is noise here.
                ["Logging:LogLevel:Microsoft.AspNetCore.DataProtection"] = "Error",
                ["Accounts:AutoSignInEmail"] = DemoUsers[0].Email,
            };
            var signIns = new List<(string Email, string Role, string Password)>();

            await using (var services = CliServices.Build(CliServices.Configuration(overrides)))
            await using (var scope = services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<MigrateDatabaseHandler>().HandleAsync(new MigrateDatabase(), ct);
                var seed = scope.ServiceProvider.GetRequiredService<SeedSyntheticCrmHandler>();
                var summary = await AnsiConsole.Progress().StartAsync(async ctx =>
                {
                    var task = ctx.AddTask("Generating a synthetic CRM", maxValue: count);
                    return await seed.HandleAsync(new SeedSyntheticCrm(count), new Progress<int>(n => task.Value = n), ct);
                });
                AnsiConsole.MarkupLineInterpolated(
                    $"Created {summary.Leads:N0} leads ({summary.Won:N0} won, {summary.Lost:N0} lost, {summary.Open:N0} open) and {summary.Activities:N0} activities in {file}.");

                var trained = await AnsiConsole.Status().StartAsync("Training the scoring model", async ctx =>
                    await scope.ServiceProvider.GetRequiredService<TrainModelHandler>().HandleAsync(
                        new TrainModel(RequestedBy: "demo", Budget: TimeSpan.FromSeconds(20)),
                        new Progress<string>(m => ctx.Status(Markup.Escape(m))), ct));
                var auc = trained.Evaluation?.RocAuc;
                AnsiConsole.MarkupLineInterpolated(
                    $"Model v{trained.Version}: {trained.Training.Description}; ROC-AUC {auc:0.000} on the newest {trained.Evaluation?.Rows ?? 0:N0} closed leads.");
                var scored = await scope.ServiceProvider.GetRequiredService<ScoreLeadsHandler>().HandleAsync(new ScoreLeads(Trigger: "demo"), null, ct);
                AnsiConsole.MarkupLineInterpolated($"Scored {scored.Scored:N0} open leads in {scored.Seconds:0.0} s.");

                var createUser = scope.ServiceProvider.GetRequiredService<CreateUserHandler>();
                foreach (var (email, name, role) in DemoUsers)
                {
                    var password = UsersCommand.GeneratePassword();
                    await createUser.HandleAsync(new CreateUser(email, name, role, password, Actor: "demo"), ct);
                    signIns.Add((email, role.ToString(), password));
                }
            }

            return await ServeCommand.RunWebAppAsync(urls, overrides, url =>
            {
                AnsiConsole.MarkupLineInterpolated($"[bold green]GrowthBrain demo is running at {url}[/]");
                AnsiConsole.MarkupLine("This browser is signed in as the demo owner automatically (loopback only). To try the roles, sign out and use:");
                var table = new Table().AddColumns("Role", "E-mail", "Password");
                foreach (var (email, role, password) in signIns) table.AddRow(role, email, password);
                AnsiConsole.Write(table);
                AnsiConsole.MarkupLine("Press Ctrl+C to stop.");
            }, ct);
        }));
        return command;
    }

    internal static readonly (string Email, string Name, UserRole Role)[] DemoUsers =
    [
        ("owner@demo.growthbrain.local", "Olivia Owner", UserRole.Owner),
        ("manager@demo.growthbrain.local", "Marco Manager", UserRole.Manager),
        ("rep@demo.growthbrain.local", "Rita Rep", UserRole.Rep),
    ];

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
