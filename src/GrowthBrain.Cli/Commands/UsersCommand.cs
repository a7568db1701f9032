using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using GrowthBrain.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBrain.Cli.Commands;

/// <summary>
/// `users add|list` and `users api-key`: account administration from the server's shell, for
/// scripted installs and for the owner who has lost access to the web app.
/// </summary>
public static class UsersCommand
{
    public static Command Create()
    {
        var email = new Option<string>("--email") { Description = "The address the person signs in with", Required = true };
        var name = new Option<string?>("--name") { Description = "Display name (default: the part before @)" };
        var role = new Option<UserRole>("--role") { Description = "Owner, Admin, Manager or Rep", DefaultValueFactory = _ => UserRole.Rep };
        var team = new Option<string?>("--team") { Description = "Team id or name; a new name creates the team (default: the first team)" };
        var password = new Option<string?>("--password") { Description = "At least 12 characters (default: a generated one, printed once)" };
        var add = new Command("add", "Add a person who can sign in") { email, name, role, team, password };
        add.SetAction((result, ct) => CliServices.WithDatabaseAsync(async services =>
        {
            var address = result.GetValue(email)!;
            var generated = result.GetValue(password) is null;
            var secret = result.GetValue(password) ?? GeneratePassword();
            var created = await services.GetRequiredService<CreateUserHandler>().HandleAsync(new CreateUser(address,
                result.GetValue(name) ?? address.Split('@')[0], result.GetValue(role), secret, result.GetValue(team), Actor: "cli"), ct);
            if (result.GetValue(CliOptions.Json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new { created.Id, created.Email, role = created.Role.ToString(), created.TeamId, created.TeamName,
                    password = generated ? secret : null }, ScoringJson.Options));
            }
            else
            {
                Console.WriteLine($"Added {created.Email} as {created.Role} of team '{created.TeamName}'.");
                if (generated) Console.WriteLine($"Password (shown once): {secret}");
            }
            return ExitCodes.Ok;
        }, ct));

        var list = new Command("list", "Everyone who can sign in");
        list.SetAction((result, ct) => CliServices.WithDatabaseAsync(async services =>
        {
            var db = services.GetRequiredService<GrowthBrain.Data.GrowthBrainDb>();
            var users = await db.Users.AsNoTracking().OrderBy(u => u.Id)
                .Select(u => new { u.Id, u.Email, u.DisplayName, Role = u.Role.ToString(), u.TeamId }).ToListAsync(ct);
            if (result.GetValue(CliOptions.Json)) Console.WriteLine(JsonSerializer.Serialize(new { users }, ScoringJson.Options));
            else foreach (var u in users) Console.WriteLine($"{u.Id,5}  {u.Email,-40} {u.Role,-8} team {u.TeamId}  {u.DisplayName}");
            return ExitCodes.Ok;
        }, ct));

        var keyUser = new Option<string>("--email") { Description = "Whose key it is", Required = true };
        var keyName = new Option<string>("--name") { Description = "Where the key is used", Required = true };
        var scopes = new Option<string>("--scopes") { Description = "Comma-separated: read, write, admin", DefaultValueFactory = _ => "read" };
        var expires = new Option<int?>("--expires-in-days") { Description = "1 to 3650 (default: never)" };
        var apiKey = new Command("api-key", "Create an API key for a user (printed once)") { keyUser, keyName, scopes, expires };
        apiKey.SetAction((result, ct) => CliServices.WithDatabaseAsync(async services =>
        {
            var db = services.GetRequiredService<GrowthBrain.Data.GrowthBrainDb>();
            var address = result.GetValue(keyUser)!.Trim();
            var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.NormalizedEmail == address.ToUpperInvariant(), ct)
                ?? throw new ArgumentException($"There is no user {address}; add one with `users add`.");
            var parsed = ApiKeyScopes.None;
            foreach (var s in result.GetValue(scopes)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!Enum.TryParse<ApiKeyScopes>(s, ignoreCase: true, out var one) || one == ApiKeyScopes.None || !Enum.IsDefined(one))
                    throw new ArgumentException($"--scopes has '{s}'; use read, write or admin.");
                parsed |= one;
            }
            var created = await services.GetRequiredService<CreateApiKeyHandler>().HandleAsync(
                new CreateApiKey(user.Id, result.GetValue(keyName)!, parsed, result.GetValue(expires), "cli"), ct);
            if (result.GetValue(CliOptions.Json)) Console.WriteLine(JsonSerializer.Serialize(created, ScoringJson.Options));
            else Console.WriteLine($"API key '{created.Name}' for {address} ({created.Scopes}), shown once:\n{created.Key}");
            return ExitCodes.Ok;
        }, ct));

        var users = new Command("users", "People who can sign in, and their API keys");
        users.Subcommands.Add(add);
        users.Subcommands.Add(list);
        users.Subcommands.Add(apiKey);
        return users;
    }

    /// <summary>Four groups of five letters and digits: about 100 bits, easy to type once.</summary>
    internal static string GeneratePassword()
    {
        const string alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
        var chars = RandomNumberGenerator.GetItems<char>(alphabet, 20);
        return string.Join('-', Enumerable.Range(0, 4).Select(i => new string(chars, i * 5, 5)));
    }
}
