using System.CommandLine;
using System.Text.Json;
using GrowthBrain.Data;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBrain.Cli.Commands;

/// <summary>`db migrate`: brings the configured database's schema up to date.</summary>
public static class DbCommand
{
    public static Command Create()
    {
        var migrate = new Command("migrate", "Create or upgrade the database schema (SQLite or PostgreSQL, from configuration)");
        migrate.SetAction((result, ct) => CliServices.GuardAsync(async () =>
        {
            await using var services = CliServices.Build(CliServices.Configuration());
            await using var scope = services.CreateAsyncScope();
            var settings = services.GetRequiredService<DatabaseSettings>();
            var summary = await scope.ServiceProvider.GetRequiredService<MigrateDatabaseHandler>().HandleAsync(new MigrateDatabase(), ct);
            if (result.GetValue(CliOptions.Json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new { database = settings.ToString(), applied = summary.Applied }));
            }
            else
            {
                Console.WriteLine(summary.Applied.Count == 0
                    ? $"{settings} is up to date."
                    : $"{settings}: applied {string.Join(", ", summary.Applied)}.");
            }
            return ExitCodes.Ok;
        }));

        var db = new Command("db", "Database maintenance");
        db.Subcommands.Add(migrate);
        return db;
    }
}
