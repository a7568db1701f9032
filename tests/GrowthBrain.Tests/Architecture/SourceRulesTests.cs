using System.Text.RegularExpressions;

namespace GrowthBrain.Tests.Architecture;

/// <summary>
/// The rules of docs/adr/0013 read off the source tree, so a page that builds its own handler or a file that
/// grows past what a reader takes in at once fails here, not in a review weeks later.
/// </summary>
public sealed partial class SourceRulesTests
{
    private const int MaxLines = 400;

    private static readonly string Root = FindRoot();

    [Fact]
    public void No_source_file_outside_the_migrations_is_over_400_lines()
    {
        var tooLong = SourceFiles("src", "*.cs", "*.razor")
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (File: Relative(f), Lines: File.ReadLines(f).Count()))
            .Where(f => f.Lines > MaxLines)
            .Select(f => $"{f.File} ({f.Lines} lines)")
            .ToList();

        tooLong.ShouldBeEmpty($"Split these along a seam a reader would expect (at most {MaxLines} lines a file)");
    }

    [Fact]
    public void Pages_get_their_handlers_from_dependency_injection_and_never_reach_the_database()
    {
        var offending = SourceFiles(Path.Combine("src", "GrowthBrain.Web"), "*.razor")
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: f, Line: i + 1, Text: line)))
            .Where(l => HandlerConstruction().IsMatch(l.Text) || DatabaseAccess().IsMatch(l.Text))
            .Select(l => $"{Relative(l.File)}:{l.Line}: {l.Text.Trim()}")
            .ToList();

        offending.ShouldBeEmpty("A page calls use cases through @inject Handlers (docs/adr/0013), never `new XxxHandler(...)` or a DbContext");
    }

    [Fact]
    public void Commands_get_their_handlers_from_dependency_injection()
    {
        var offending = SourceFiles(Path.Combine("src", "GrowthBrain.Cli"), "*.cs")
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: f, Line: i + 1, Text: line)))
            .Where(l => HandlerConstruction().IsMatch(l.Text))
            .Select(l => $"{Relative(l.File)}:{l.Line}: {l.Text.Trim()}")
            .ToList();

        offending.ShouldBeEmpty("A command asks the service provider for its handler, never builds one");
    }

    [GeneratedRegex(@"\bnew\s+[A-Z]\w*Handler\s*\(")]
    private static partial Regex HandlerConstruction();

    [GeneratedRegex(@"IDbContextFactory|CreateScopeAs|\bGrowthBrainDb\b|GrowthBrainDbFactory")]
    private static partial Regex DatabaseAccess();

    private static IEnumerable<string> SourceFiles(string folder, params string[] patterns) =>
        patterns.SelectMany(p => Directory.EnumerateFiles(Path.Combine(Root, folder), p, SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                     && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    private static string Relative(string path) => Path.GetRelativePath(Root, path);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "GrowthBrain.slnx"))) return dir.FullName;
        }
        throw new InvalidOperationException($"No GrowthBrain.slnx above {AppContext.BaseDirectory}; the source rules read the checkout.");
    }
}
