using System.Text;

namespace Dockyard.Server.Control.Stacks;

/// <summary>
/// A line diff of two texts in unified format (<c>--- a</c>, <c>+++ b</c>, <c>@@ -l,n +l,n @@</c> hunks with three
/// lines of context), from a longest common subsequence of the lines. Compose files are small (≤ 1 MiB, a few hundred
/// lines), so the quadratic table is bounded: texts beyond <see cref="MaxCells"/> cells are shown as a whole
/// replacement instead.
/// </summary>
internal static class StackDiff
{
    /// <summary>The largest LCS table computed (lines × lines).</summary>
    public const long MaxCells = 4_000_000;

    private const int Context = 3;

    public static string Unified(string name, string? from, string? to)
    {
        var a = Lines(from);
        var b = Lines(to);
        var edits = Edits(a, b);
        if (edits.All(e => e.Kind == ' '))
        {
            return string.Empty;
        }

        var output = new StringBuilder();
        output.Append("--- ").Append(from is null ? "/dev/null" : "a/" + name).Append('\n');
        output.Append("+++ ").Append(to is null ? "/dev/null" : "b/" + name).Append('\n');
        var index = 0;
        while (index < edits.Count)
        {
            var firstChange = edits.FindIndex(index, e => e.Kind != ' ');
            if (firstChange < 0)
            {
                break;
            }

            var start = Math.Max(index, firstChange - Context);
            var end = firstChange;
            while (true)
            {
                var nextChange = edits.FindIndex(end, e => e.Kind != ' ');
                if (nextChange < 0 || nextChange - end > 2 * Context)
                {
                    break;
                }

                end = edits.FindIndex(nextChange, e => e.Kind == ' ');
                if (end < 0)
                {
                    end = edits.Count;
                    break;
                }
            }

            end = Math.Min(edits.Count, end + Context);
            var hunk = edits.GetRange(start, end - start);
            var oldStart = hunk[0].OldLine;
            var newStart = hunk[0].NewLine;
            var oldCount = hunk.Count(e => e.Kind != '+');
            var newCount = hunk.Count(e => e.Kind != '-');
            output.Append("@@ -").Append(Range(oldStart, oldCount)).Append(" +").Append(Range(newStart, newCount)).Append(" @@\n");
            foreach (var edit in hunk)
            {
                output.Append(edit.Kind).Append(edit.Text).Append('\n');
            }

            index = end;
        }

        return output.ToString();
    }

    private static string Range(int start, int count) => count == 0 ? $"{start - 1},0" : count == 1 ? $"{start}" : $"{start},{count}";

    private static string[] Lines(string? text) =>
        string.IsNullOrEmpty(text) ? [] : text.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');

    /// <summary>The edit script: each line kept (' '), removed ('-') or added ('+'), with its 1-based line numbers in each text.</summary>
    private static List<Edit> Edits(string[] a, string[] b)
    {
        // Common head and tail are cheap and shrink the table.
        var head = 0;
        while (head < a.Length && head < b.Length && a[head] == b[head])
        {
            head++;
        }

        var tail = 0;
        while (tail < a.Length - head && tail < b.Length - head && a[a.Length - 1 - tail] == b[b.Length - 1 - tail])
        {
            tail++;
        }

        var edits = new List<Edit>(a.Length + b.Length);
        for (var i = 0; i < head; i++)
        {
            edits.Add(new Edit(' ', a[i], i + 1, i + 1));
        }

        var n = a.Length - head - tail;
        var m = b.Length - head - tail;
        if ((long)n * m > MaxCells)
        {
            for (var i = 0; i < n; i++)
            {
                edits.Add(new Edit('-', a[head + i], head + i + 1, head + 1));
            }

            for (var j = 0; j < m; j++)
            {
                edits.Add(new Edit('+', b[head + j], head + n + 1, head + j + 1));
            }
        }
        else
        {
            var lcs = new int[n + 1, m + 1];
            for (var i = n - 1; i >= 0; i--)
            {
                for (var j = m - 1; j >= 0; j--)
                {
                    lcs[i, j] = a[head + i] == b[head + j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
                }
            }

            int x = 0, y = 0;
            while (x < n || y < m)
            {
                if (x < n && y < m && a[head + x] == b[head + y])
                {
                    edits.Add(new Edit(' ', a[head + x], head + x + 1, head + y + 1));
                    x++;
                    y++;
                }
                else if (x < n && (y == m || lcs[x + 1, y] >= lcs[x, y + 1]))
                {
                    // Removals before additions, as diff -u prints a replaced block.
                    edits.Add(new Edit('-', a[head + x], head + x + 1, head + y + 1));
                    x++;
                }
                else
                {
                    edits.Add(new Edit('+', b[head + y], head + x + 1, head + y + 1));
                    y++;
                }
            }
        }

        for (var i = 0; i < tail; i++)
        {
            var oldLine = a.Length - tail + i;
            var newLine = b.Length - tail + i;
            edits.Add(new Edit(' ', a[oldLine], oldLine + 1, newLine + 1));
        }

        return edits;
    }

    private readonly record struct Edit(char Kind, string Text, int OldLine, int NewLine);
}
