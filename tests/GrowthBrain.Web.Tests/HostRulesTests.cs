using System.Text.RegularExpressions;
using GrowthBrain.Errors;

namespace GrowthBrain.Web.Tests;

/// <summary>
/// Errors are mapped once: endpoints and commands call their handler and let DomainExceptionHandler (API) or
/// CliServices.GuardAsync (CLI) answer a refusal. A catch of a domain exception in a host is a second mapping to keep
/// in step, so these read the source and name any that comes back.
/// </summary>
public sealed partial class HostRulesTests
{
    [Fact]
    public void No_endpoint_file_catches_a_domain_exception()
    {
        var web = Path.Combine(RepositoryRoot(), "src", "GrowthBrain.Web");
        var endpointFiles = Directory.EnumerateFiles(web, "*Api.cs", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(web, "*Endpoints.cs", SearchOption.AllDirectories));

        DomainCatchesIn(endpointFiles).ShouldBeEmpty();
    }

    [Fact]
    public void No_command_catches_a_domain_exception()
    {
        var commands = Path.Combine(RepositoryRoot(), "src", "GrowthBrain.Cli", "Commands");

        DomainCatchesIn(Directory.EnumerateFiles(commands, "*.cs", SearchOption.AllDirectories)).ShouldBeEmpty();
    }

    /// <summary>Every exception a host must leave to the one mapping: the domain's own and ArgumentException's family.</summary>
    private static readonly HashSet<string> MappedOnce =
    [
        .. typeof(DomainException).Assembly.GetTypes().Where(t => t.IsAssignableTo(typeof(DomainException))).Select(t => t.Name),
        .. typeof(ArgumentException).Assembly.GetExportedTypes().Where(t => t.IsAssignableTo(typeof(ArgumentException))).Select(t => t.Name),
        nameof(DomainErrors),
    ];

    /// <returns>"file: catch clause" for each catch (its type and any when filter, up to the block) naming a mapped exception.</returns>
    private static List<string> DomainCatchesIn(IEnumerable<string> files) =>
    [
        .. from file in files
           from Match clause in CatchClause().Matches(File.ReadAllText(file))
           where Word().Matches(clause.Value).Any(w => MappedOnce.Contains(w.Value))
           select $"{Path.GetFileName(file)}: {Regex.Replace(clause.Value, @"\s+", " ").Trim()}",
    ];

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "GrowthBrain.slnx"))) return dir.FullName;
        }
        throw new InvalidOperationException($"No GrowthBrain.slnx above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"\bcatch\s*\([^{]*")]
    private static partial Regex CatchClause();

    [GeneratedRegex(@"\w+")]
    private static partial Regex Word();
}
