using System.Text;

namespace GrowthBrain.FollowUps;

/// <summary>
/// A line diff (longest common subsequence) from the writer's text to a person's edit, in the familiar
/// "- removed / + added / two spaces kept" form. Drafts are a dozen lines, so the quadratic table is tiny.
/// </summary>
public static class TextDiff
{
    public static string Lines(string before, string after)
    {
        var a = Split(before);
        var b = Split(after);
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
            for (var j = b.Length - 1; j >= 0; j--)
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);

        var sb = new StringBuilder();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                sb.Append("  ").Append(a[x++]).Append('\n');
                y++;
            }
            else if (x < a.Length && (y == b.Length || lcs[x + 1, y] >= lcs[x, y + 1]))
            {
                // Removed before added on a tie, as diff readers expect.
                sb.Append("- ").Append(a[x++]).Append('\n');
            }
            else
            {
                sb.Append("+ ").Append(b[y++]).Append('\n');
            }
        }
        return sb.ToString();
    }

    private static string[] Split(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
}
