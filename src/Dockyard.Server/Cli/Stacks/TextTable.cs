namespace Dockyard.Server.Cli.Stacks;

/// <summary>A plain text table as <c>docker</c> prints them: upper-case headers, columns padded to the widest cell, three spaces apart.</summary>
internal static class TextTable
{
    public static void Write(TextWriter output, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = new List<IReadOnlyList<string>> { headers };
        all.AddRange(rows);
        var widths = headers.Select((_, i) => all.Max(r => i < r.Count ? r[i].Length : 0)).ToArray();
        foreach (var row in all)
        {
            var cells = row.Select((cell, i) => i == row.Count - 1 ? cell : cell.PadRight(widths[i]));
            output.WriteLine(string.Join("   ", cells).TrimEnd());
        }
    }
}
